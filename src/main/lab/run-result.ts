// Native messages -> the parts of the run result (contract §3) people read.
import { describeErrno } from '../../shared/errno';
import type { ExecError, RunEvent, TraceEntry, WaitStatus } from '../../shared/result';
import { describeSignal } from '../../shared/signals';
import type { StepName } from '../../shared/steps';
import { TRACE_FAILED, TRACE_NOT_RUN, type NativeMessage } from './engine';

type Spawned = Extract<NativeMessage, { type: 'spawned'; parentFailure?: undefined }>;
type ParentFailure = Extract<NativeMessage, { type: 'spawned'; parentFailure: object }>['parentFailure'];

export function execError(step: StepName, errno: number, file?: number): ExecError {
  const { code, message } = describeErrno(errno);
  return file === undefined ? { step, errno, code, message } : { step, errno, code, message, file };
}

// What the child recorded, op by op, up to the failing op or execve. A successful execve
// never returns to write its slot: EOF on the status pipe is its record.
export function traceEntries(m: Spawned): TraceEntry[] {
  const out: TraceEntry[] = [];
  m.plan.forEach((op, i) => {
    const state = m.trace[2 * i]!;
    const errno = m.trace[2 * i + 1]!;
    const execed = op.step === 'execve' && m.failedOp === -1;
    if (state === TRACE_NOT_RUN && !execed) return;
    const entry: TraceEntry = { step: op.step, call: op.call, ok: state !== TRACE_FAILED };
    if (state === TRACE_FAILED) {
      entry.errno = errno;
      entry.code = describeErrno(errno).code;
      if (i !== m.failedOp) entry.ignored = true;  // the seed goes on after this call
    }
    out.push(entry);
  });
  return out;
}

export function spawnError(m: Spawned): ExecError | null {
  if (m.failedOp < 0) return null;
  const op = m.plan[m.failedOp];
  return execError(op.step, m.failedErrno, op.step === 'fd' && op.slot! >= 0 ? op.slot : undefined);
}

export function parentError(f: ParentFailure): ExecError {
  return execError(f.step, f.errno, f.slot);
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
  return { atMs, kind: m.kind };
}

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;
