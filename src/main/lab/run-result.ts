// Native messages -> the parts of the run result (src/shared/result.ts) people read.
import { describeErrno, errnoByCode } from '../../shared/errno';
import type { ExecError, PlanOp, RunEvent, TraceEntry, TraceState, WaitStatus } from '../../shared/result';
import { describeSignal } from '../../shared/signals';
import type { StepName } from '../../shared/steps';
import { EXEC_SEEN, TRACE_STATE } from '../../shared/engine-names';
import type { NativeMessage } from './engine';

type Spawned = Extract<NativeMessage, { type: 'spawned'; parentFailure?: undefined }>;
type ParentFailure = Extract<NativeMessage, { type: 'spawned'; parentFailure: object }>['parentFailure'];

const ECANCELED = errnoByCode('ECANCELED')!.number;

export function execError(step: StepName, errno: number, file?: number): ExecError {
  const { code, message } = describeErrno(errno);
  return file === undefined ? { step, errno, code, message } : { step, errno, code, message, file };
}

/** A run's own plan, from the engine's array shared by every run of the same plan. */
export function copyPlan(plan: Spawned['plan']): PlanOp[] {
  return plan.map((op) => ({ ...op, ...(op.args && { args: [...op.args] }), ...(op.clobbers && { clobbers: [...op.clobbers] }) }));
}

// What the child recorded, op by op (src/shared/result.ts, TraceEntry): up to the failing op or execve; every
// op when it died during its setup, those it never reached as not run. An execve it went
// into without coming back is done (it exec'd) until its exit says otherwise (setupSeenAtExit).
export function traceEntries(m: Spawned): TraceEntry[] {
  const last = m.failedOp >= 0 ? m.failedOp : m.plan.length - 1;
  const out: TraceEntry[] = [];
  for (let i = 0; i <= last; i++) {
    const op = m.plan[i]!;
    const native = m.trace[2 * i]!;
    const errno = m.trace[2 * i + 1]!;
    const state: TraceState =
      native === TRACE_STATE.ok ? 'done'
      : native === TRACE_STATE.failed ? 'failed'
      : native === TRACE_STATE.notRun ? 'not-run'
      : op.step === 'execve' && m.execEntered ? 'done'
      : 'unknown';  // entered: the child died in this call
    if (state === 'not-run' && m.diedAtOp < 0) continue;
    const entry: TraceEntry = { step: op.step, call: op.call, ok: state === 'done', state };
    if (state === 'failed') {
      entry.errno = errno;
      entry.code = describeErrno(errno).code;
      if (i !== m.failedOp) entry.ignored = true;  // the seed goes on after this call
    }
    out.push(entry);
  }
  return out;
}

export function spawnError(m: Spawned): ExecError | null {
  if (m.failedOp >= 0) {
    const op = m.plan[m.failedOp]!;
    return execError(op.step, m.failedErrno, op.step === 'fd' && op.slot! >= 0 ? op.slot : undefined);
  }
  if (m.diedAtOp >= 0) return diedInSetup(m, m.diedAtOp, m.trace[2 * m.diedAtOp] === TRACE_STATE.entered ? 'in' : 'before');
  return null;
}

function diedInSetup(m: Spawned, op: number, where: 'in' | 'before'): ExecError {
  const planned = m.plan[op]!;
  return {
    step: planned.step,
    errno: 0,
    code: 'DIED_IN_SETUP',
    message: `died during its setup, ${where} op ${op + 1} of ${m.plan.length} (${planned.call}), before its program ran`,
    died: { op, of: m.plan.length },
  };
}

// An execve the child went into: its exit tells whether the program ran (the exit code
// of a program, or the comm execve gives; native/src/exec-verdict.h). Changes the trace's
// execve entry and returns the exec error, when it did not run or cannot be known.
export function setupSeenAtExit(m: Spawned, execSeen: number, trace: TraceEntry[], statusLost: boolean): ExecError | null {
  if (!m.execEntered || execSeen === EXEC_SEEN.execed || execSeen === EXEC_SEEN.notAsked) return null;
  const entry = trace[trace.length - 1]!;
  entry.state = 'unknown';
  entry.ok = false;
  const op = m.plan.length - 1;
  if (execSeen === EXEC_SEEN.notExeced) return diedInSetup(m, op, 'in');  // killed before execve's point of no return
  return {
    step: 'execve',
    errno: 0,
    code: 'EXEC_UNKNOWN',
    message: statusLost
      ? 'whether its program ran could not be seen: something else in the lab reaped the child before the lab could look'
      : 'died around its execve; whether its program had started could not be seen (its comm in /proc was unreadable or ambiguous)',
    died: { op, of: m.plan.length },
  };
}

// The exec error of a child that died in its setup, with the signal that ended it.
export function withDeath(error: ExecError, status: WaitStatus | null): ExecError {
  if (!error.died) return error;
  if (!status) return error;
  const how = status.kind === 'signaled' ? `killed by ${status.signal}` : `exited with status ${status.code}`;
  return { ...error, message: `${how}: ${error.message}` };
}

export function parentError(f: ParentFailure, timedOut: boolean): ExecError {
  const error = execError(f.step, f.errno, f.slot);
  if (f.errno !== ECANCELED || f.slot === undefined) return error;
  const by = timedOut ? 'its timeout ended the launch' : 'the launch was killed';
  return { ...error, message: `files[${f.slot}] was still being opened when ${by} (opening a FIFO waits until its other end is opened)` };
}

// The wait status word as wait(2)'s macros read it.
export function waitStatus(status: number): WaitStatus {
  const termSig = status & 0x7f;
  if (termSig === 0) return { kind: 'exited', code: (status >> 8) & 0xff };
  const { name } = describeSignal(termSig);
  return { kind: 'signaled', signal: name, number: termSig, coreDumped: (status & 0x80) !== 0 };
}

export function runEvent(m: Extract<NativeMessage, { type: 'event' }>): RunEvent {
  const atMs = round(m.atMs);
  if (m.kind === 'stopped') return { atMs, kind: 'stopped', signal: describeSignal(m.signal).name, number: m.signal };
  if (m.kind === 'answered') return { atMs, kind: 'answered', signal: describeSignal(m.signal).name, number: m.signal, delivered: m.delivered };
  return { atMs, kind: m.kind };
}

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;
