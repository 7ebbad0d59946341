// Two runs' output, stream by stream: equal or not, and where not, the lines around the
// first one that differs from both, that line marked. Only what the page kept is compared
// (the last MiB of a stream); a run from before the page loaded has its output in files
// only, and says so.
import { notKept, row, text, type CompareCell, type CompareRow, type ComparedRun, type KeptOutput, type OutputExcerpt } from './run-compare-rows';
import { sortKeys, streamLabel } from './run-words';

/** Lines shown of each stream, from a few before the first that differs. */
const WINDOW_LINES = 16;
const LINES_BEFORE = 3;
/** A longer line is cut here in the excerpt (compared whole). */
const MAX_LINE_CHARS = 400;

function linesOf(output: string): string[] {
  const lines = output.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The first line (0-based) where the two differ, or null when they are the same. */
function firstDifferentLine(a: readonly string[], b: readonly string[]): number | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return null;
}

function excerpt(lines: readonly string[], other: readonly string[] | null, from: number, droppedBytes: number): OutputExcerpt {
  const window = lines.slice(from, from + WINDOW_LINES).map((line, k) => ({
    text: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line,
    differs: other !== null && other[from + k] !== line,
  }));
  return { from, lines: window, totalLines: lines.length, droppedBytes };
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function sizeCell(kept: KeptOutput | undefined): CompareCell {
  if (!kept) return text('not captured', 'muted');
  if (kept.text === '' && kept.droppedBytes === 0) return text('no output', 'muted');
  const dropped = kept.droppedBytes > 0 ? `, the last part kept (${plural(kept.droppedBytes, 'byte')} before it not kept here)` : '';
  return text(`${plural(linesOf(kept.text).length, 'line')}${dropped}`);
}

function noOutput(run: ComparedRun, key: string): CompareCell | null {
  if (run.output) return null;
  const missing = notKept(run, 'output') ?? { missing: 'no output known' };
  return 'missing' in missing && run.savedKeys.includes(key) ? { missing: `${missing.missing} (its saved file has it)` } : missing;
}

function streamRow(a: ComparedRun, b: ComparedRun, key: string): CompareRow {
  const label = streamLabel(key);
  const [missingA, missingB] = [noOutput(a, key), noOutput(b, key)];
  const [ka, kb] = [a.output?.[key], b.output?.[key]];
  if (missingA || missingB) return row('output', `output.${key}`, label, missingA ?? sizeCell(ka), missingB ?? sizeCell(kb));
  const [la, lb] = [linesOf(ka?.text ?? ''), linesOf(kb?.text ?? '')];
  const same = ka?.text === kb?.text && (ka?.droppedBytes ?? 0) === (kb?.droppedBytes ?? 0) && !!ka === !!kb;
  const firstDiff = same ? null : firstDifferentLine(la, lb);
  const from = Math.max(0, (firstDiff ?? 0) - LINES_BEFORE);
  const notes = [
    firstDiff !== null && `first differs at line ${firstDiff + 1}${ka?.droppedBytes || kb?.droppedBytes ? ' of the part kept' : ''}`,
    firstDiff === null && !same && 'the same lines kept, after a different amount not kept',
    (a.running || b.running) && 'still running: compared as far as it has written',
  ].filter((n): n is string => typeof n === 'string');
  return {
    ...row('output', `output.${key}`, label, sizeCell(ka), sizeCell(kb)),
    verdict: same ? 'same' : 'differs',
    ...(notes.length > 0 && { note: notes.join('; ') }),
    output: {
      firstDiff,
      a: ka ? excerpt(la, same ? null : lb, from, ka.droppedBytes) : null,
      b: kb ? excerpt(lb, same ? null : la, from, kb.droppedBytes) : null,
    },
  };
}

export function outputRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const keys = sortKeys([...new Set([...Object.keys(a.output ?? {}), ...Object.keys(b.output ?? {}), ...a.savedKeys, ...b.savedKeys])]);
  if (keys.length === 0) return [row('output', 'output', 'output', text('none captured', 'muted'), text('none captured', 'muted'))];
  return keys.map((key) => streamRow(a, b, key));
}
