// `proclab run` and verifyExport on a sys.ptrace profile. Neither can act as a debugger: each
// records the child's stop at exec, then lets go of it. Only that stop's SIGTRAP, which the kernel
// raises itself after a traced execve, is suppressed; any other signal that stopped the
// child is delivered with the request that resumes it, as if the child had not been traced.
import type { RunEvent, RunResult } from '../../shared/result';
import type { ControlOutcome } from './run';

// The part of a Run this needs.
export interface TracedRun {
  readonly launched: Pick<RunResult, 'execError'>;
  continue(signal: number): Promise<ControlOutcome>;
  detach(signal: number): Promise<ControlOutcome>;
}

// Signals that stop a process: with PTRACE_CONT the tracee would stop again as a traced
// group-stop and be resumed; with a detach it stops for real, as it would untraced.
const STOPPING = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

// Returns the run's onEvent handler.
export function releaseAtExecStop(run: TracedRun): (event: RunEvent) => void {
  let traced = true;
  let execTrapSeen = false;
  return (event) => {
    if (event.kind === 'detached') traced = false;
    // Stops after the detach are job control (Ctrl-Z, SIGSTOP): not ours to answer.
    if (event.kind !== 'stopped' || !traced) return;
    // No exec stop is to come when the exec failed (the child is on its way out).
    const awaitingExecTrap = !execTrapSeen && run.launched.execError === null;
    if (awaitingExecTrap && event.signal === 'SIGTRAP') {
      execTrapSeen = true;
      traced = false;
      void run.detach(0);
    } else if (awaitingExecTrap && !STOPPING.has(event.signal)) {
      // A signal that came first: delivered, and the child stays traced until its exec stop.
      void run.continue(event.number);
    } else {
      traced = false;
      void run.detach(event.number);
    }
  };
}
