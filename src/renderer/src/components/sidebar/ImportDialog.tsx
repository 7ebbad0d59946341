// Import…: a launch from elsewhere as a new unsaved profile: a shell command line (read with
// bash's grammar by the lab), a running process (from /proc), or a profile's JSON file.
// What could not be carried over is listed once the profile is open in the builder.
import { useId } from 'react';

import type { ProcessEntry } from '@shared/import';
import { chooseSource, closeImportDialog, importLine, importPid, refreshProcesses, useImportDialog, type ImportSource } from '../../stores/import-dialog';
import { useModal } from '../../lib/use-modal';

const SOURCES: readonly { id: ImportSource; label: string }[] = [
  { id: 'shell', label: 'A shell line' },
  { id: 'process', label: 'A running process' },
  { id: 'file', label: 'A JSON file' },
];

export function ImportDialog({ chooseFile }: { chooseFile: () => void }) {
  const open = useImportDialog((s) => s.open);
  return open ? <Dialog chooseFile={chooseFile} /> : null;
}

function Dialog({ chooseFile }: { chooseFile: () => void }) {
  const { source, error, imported } = useImportDialog();
  const dialog = useModal();
  const titleId = useId();
  return (
    <dialog ref={dialog} className="import-dialog" aria-labelledby={titleId} data-testid="import-dialog" onClose={closeImportDialog}>
      <h2 id={titleId}>Import a launch</h2>
      <div className="segmented" role="tablist" aria-label="Import from">
        {SOURCES.map((s) => (
          <button key={s.id} type="button" role="tab" aria-selected={source === s.id} className={source === s.id ? 'active' : undefined} onClick={() => chooseSource(s.id)} data-testid={`import-source-${s.id}`}>
            {s.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="import-panel">
        {source === 'shell' && <ShellLine />}
        {source === 'process' && <ProcessPicker />}
        {source === 'file' && (
          <p>
            A profile saved as JSON (by Export, or by hand).{' '}
            <button type="button" onClick={chooseFile} data-testid="import-choose-file">
              Choose a file…
            </button>
          </p>
        )}
      </div>
      {error && (
        <p className="notice notice-error" role="alert" data-testid="import-dialog-error">
          {error}
        </p>
      )}
      {imported && (
        <div className="import-done" role="status" data-testid="import-done">
          <p>
            Opened <strong>{imported.name}</strong> in the builder, not saved yet.
            {imported.warnings.length === 0 && ' Everything was carried over.'}
          </p>
          {imported.warnings.length > 0 && (
            <>
              <p>What could not be carried over as it was:</p>
              <ul className="import-warnings">
                {imported.warnings.map((w) => (
                  <li key={w} data-testid="import-warning">
                    {w}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <div className="button-row">
        <button type="button" onClick={() => dialog.current?.close()} data-testid="import-close">
          Close
        </button>
      </div>
    </dialog>
  );
}

function ShellLine() {
  const line = useImportDialog((s) => s.line);
  const busy = useImportDialog((s) => s.busy);
  const id = useId();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void importLine();
      }}
    >
      <label htmlFor={id}>The command line, as you would type it in bash</label>
      <textarea
        id={id}
        className="mono import-line"
        rows={3}
        value={line}
        spellCheck={false}
        placeholder="cd /srv && env -i PORT=80 setpriv --reuid=33 ./server 3<conf 2>&1"
        onChange={(e) => useImportDialog.setState({ line: e.currentTarget.value })}
        data-testid="import-shell-line"
      />
      <p className="muted import-help">
        Variables, <span className="mono">env -i</span>, <span className="mono">cd DIR &amp;&amp;</span>, redirections and the wrappers setsid, setpriv, unshare,
        prlimit, chroot, nice, taskset become fields; a pipeline, <span className="mono">$VAR</span> or a loop becomes <span className="mono">sh -c</span>, with why.
      </p>
      <button type="submit" className="primary" disabled={busy} data-testid="import-shell-submit">
        Import the line
      </button>
    </form>
  );
}

function matches(p: ProcessEntry, filter: string): boolean {
  const hay = `${p.pid} ${p.user} ${p.command}`.toLowerCase();
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((word) => hay.includes(word));
}

/** At most this many rows drawn: the filter narrows the rest. */
const SHOWN = 200;

function ProcessPicker() {
  const processes = useImportDialog((s) => s.processes);
  const filter = useImportDialog((s) => s.filter);
  const busy = useImportDialog((s) => s.busy);
  const id = useId();
  const shown = (processes ?? []).filter((p) => matches(p, filter));
  return (
    <>
      <div className="import-filter">
        <label htmlFor={id}>Find a process</label>
        <input id={id} type="search" value={filter} placeholder="pid, user or command" onChange={(e) => useImportDialog.setState({ filter: e.currentTarget.value })} data-testid="import-process-filter" />
        <button type="button" className="small" onClick={() => void refreshProcesses()} data-testid="import-process-refresh">
          Refresh
        </button>
      </div>
      <p className="muted import-help">
        Its argv, environment (as of its exec: it may hold secrets), directory, descriptors, ids, session and limits, read from /proc. A pipe, a socket or
        another terminal cannot be reproduced: each becomes the nearest source, with a warning.
      </p>
      {processes === null ? (
        <p className="muted">Listing…</p>
      ) : (
        <div className="import-processes">
          <table>
            <thead>
              <tr>
                <th scope="col">pid</th>
                <th scope="col">user</th>
                <th scope="col">command</th>
                <th scope="col">
                  <span className="sr-only">import</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, SHOWN).map((p) => (
                <tr key={p.pid} data-testid="import-process-row" data-pid={p.pid}>
                  <td className="mono">{p.pid}</td>
                  <td>{p.user}</td>
                  <td className="mono import-command" title={p.command}>
                    {p.command}
                  </td>
                  <td>
                    <button type="button" className="small" disabled={busy} onClick={() => void importPid(p)} aria-label={`Import pid ${p.pid}`}>
                      Import
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > SHOWN && <p className="muted">{shown.length - SHOWN} more: narrow the search.</p>}
          {shown.length === 0 && <p className="muted">No process matches.</p>}
        </div>
      )}
    </>
  );
}
