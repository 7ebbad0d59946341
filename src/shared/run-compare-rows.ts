// The comparison of two runs as rows (run-compare.ts builds them): what each run is made of
// for the comparison, one row per thing compared, and how a row is judged. A side that does
// not have the thing (a run from before the page loaded keeps no trace) says why in its
// cell, and such a row is never judged equal.
import type { ObservedFd, ProbeReport } from './api';
import type { NamespaceIds } from './namespaces';
import type { ExecError, TraceEntry, WaitStatus } from './result';

/** Whose run it is: this page's, or one the lab kept from before the page loaded (a reload, or a restart of the lab). */
export type RunOrigin = 'this-page' | 'before-reload' | 'earlier-session';

/** One stream's output as the page kept it: its last part, and how much came before that. */
export interface KeptOutput {
  text: string;
  /** Bytes before `text` that the page no longer has (it keeps the last MiB of a stream). */
  droppedBytes: number;
}

/** One run, as much of it as the page knows. */
export interface ComparedRun {
  name: string;
  /** When it was launched, as the page writes the time. */
  launched: string;
  origin: RunOrigin;
  probe: boolean;
  /** undefined: not started yet · null: no child was created. */
  pid: number | null | undefined;
  /** The lab refused the launch: why. */
  refused?: string;
  /** Still running: it has no ending yet. */
  running: boolean;
  /** The program after the PATH lookup; null while unknown. */
  path: string | null;
  status: WaitStatus | null;
  execError: ExecError | null;
  timedOut: boolean;
  outputHeldOpen: readonly string[];
  /** null: not kept (or not known yet). */
  trace: readonly TraceEntry[] | null;
  /** The profile as launched, with every default filled in; null: not kept. */
  profile: unknown;
  probeReport: ProbeReport | null;
  /** The lab's own namespaces, sent with the probe's report. */
  labNamespaces: NamespaceIds | null;
  /** The child's descriptor table: the probe's own, or read from /proc right after exec; null: not observed. */
  observed: { source: 'proc' | 'probe'; fds: readonly ObservedFd[]; error?: string } | null;
  /** Captured output by key ("1", "2", "pty"); null: not kept. */
  output: Readonly<Record<string, KeptOutput>> | null;
  /** Streams saved to files by the lab (all that is left of an earlier run's output). */
  savedKeys: readonly string[];
}

export type CompareSection = 'run' | 'ending' | 'exec-error' | 'trace' | 'profile' | 'observed' | 'output';

export const COMPARE_SECTIONS: readonly { id: CompareSection; title: string }[] = [
  { id: 'run', title: 'Run' },
  { id: 'ending', title: 'How it ended' },
  { id: 'exec-error', title: 'Exec error' },
  { id: 'profile', title: 'Profile fields' },
  { id: 'trace', title: 'Trace' },
  { id: 'observed', title: 'What the child got' },
  { id: 'output', title: 'Output' },
];

/** One side of a row: its value in words, or why it has none. */
export type CompareCell =
  | { text: string; tone?: 'ok' | 'error' | 'muted' }
  | { missing: string };

/** same · differs · unknown: a side is missing, so the two cannot be compared. */
export type CompareVerdict = 'same' | 'differs' | 'unknown';

/** Output compared line by line: a window of lines around the first that differs. */
export interface OutputExcerpt {
  /** 0-based number of the window's first line. */
  from: number;
  lines: readonly { text: string; differs: boolean }[];
  totalLines: number;
  droppedBytes: number;
}

export interface CompareRow {
  /** Unique among the rows. */
  key: string;
  section: CompareSection;
  label: string;
  /** What the label stands for, when more than its words (the field's name in the builder). */
  hint?: string;
  a: CompareCell;
  b: CompareCell;
  verdict: CompareVerdict;
  /** Shown whatever the filter, never counted: what tells the two apart anyway (when each was launched). */
  info?: boolean;
  /** The trace step where the two runs first go different ways. */
  divergence?: boolean;
  /** A trace step that only one run took. */
  onlyIn?: 'a' | 'b';
  /** Said under the row: how the two differ, or what to know to read them. */
  note?: string;
  /** Output rows: the two streams line by line (null on a side with no output kept). */
  output?: { firstDiff: number | null; a: OutputExcerpt | null; b: OutputExcerpt | null };
}

export const isMissing = (cell: CompareCell): cell is { missing: string } => 'missing' in cell;

/** Equal text on both sides is the same; a missing side makes the row unknown. */
export function verdictOf(a: CompareCell, b: CompareCell): CompareVerdict {
  if (isMissing(a) || isMissing(b)) return 'unknown';
  return a.text === b.text ? 'same' : 'differs';
}

/** A row judged by its cells' text. */
export function row(section: CompareSection, key: string, label: string, a: CompareCell, b: CompareCell, extra: Partial<CompareRow> = {}): CompareRow {
  return { key, section, label, a, b, verdict: verdictOf(a, b), ...extra };
}

export const text = (value: string, tone?: 'ok' | 'error' | 'muted'): CompareCell => (tone ? { text: value, tone } : { text: value });

/** Why a run from before this page loaded has no `what`. */
export function notKept(run: ComparedRun, what: string): CompareCell | null {
  if (run.origin === 'this-page') return null;
  return { missing: `${what} not kept for runs from ${run.origin === 'earlier-session' ? 'an earlier session' : 'before this page loaded'}` };
}

/** Why a run has no ending to compare yet, or none at all. */
export function notEnded(run: ComparedRun): CompareCell | null {
  if (run.refused !== undefined) return { missing: `not launched: ${run.refused}` };
  if (run.running) return { missing: 'still running' };
  return null;
}
