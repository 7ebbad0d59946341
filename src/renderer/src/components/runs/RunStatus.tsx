// How a run ended, as the run view shows it: the status card, and the exec error with its
// step, errno and usual cause. For this session's runs (RunView) and for those kept from
// an earlier one (EarlierRunView), which know less: no trace, no profile, only its summary.
import { explainExecError, heldOpenMessage, timedOutMessage, type ExecErrorContext } from '@shared/explain';
import type { Problem } from '@shared/problems';
import type { ExecError, RunResult, TraceEntry, WaitStatus } from '@shared/result';
import { signalDescription, type Headline } from '../../lib/format';

/** What the status card says besides its headline, once the run has ended. */
export interface Ending {
  status: WaitStatus | null;
  execError: ExecError | null;
  timedOut: boolean;
  /** The profile's timeout, when it had one. */
  timeoutMs?: number;
  timeoutKilled?: RunResult['timeoutKilled'];
  outputHeldOpen?: string[];
  outputHolders?: Record<string, { pid: number; comm: string }[]>;
}

interface StatusCardProps {
  headline: Headline;
  /** Absent while the run goes on. */
  ending?: Ending;
  refused?: { message: string; problems: Problem[] };
}

export function StatusCard({ headline, ending, refused }: StatusCardProps) {
  const status = ending?.status;
  return (
    <div className={`status-card tone-${headline.tone}`} data-testid="status-card" role="status" aria-live="polite">
      <div className="status-headline">
        <span className="status-dot" aria-hidden="true" />
        <span className="status-text">{headline.text}</span>
      </div>
      {status?.kind === 'signaled' && (
        <div className="status-note">
          {status.signal}: {signalDescription(status.signal) ?? 'a signal'}
        </div>
      )}
      {ending?.timedOut && (
        <div className="status-note warning-text" data-testid="status-timed-out">
          {timedOutMessage(ending.timeoutMs, ending.timeoutKilled)}
        </div>
      )}
      {ending?.outputHeldOpen?.map((key) => (
        <div key={key} className="status-note warning-text" data-testid="status-held-open">
          {heldOpenMessage(key, ending.outputHolders?.[key])}
        </div>
      ))}
      {ending?.execError && status?.kind === 'exited' && status.code === 253 && (
        <div className="status-note">253 is the lab’s exit status for a child that failed before execve.</div>
      )}
      {refused && (
        <div className="status-note error-text">
          {refused.message}
          {refused.problems.length > 0 && (
            <ul>
              {refused.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

interface ExecErrorCardProps {
  error: ExecError;
  /** What of the profile explains the error (its chroot, credential, setsid). */
  context: ExecErrorContext;
  /** The run's trace, when it is known: the card shows the call that failed, or the op the child died in. */
  trace?: readonly TraceEntry[];
}

export function ExecErrorCard({ error, context, trace = [] }: ExecErrorCardProps) {
  // A death during the setup names the op it was in; a failure, the call that failed.
  const failed = error.died ? trace[error.died.op] : [...trace].reverse().find((t) => !t.ok && !t.ignored);
  const unknown = error.code === 'EXEC_UNKNOWN';
  return (
    <div className="exec-error" data-testid="exec-error" role="alert">
      <div className="exec-error-head">
        <span className="exec-error-title">{unknown ? 'Whether the program ran is unknown' : 'The program never ran'}</span>
        <span>
          {error.died ? 'died at' : 'failed at'} <strong className="mono" data-testid="exec-error-step">{error.step}</strong>
          {error.file !== undefined && <span className="muted"> (fd {error.file})</span>}
        </span>
      </div>
      <div className="exec-error-line">
        <code className="errno-code" data-testid="exec-error-code">{error.code}</code>
        <span data-testid="exec-error-message">{error.message}</span>
        {!error.died && <span className="muted mono">errno {error.errno}</span>}
      </div>
      {failed && (
        <div className="exec-error-call">
          <code data-testid="exec-error-call">{failed.call}</code>
        </div>
      )}
      {error.cause && error.cause.code !== 'unknown' ? (
        // What the lab found by looking, rather than the usual causes of the errno.
        <p className="exec-error-explanation exec-error-cause" data-testid="exec-error-cause" data-cause={error.cause.code}>
          <strong>Why:</strong> {error.cause.text}.
        </p>
      ) : (
        <p className="exec-error-explanation" data-testid="exec-error-explanation">
          {explainExecError(error.step, error.code, context)}
        </p>
      )}
    </div>
  );
}
