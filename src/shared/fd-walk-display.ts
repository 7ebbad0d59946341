// What the fd view shows of a walk (fd-view.ts) while a person steps through it: the child
// table keeps one row per fd that is open at any moment of the walk (so rows never shift as
// ops open and close descriptors), the ops are listed under a heading wherever the pass
// changes, and each position of the scrubber is a moment: the table then, what the op just
// changed, and which sources the child has lost.
import { fdsBySource, tableAfter, type FdChange, type FdEntry, type FdStep, type FdTable, type FdWalk } from './fd-view';

/** Every fd the child has open at some point of the walk, ascending. */
export function childRowFds(walk: FdWalk): number[] {
  const fds = new Set(walk.initial.map((e) => e.fd));
  for (const step of walk.steps) for (const change of step.changes) fds.add(change.fd);
  return [...fds].sort((a, b) => a - b);
}

/** pass 1 · pass 2 · closefds (close_range over the rest) · other: an fd op without a pass. */
export type OpPhase = 1 | 2 | 'closefds' | 'other';

export type OpRow = { kind: 'phase'; phase: OpPhase } | { kind: 'op'; stepIndex: number };

export function opPhase(step: FdStep): OpPhase {
  if (step.op.pass) return step.op.pass;
  return step.op.step === 'closefds' ? 'closefds' : 'other';
}

/** The ops in order, each run of one phase under its heading. */
export function opRows(steps: readonly FdStep[]): OpRow[] {
  const rows: OpRow[] = [];
  let phase: OpPhase | null = null;
  steps.forEach((step, stepIndex) => {
    const next = opPhase(step);
    if (next !== phase) rows.push({ kind: 'phase', phase: next });
    phase = next;
    rows.push({ kind: 'op', stepIndex });
  });
  return rows;
}

/** The ops that destroy a source the child still needs (golang/go#61751), by step index. */
export const destroyingSteps = (walk: FdWalk): number[] => walk.steps.flatMap((step, i) => (step.destroys.length > 0 ? [i] : []));

/** Source id -> the child fds files[] wants on it (the status pipe: -2, as in fd-view.ts). */
export function neededBy(walk: FdWalk): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (walk.initial.some((e) => e.source.id === 'status')) out.set('status', [-2]);
  return fdsBySource(walk.intended, out);
}

/** The walk after `position` ops (0: right after the clone). */
export interface Moment {
  position: number;
  /** The op just done (null at position 0). */
  step: FdStep | null;
  table: FdTable;
  byFd: ReadonlyMap<number, FdEntry>;
  /** Source id -> the child fds that refer to it now. */
  fdsOfSource: ReadonlyMap<string, number[]>;
  /** fd -> what the op just did to it. */
  changed: ReadonlyMap<number, FdChange>;
  /** Sources the op just copied or flagged. */
  touched: ReadonlySet<string>;
  /** Sources the child still needs that no child fd refers to any more. */
  lost: ReadonlySet<string>;
}

export function momentAt(walk: FdWalk, position: number, needed: ReadonlyMap<string, number[]> = neededBy(walk)): Moment {
  const at = Math.max(0, Math.min(position, walk.steps.length));
  const table = tableAfter(walk, at);
  const step = at > 0 ? walk.steps[at - 1]! : null;
  const fdsOfSource = fdsBySource(table);
  const changes = step?.changes ?? [];
  return {
    position: at,
    step,
    table,
    byFd: new Map(table.map((e) => [e.fd, e])),
    fdsOfSource,
    changed: new Map(changes.map((c) => [c.fd, c])),
    touched: new Set(changes.flatMap((c) => (c.after ? [c.after.source.id] : []))),
    lost: new Set([...needed.keys()].filter((id) => !fdsOfSource.has(id))),
  };
}
