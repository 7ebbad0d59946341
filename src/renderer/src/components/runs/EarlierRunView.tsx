// A run that ended before this page loaded, from the summary the lab kept in its run folder:
// how it ended, its exec error, and its saved output (to open or download). Its live
// output, trace and descriptors were shown only to the page that ran it.
import type { RecentRun } from '@shared/api';
import { sortKeys } from '@shared/run-words';
import { endedHeadline, streamLabel } from '../../lib/format';
import { ExecErrorCard, StatusCard } from './RunStatus';
import { SavedOutputLine } from './SavedOutputLine';

export function EarlierRunView({ run }: { run: RecentRun }) {
  const keys = sortKeys(Object.keys(run.savedOutput));
  return (
    <article className="run-view earlier-run" data-testid="run-view" data-run-id={run.runId} aria-label={`Earlier run of ${run.profileName}`}>
      <header className="run-head">
        <h3>
          {run.profileName}
          {run.probe && <span className="badge">probe</span>}
          <EarlierBadge run={run} />
        </h3>
        <div className="run-meta">
          <span>
            pid{' '}
            <span className="mono strong" data-testid="run-pid">
              {run.pid ?? ''}
            </span>
            {run.pid === null && <span className="muted"> none (no child was created)</span>}
          </span>
          {run.path && (
            <span>
              program <code>{run.path}</code>
            </span>
          )}
          <span>launched {new Date(run.launchedAtMs).toLocaleString()}</span>
        </div>
      </header>
      <StatusCard headline={endedHeadline(run.pid, run.status, run.execError)} ending={run} />
      {run.execError && <ExecErrorCard error={run.execError} context={run.execErrorContext ?? {}} />}
      {keys.length > 0 ? (
        <div className="outputs">
          {keys.map((key) => (
            <div key={key}>
              <div className="output-head">
                <span className="output-label">{streamLabel(key)}</span>
              </div>
              <SavedOutputLine runId={run.runId} streamKey={key} saved={run.savedOutput[key]!} live={false} />
            </div>
          ))}
        </div>
      ) : (
        <p className="muted">No output was saved.</p>
      )}
      <p className="muted earlier-run-note">
        From {run.earlierSession ? 'an earlier session of the lab' : 'before this page was loaded'}: the lab kept how it ended and its
        output files. Its trace and descriptors were shown only where it ran; launch the profile again to see them.
      </p>
    </article>
  );
}

/** Where a run kept from before this page comes from: an earlier start of the lab, or this one before a reload. */
function EarlierBadge({ run }: { run: RecentRun }) {
  return (
    <span className="badge earlier-badge" data-testid="earlier-run-marker" data-earlier-session={run.earlierSession}>
      {run.earlierSession ? 'earlier session' : 'before reload'}
    </span>
  );
}
