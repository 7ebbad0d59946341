// Two runs' traces step by step: the steps paired by name (align.ts), so that a step one run
// took and the other did not stands alone on its side, and a pair whose call or outcome
// differs is marked; the first row that differs is where the runs diverge.
import { alignSequences } from './align';
import type { TraceEntry, TraceState } from './result';
import { notEnded, notKept, row, text, type CompareCell, type CompareRow, type ComparedRun } from './run-compare-rows';

const STATE_WORDS: Record<TraceState, string> = { done: 'ok', failed: 'failed', 'not-run': 'not run', unknown: 'unknown' };

function outcome(entry: TraceEntry): string {
  const failed = `failed${entry.code ? ` ${entry.code}` : ''}`;
  if (entry.ignored) return `${failed}, ignored`;
  return entry.state === 'failed' ? failed : STATE_WORDS[entry.state];
}

/** A step as a cell: its call and how it went ("setuid(65534) · failed EPERM"). */
function stepCell(entry: TraceEntry): CompareCell {
  const tone = entry.state === 'failed' && !entry.ignored ? 'error' : entry.state === 'done' ? undefined : 'muted';
  return text(`${entry.call} · ${outcome(entry)}`, tone);
}

/** Why a run has no trace to compare, or null when it has one. */
function noTrace(run: ComparedRun): CompareCell | null {
  if (run.trace) return null;
  return notKept(run, 'trace') ?? notEnded(run) ?? { missing: 'no trace recorded' };
}

const summary = (trace: readonly TraceEntry[]): CompareCell => {
  const failed = trace.find((t) => t.state === 'failed' && !t.ignored);
  return text(`${trace.length} steps${failed ? `, failed at ${failed.step}` : ''}`);
};

export function traceRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const [missingA, missingB] = [noTrace(a), noTrace(b)];
  if (missingA || missingB) {
    return [row('trace', 'trace', 'trace', missingA ?? summary(a.trace!), missingB ?? summary(b.trace!))];
  }
  const [ta, tb] = [a.trace!, b.trace!];
  let diverged = false;
  return alignSequences(ta, tb, (t) => t.step).map(([i, j], k) => {
    const [x, y] = [i === null ? undefined : ta[i], j === null ? undefined : tb[j]];
    const step = (x ?? y)!.step;
    const only = x && y ? undefined : x ? 'a' : 'b';
    const r = row('trace', `trace.${k}`, step, x ? stepCell(x) : { text: 'not taken', tone: 'muted' }, y ? stepCell(y) : { text: 'not taken', tone: 'muted' });
    if (only) r.onlyIn = only;
    if (r.verdict !== 'same' && !diverged) {
      diverged = true;
      r.divergence = true;
      r.note = only ? `the runs diverge here: only ${only.toUpperCase()} took this step` : 'the runs diverge here';
    }
    return r;
  });
}
