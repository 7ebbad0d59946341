// Where a stream's full output is saved (the pane above keeps only a tail): the path, to
// `less` it, and once the run has ended a way to get at it: open it with the OS or show it
// in its folder (desktop), or download it from the lab (browser mode). A file that could
// not be written in full says why and how much it holds.
import { useMemo, useState, type MouseEvent } from 'react';

import { savedOutputDownloadPath, type ControlOutcome, type SavedOutput, type SavedOutputAction } from '@shared/api';
import { savedOutputAccess } from '../../api';
import { bytes } from '../../lib/format';

interface Props {
  runId: string;
  streamKey: string;
  saved: SavedOutput;
  live: boolean;
}

export function SavedOutputLine({ runId, streamKey, saved, live }: Props) {
  const access = useMemo(savedOutputAccess, []);
  const [refusal, setRefusal] = useState<string | null>(null);
  const open = (action: SavedOutputAction) => {
    if (access.kind !== 'desktop') return;
    setRefusal(null);
    void access.open(runId, streamKey, action).then(
      (outcome: ControlOutcome) => setRefusal(outcome.ok ? null : [outcome.code, outcome.message].filter(Boolean).join(' ') || 'the lab refused'),
      (err: unknown) => setRefusal(errorText(err)),
    );
  };
  // The link on the page carries no credential; each click asks the lab for a one-time
  // link and follows that one (issue 11: the browser keeps download URLs).
  const download = (event: MouseEvent) => {
    if (access.kind !== 'download') return;
    event.preventDefault();
    setRefusal(null);
    void access.link(runId, streamKey).then(followDownload, (err: unknown) => setRefusal(errorText(err)));
  };
  return (
    <div className="output-saved" data-testid={`saved-output-${streamKey}`}>
      {live ? (
        <span className="muted">saving the full output to</span>
      ) : (
        <span className="saved-output-links">
          <span data-testid={`saved-output-size-${streamKey}`}>Full output ({bytes(saved.bytes)})</span>
          {access.kind === 'desktop' && (
            <>
              {' — '}
              <button type="button" className="link-button" data-testid={`saved-output-open-${streamKey}`} onClick={() => open('open')}>
                open
              </button>
              {' / '}
              <button type="button" className="link-button" data-testid={`saved-output-reveal-${streamKey}`} onClick={() => open('reveal')}>
                show in folder
              </button>
            </>
          )}
          {access.kind === 'download' && (
            <>
              {' — '}
              <a
                className="link-button"
                data-testid={`saved-output-download-${streamKey}`}
                href={savedOutputDownloadPath(runId, streamKey)}
                download
                onClick={download}
              >
                download
              </a>
            </>
          )}
        </span>
      )}
      <code className="saved-output-path" data-testid={`saved-output-path-${streamKey}`} title="The file on the lab's machine">
        {saved.path}
      </code>
      {saved.error && (
        <span className="error-text" role="alert" data-testid={`saved-output-error-${streamKey}`}>
          the file holds only the first {bytes(saved.bytes)}: {saved.error}
        </span>
      )}
      {refusal && <span className="error-text">{refusal}</span>}
    </div>
  );
}

function followDownload(href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = '';
  link.click();
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
