// A run's trace set against its plan: which op each trace entry records. The trace lists
// the ops the child really ran, in plan order, up to the failing one or execve; ops it did
// not run have no entry. Matched by step and call, in order, so that an op missing from the
// trace cannot shift the others onto the wrong ops.
import type { PlanOp, TraceEntry } from './result';

/** The trace entry of each plan op, by plan index (null: the child did not run that op). */
export function alignTrace(plan: readonly PlanOp[], trace: readonly TraceEntry[]): (TraceEntry | null)[] {
  let next = 0;
  return plan.map((op) => {
    const entry = trace[next];
    if (!entry || entry.step !== op.step || entry.call !== op.call) return null;
    next++;
    return entry;
  });
}
