// Two runs side by side (issue 14): how each was launched and ended, its exec error and
// cause, the profile fields that differ, the trace step by step, what the child got, and
// the output; each row judged the same, different, or unknown (a side does not have it).
// What a person asks of it: what changed between the run that worked and the one that
// did not. Pure: the app renders the rows.
import { observedRows } from './run-compare-observed';
import { outputRows } from './run-compare-output';
import { profileRows } from './run-compare-profile';
import { COMPARE_SECTIONS, notEnded, row, text, type CompareCell, type CompareRow, type CompareSection, type ComparedRun } from './run-compare-rows';
import { traceRows } from './run-compare-trace';
import { statusText } from './run-words';
import type { ExecError } from './result';

function runRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const mode = (run: ComparedRun) => text(run.probe ? 'the probe, in the program’s place' : 'the program');
  const program = (run: ComparedRun): CompareCell => (run.path ? text(run.path) : notEnded(run) ?? { missing: 'not known yet' });
  return [
    row('run', 'name', 'profile', text(a.name), text(b.name)),
    { ...row('run', 'launched', 'launched', text(a.launched), text(b.launched)), info: true },
    row('run', 'mode', 'ran', mode(a), mode(b)),
    row('run', 'program', 'program', program(a), program(b), { hint: 'after the PATH lookup' }),
  ];
}

function statusCell(run: ComparedRun): CompareCell {
  const unended = notEnded(run);
  if (unended) return unended;
  if (!run.status) return run.pid === null ? text('never started: no child was created', 'error') : text('exit status unknown', 'error');
  return text(statusText(run.status), run.status.kind === 'exited' && run.status.code === 0 && !run.execError ? 'ok' : 'error');
}

function endingRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const ended = (run: ComparedRun, cell: (run: ComparedRun) => CompareCell) => notEnded(run) ?? cell(run);
  const timedOut = (run: ComparedRun) => (run.timedOut ? text('yes: the lab killed it', 'error') : text('no'));
  const heldOpen = (run: ComparedRun) => (run.outputHeldOpen.length === 0 ? text('none', 'muted') : text(run.outputHeldOpen.join(', ')));
  return [
    row('ending', 'status', 'status', statusCell(a), statusCell(b)),
    row('ending', 'timed-out', 'timed out', ended(a, timedOut), ended(b, timedOut)),
    row('ending', 'held-open', 'output held open', ended(a, heldOpen), ended(b, heldOpen), { hint: 'streams still open when the child exited: descendants held them' }),
  ];
}

/** "execve · ENOENT (errno 2): No such file or directory", or where the child died. */
function execErrorText(error: ExecError): string {
  const at = `${error.step}${error.file !== undefined ? ` (fd ${error.file})` : ''}`;
  if (error.died) return `${at} · ${error.code}: died in op ${error.died.op + 1} of ${error.died.of}, before its program ran`;
  return `${at} · ${error.code} (errno ${error.errno}): ${error.message}`;
}

function execErrorRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const error = (run: ComparedRun): CompareCell => notEnded(run) ?? (run.execError ? text(execErrorText(run.execError), 'error') : text('none: the program ran', 'muted'));
  const rows = [row('exec-error', 'exec-error', 'exec error', error(a), error(b))];
  if (a.execError || b.execError) {
    const cause = (run: ComparedRun): CompareCell => {
      const found = run.execError?.cause;
      const unended = notEnded(run);
      if (unended) return unended;
      if (!run.execError) return text('none', 'muted');
      // The lab looks for causes of a failed execve only.
      if (!found) return text(`not looked for: ${run.execError.step} failed, not execve`, 'muted');
      return found.code === 'unknown' ? text('none found', 'muted') : text(`${found.code}: ${found.text}`);
    };
    rows.push(row('exec-error', 'cause', 'cause', cause(a), cause(b), { hint: 'what the lab found by looking, after the failure' }));
  }
  return rows;
}

/** Every row, section by section (COMPARE_SECTIONS' order). */
export function compareRuns(a: ComparedRun, b: ComparedRun): CompareRow[] {
  return [...runRows(a, b), ...endingRows(a, b), ...execErrorRows(a, b), ...profileRows(a, b), ...traceRows(a, b), ...observedRows(a, b), ...outputRows(a, b)];
}

export interface CompareSummary {
  /** What differs, in a few words each ("status", "trace, from its setuid step", "1 profile field: sys.credential.uid"). */
  differs: string[];
  /** What could not be compared (a side does not have it). */
  unknown: string[];
}

const FEW = 3;
const named = (labels: readonly string[]) => `${labels.slice(0, FEW).join(', ')}${labels.length > FEW ? ` and ${labels.length - FEW} more` : ''}`;
const labels = (rows: readonly CompareRow[]) => rows.map((r) => r.label);

/** How a section's differing rows are said: each by name, or grouped where there are many of a kind. */
const PHRASES: Record<CompareSection, (rows: readonly CompareRow[]) => string[]> = {
  run: labels,
  ending: labels,
  'exec-error': labels,
  profile: (rows) => (rows.length === 0 ? [] : [`${rows.length} profile field${rows.length === 1 ? '' : 's'}: ${named(labels(rows))}`]),
  trace: (rows) => {
    const divergence = rows.find((r) => r.divergence);
    return divergence ? [`trace, from its ${divergence.label} step`] : [];
  },
  observed: (rows) => (rows.length === 0 ? [] : [`what the child got: ${named(labels(rows))}`]),
  output: (rows) => rows.map((r) => `output on ${r.label}`),
};

/** The differences in a line, in the sections' order. */
export function compareSummary(rows: readonly CompareRow[]): CompareSummary {
  const differing = rows.filter((r) => r.verdict === 'differs' && !r.info);
  return {
    differs: COMPARE_SECTIONS.flatMap(({ id }) => PHRASES[id](differing.filter((r) => r.section === id))),
    unknown: [...new Set(rows.filter((r) => r.verdict === 'unknown').map((r) => r.label))],
  };
}
