// How the CLI shows plans and results to people (--json prints the objects instead).
import { heldOpenMessage, timedOutMessage } from '../shared/explain';
import { formatProblem, type Problem } from '../shared/problems';
import type { PlanOp, RunResult } from '../shared/result';
import { maxRssText } from '../shared/rusage';

function opLine(op: PlanOp, index: number): string {
  const where = op.pass ? ` [pass ${op.pass}${op.slot !== undefined && op.slot >= 0 ? `, fd ${op.slot}` : ', status pipe'}]` : '';
  const hazard = op.clobbers
    ? `   <- destroys the source of ${op.clobbers.map((s) => (s === -2 ? 'the status pipe' : `fd ${s}`)).join(', ')}`
    : '';
  return `${String(index + 1).padStart(3)}. ${op.step.padEnd(9)} ${op.call}${where}${hazard}`;
}

export function formatPlan(ops: readonly PlanOp[]): string {
  return ops.map(opLine).join('\n');
}

export function formatProblems(kind: 'error' | 'warning', problems: readonly Problem[]): string[] {
  return problems.map((p) => `${kind}: ${formatProblem(p)}`);
}

function eventWords(e: RunResult['events'][number]): string {
  if (e.kind === 'stopped') return `stopped by ${e.signal}`;
  if (e.kind === 'answered') return `${e.signal} before execve, answered by the lab (its tracer): ${e.delivered ? 'delivered' : 'held back'}`;
  return e.kind;
}

export function formatOutcome(r: RunResult): string {
  const lines: string[] = [];
  if (r.execError?.died) {
    const e = r.execError;
    lines.push(`${e.code === 'EXEC_UNKNOWN' ? 'whether the program ran is unknown' : 'the program never ran'}: ${e.message}`);
  } else if (r.execError) {
    const e = r.execError;
    lines.push(`exec error at step ${e.step}: ${e.code} (${e.message})${e.file !== undefined ? ` for fd ${e.file}` : ''}`);
    if (e.cause && e.cause.code !== 'unknown') lines.push(`  why (${e.cause.code}): ${e.cause.text}`);
  }
  if (r.status?.kind === 'exited') lines.push(`exited with status ${r.status.code}`);
  if (r.status === null && r.pid !== null) lines.push('ended; its exit status is unknown (something else in the lab reaped it)');
  if (r.status?.kind === 'signaled') {
    lines.push(`killed by ${r.status.signal} (${r.status.number})${r.status.coreDumped ? ', core dumped' : ''}`);
  }
  if (r.timedOut) lines.push(timedOutMessage(undefined, r.timeoutKilled));
  for (const key of r.outputHeldOpen ?? []) lines.push(heldOpenMessage(key, r.outputHolders?.[key]));
  for (const e of r.events) lines.push(`event at ${e.atMs} ms: ${eventWords(e)}`);
  lines.push(`pid ${r.pid ?? '-'}, ${r.durationMs} ms`);
  if (r.rusage) lines.push(maxRssText(r.rusage.maxRssKb, r.execError));
  return lines.join('\n');
}
