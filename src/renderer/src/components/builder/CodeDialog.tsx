// "As code…": the profile in the builder as a complete program in each language, with what
// the language cannot express said loudly, Copy and Download, and Verify, which proves the
// export: the lab runs it with the probe in the program's place and sets what that child got
// beside what its own launch gave, differences marked. The last tab: `proclab exec`.
import { useId } from 'react';

import type { ExportVerification } from '@shared/api';
import { EXPORT_LANGS, gapLine, type ExportLang } from '@shared/export/index';
import { downloadText } from '../../lib/download';
import { ProbeReportView } from '../runs/ProbeReport';
import { closeCodeDialog, showTab, useCodeDialog, verify, type CodeTab } from '../../stores/code-dialog';
import { showToast } from '../../stores/toasts';
import { useModal } from '../../lib/use-modal';

const LABELS: Record<CodeTab, string> = {
  go: 'Go',
  'go-syscall': 'Go syscall',
  python: 'Python',
  node: 'Node',
  rust: 'Rust',
  c: 'C',
  shell: 'Shell',
  exec: 'proclab exec',
};

export function CodeDialog() {
  const open = useCodeDialog((s) => s.open);
  return open ? <Dialog /> : null;
}

function Dialog() {
  const tab = useCodeDialog((s) => s.tab);
  const error = useCodeDialog((s) => s.error);
  const dialog = useModal();
  const titleId = useId();
  return (
    <dialog ref={dialog} className="code-dialog" aria-labelledby={titleId} data-testid="code-dialog" onClose={closeCodeDialog}>
      <h2 id={titleId}>The launch as code</h2>
      <div className="segmented code-tabs" role="tablist" aria-label="Language">
        {[...EXPORT_LANGS, 'exec' as const].map((lang) => (
          <button key={lang} type="button" role="tab" aria-selected={tab === lang} className={tab === lang ? 'active' : undefined} onClick={() => void showTab(lang)} data-testid={`code-tab-${lang}`}>
            {LABELS[lang]}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="code-panel">
        {tab === 'exec' ? <ExecTab /> : <ExportTab lang={tab} />}
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" onClick={() => dialog.current?.close()} data-testid="code-close">
          Close
        </button>
      </div>
    </dialog>
  );
}

function ExportTab({ lang }: { lang: ExportLang }) {
  const outcome = useCodeDialog((s) => s.exported[lang]);
  const verifying = useCodeDialog((s) => s.verifying);
  const verified = useCodeDialog((s) => s.verified[lang]);
  if (!outcome) return <p className="muted">Writing…</p>;
  if (!outcome.ok) return <Problems problems={outcome.errors} />;
  const copy = () =>
    void navigator.clipboard.writeText(outcome.code).then(
      () => showToast(`Copied ${outcome.fileName}.`),
      () => showToast('The page may not use the clipboard here: select the code and copy it.', { kind: 'error' }),
    );
  return (
    <>
      <div className="code-actions">
        <span className="mono">{outcome.fileName}</span>
        <button type="button" className="small" onClick={copy} data-testid="code-copy">
          Copy
        </button>
        <button type="button" className="small" onClick={() => downloadText(outcome.fileName, outcome.code, 'text/plain')} data-testid="code-download">
          Download
        </button>
        <button type="button" className="small primary" disabled={verifying !== null} onClick={() => void verify(lang)} data-testid="code-verify">
          {verifying === lang ? 'Verifying… (building and running it)' : 'Verify: run it with the probe'}
        </button>
      </div>
      {outcome.gaps.length > 0 && (
        <div className="notice notice-warning code-gaps" data-testid="code-gaps">
          <strong>{LABELS[lang]} cannot express everything here:</strong>
          <ul>
            {outcome.gaps.map((gap) => (
              <li key={gapLine(gap)} data-testid="code-gap" className="mono">
                {gapLine(gap)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {verified && <Verification outcome={verified} />}
      <pre className="code-text" data-testid="code-text" tabIndex={0}>
        {outcome.code}
      </pre>
    </>
  );
}

function Verification({ outcome }: { outcome: NonNullable<ReturnType<typeof useCodeDialog.getState>['verified'][ExportLang]> }) {
  if (!outcome.ok) {
    return 'errors' in outcome ? <Problems problems={outcome.errors} /> : <p className="notice notice-error">{outcome.message}</p>;
  }
  const v: ExportVerification = outcome.verification;
  const headline = !v.toolchain.found
    ? `Not verified: ${v.toolchain.missing} is not on this machine (${v.toolchain.install}).`
    : v.failure
      ? `Not verified: the ${v.failure.stage === 'build' ? 'build' : 'program'} failed.`
      : v.same
        ? 'Verified: the exported program’s child got the same as the lab’s own launch.'
        : `${v.differences.length} difference${v.differences.length === 1 ? '' : 's'} between the exported program’s child and the lab’s.`;
  return (
    <div className={`code-verification ${v.same ? 'same' : 'differs'}`} role="status" data-testid="code-verification" data-same={String(v.same)}>
      <strong>{headline}</strong>
      {v.failure && <pre className="code-failure">{v.failure.output}</pre>}
      {v.differences.length > 0 && (
        <table className="grid-table" data-testid="code-differences">
          <thead>
            <tr>
              <th scope="col">what</th>
              <th scope="col">the exported program’s child</th>
              <th scope="col">the lab’s child</th>
            </tr>
          </thead>
          <tbody>
            {v.differences.map((d) => (
              <tr key={d.field} data-testid="code-difference">
                <th scope="row" className="mono">
                  {d.field}
                </th>
                <td className="mono">{d.byExport}</td>
                <td className="mono">{d.byLab}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(v.observedByExport || v.observedByLab) && (
        <details className="code-reports" data-testid="code-reports">
          <summary>Both children, as the probe saw them</summary>
          <div className="code-reports-grid">
            {[
              { title: 'The exported program’s child', report: v.observedByExport },
              { title: 'The lab’s child', report: v.observedByLab },
            ].map(({ title, report }) => (
              <div key={title}>
                <h5>{title}</h5>
                {report ? <ProbeReportView report={report} /> : <p className="muted">It did not report.</p>}
              </div>
            ))}
          </div>
        </details>
      )}
      {v.notes.length > 0 && (
        <ul className="muted code-notes">
          {v.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ExecTab() {
  const preview = useCodeDialog((s) => s.exec);
  if (!preview) return <p className="muted">Planning…</p>;
  if (!preview.ok) {
    return (
      <>
        <p>`proclab exec` cannot take this profile as it is:</p>
        <Problems problems={preview.errors} />
      </>
    );
  }
  return (
    <div data-testid="code-exec">
      <p>
        <span className="mono">npx proclab exec profile.json</span> takes these steps in its own process and becomes the program: same pid, as
        setpriv or unshare do in a script or a service file. Exit status: the program’s; 2 for a profile it refuses; 253 for a failed step.
        {preview.clones && ' With cloneflags it clones: the program runs as its child, and it waits and exits with the child’s status.'}
      </p>
      {preview.notes.length > 0 && (
        <ul className="code-notes" data-testid="code-exec-notes">
          {preview.notes.map((n) => (
            <li key={`${n.path}:${n.message}`}>
              {n.path && <span className="mono">{n.path}: </span>}
              {n.message}
            </li>
          ))}
        </ul>
      )}
      <ol className="mono code-exec-steps">
        {preview.plan.map((op, i) => (
          <li key={i}>{op.call}</li>
        ))}
      </ol>
    </div>
  );
}

function Problems({ problems }: { problems: readonly { path: string; message: string }[] }) {
  return (
    <ul className="notice notice-error">
      {problems.map((p) => (
        <li key={`${p.path}:${p.message}`} className="mono">
          {p.path ? `${p.path}: ` : ''}
          {p.message}
        </li>
      ))}
    </ul>
  );
}
