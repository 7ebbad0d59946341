// Sandbox mode: type a seed-style Files []int and a sketch of the lab's open fds, and step
// through the plan the engine's planner makes for them, without launching anything.
import { useEffect, useId, useMemo, type ReactNode } from 'react';

import { defaultSketch, fdListText, parseFdList, sandboxHostTable } from '@shared/fd-sandbox';
import { FdPlanView } from '../fd/FdPlanView';
import { useConnection } from '../../stores/connection';
import { refreshSandbox, SANDBOX_EXAMPLES, setSandboxInputs, useSandbox } from '../../stores/sandbox';

export function SandboxPanel() {
  const planned = useSandbox((s) => s.planned);
  const pending = useSandbox((s) => s.pending);
  const requestError = useSandbox((s) => s.requestError);
  const inputError = useSandbox((s) => s.filesError ?? s.hostError);
  const connection = useConnection((s) => s.state);
  // Planned when first opened, and again once the lab is reachable after a failed request.
  useEffect(() => {
    const { planned, requestError: failed } = useSandbox.getState();
    if (!planned || (failed && connection === 'open')) refreshSandbox();
  }, [connection]);
  const host = useMemo(() => (planned ? sandboxHostTable(planned.plan, planned.sketch) : null), [planned]);
  return (
    <div className="sandbox" data-testid="sandbox">
      <p className="muted sandbox-intro">
        Go’s <code>ProcAttr.Files</code> as a list of the lab’s fds: entry <var>i</var> becomes the child’s fd <var>i</var>, and -1 closes it. Nothing is
        launched: this is the planner’s answer for any list.
      </p>
      <SandboxInputs />
      {requestError && (
        <p className="error-text" role="alert" data-testid="sandbox-error" data-field="request">
          The lab could not plan this: {requestError}
        </p>
      )}
      {planned && host && (
        <div className={`sandbox-result${inputError ? ' is-stale' : ''}`} aria-busy={pending}>
          {inputError && <p className="muted sandbox-status">Below: the plan for the last valid lists.</p>}
          <p className="muted sandbox-status" data-testid="sandbox-status-pipe">
            The status pipe, where pipe2() puts it in the lab: read end fd <span className="mono">{planned.plan.statusReadFd}</span>, write end (the child’s) fd{' '}
            <span className="mono">{planned.plan.statusFd}</span>.
          </p>
          {planned.plan.problems.length > 0 && (
            <ul className="problems" data-testid="sandbox-problems">
              {planned.plan.problems.map((p, i) => (
                <li key={i} className="problem problem-warning" data-testid="sandbox-problem">
                  <span className="problem-icon" aria-hidden="true">⚠</span>
                  <span className="problem-text">
                    <code className="problem-path">{p.path}</code>
                    {p.message}: a launch would fail at its op with EBADF, as the walk shows
                  </span>
                </li>
              ))}
            </ul>
          )}
          <FdPlanView host={host} slotFds={planned.plan.slotFds} plan={planned.plan.plan} seedPlan={planned.plan.seedPlan} />
        </div>
      )}
    </div>
  );
}

// One of the two lists: its label, the text input, and its error under it.
function FdListInput(props: {
  label: ReactNode;
  testId: string;
  field: 'files' | 'host';
  value: string;
  placeholder: string;
  error: string | null;
  onChange(text: string): void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        className="mono"
        data-testid={props.testId}
        value={props.value}
        spellCheck={false}
        autoComplete="off"
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && (
        <p id={`${id}-error`} className="error-text field-error" role="alert" data-testid="sandbox-error" data-field={props.field}>
          {props.error}
        </p>
      )}
      {props.children}
    </div>
  );
}

function SandboxInputs() {
  const filesText = useSandbox((s) => s.filesText);
  const hostText = useSandbox((s) => s.hostText);
  const filesError = useSandbox((s) => s.filesError);
  const hostError = useSandbox((s) => s.hostError);
  const parsed = parseFdList(filesText, 'files');
  const defaultHosts = parsed.ok ? fdListText(defaultSketch(parsed.fds)) : '0 1 2';
  return (
    <div className="sandbox-inputs">
      <FdListInput
        label={
          <>
            Files <span className="muted mono">[]int</span>
          </>
        }
        testId="sandbox-files"
        field="files"
        value={filesText}
        placeholder="e.g. 1 0 2"
        error={filesError}
        onChange={(text) => setSandboxInputs({ filesText: text })}
      >
        <div className="button-row sandbox-examples" role="group" aria-label="Examples">
          <span className="muted">try</span>
          {SANDBOX_EXAMPLES.map((example) => (
            <button key={example} type="button" className="small mono" data-testid="sandbox-example" onClick={() => setSandboxInputs({ filesText: example })}>
              {example}
            </button>
          ))}
        </div>
      </FdListInput>
      <FdListInput
        label={
          <>
            The lab’s open fds <span className="muted">(a sketch; empty: 0, 1, 2 and every source)</span>
          </>
        }
        testId="sandbox-host-fds"
        field="host"
        value={hostText}
        placeholder={defaultHosts}
        error={hostError}
        onChange={(text) => setSandboxInputs({ hostText: text })}
      />
    </div>
  );
}
