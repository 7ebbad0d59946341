// The fd view model: a plan's descriptor operations walked one by one over a table of
// what each descriptor refers to, so that a person can step through what the child does
// to its descriptors and see why each op is there. The ops come from the planner (the one
// implementation, in native/); this only replays them, as the kernel would.
import type { PlanOp } from './result';
import { runToEnd, type Sliced } from './sliced';

/** `missing`: a lab fd that files[] names but that is not open (only in `intended`). */
export type SourceKind = 'pipe' | 'file' | 'null' | 'pty' | 'inherit' | 'status' | 'host' | 'missing';

/** What a descriptor refers to. Two descriptors with the same id share the open file. */
export interface FdSource {
  id: string;
  kind: SourceKind;
  /** For people: "pipe to the lab (output 1)", "/tmp/log (append)", "the lab's fd 5". */
  label: string;
}

export interface FdEntry {
  fd: number;
  source: FdSource;
  cloexec: boolean;
}

/** Descriptors in ascending order. */
export type FdTable = readonly FdEntry[];

export interface FdChange {
  fd: number;
  before: FdEntry | null;
  after: FdEntry | null;
}

/** One op of the plan that touches descriptors (the fd step's ops, and closefds). */
export interface FdStep {
  /** The op's index in the whole plan. */
  planIndex: number;
  op: PlanOp;
  /** One sentence: why this op is there. */
  why: string;
  changes: FdChange[];
  /** Sources no descriptor refers to any more after this op although the child still needs them. */
  destroys: { source: FdSource; neededBy: number[] }[];
  /** The op fails here (a dup2 or fcntl on a descriptor that is not open): EBADF. */
  error?: string;
}

export interface FdWalk {
  /** The child's table right after the clone: the lab's descriptors that the view knows of. */
  initial: FdTable;
  steps: FdStep[];
  /** What execve keeps: every descriptor without close-on-exec after the last step. */
  atExec: FdTable;
  /** What files[] asks for: child fd i refers to the source of files[i]. */
  intended: FdTable;
  /** Child fds where atExec differs from intended. */
  wrongFds: number[];
  /** Descriptors the program gets that files[] did not ask for (inherited strays). */
  strays: number[];
}

const STATUS_PIPE = -2;

const sortTable = (entries: Iterable<FdEntry>): FdTable => [...entries].sort((a, b) => a.fd - b.fd);

/**
 * The host side of a plan: one entry per descriptor the view knows of. `sourceOf(fd)` names
 * what a host descriptor refers to; every descriptor the engine opens is close-on-exec.
 * `others` adds more of the lab's descriptors: a number is "the lab's fd N", an entry is
 * taken as it is.
 */
export function hostTable(
  slotFds: readonly number[],
  statusFd: number,
  sourceOf: (fd: number, slot: number) => FdSource,
  others: readonly (number | FdEntry)[] = [],
): FdTable {
  const table = new Map<number, FdEntry>();
  slotFds.forEach((fd, slot) => {
    if (fd >= 0 && !table.has(fd)) table.set(fd, { fd, source: sourceOf(fd, slot), cloexec: true });
  });
  table.set(statusFd, { fd: statusFd, source: { id: 'status', kind: 'status', label: 'the status pipe (write end)' }, cloexec: true });
  for (const other of others) {
    const entry = typeof other === 'number' ? { fd: other, source: { id: `host:${other}`, kind: 'host' as const, label: `the lab's fd ${other}` }, cloexec: true } : other;
    if (!table.has(entry.fd)) table.set(entry.fd, entry);
  }
  return sortTable(table.values());
}

/** Replays a plan's descriptor ops over the host table. */
export const walkPlan = (plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[]): FdWalk => runToEnd(walkPlanSliced(plan, host, slotFds));

/** walkPlan, pausing after every `slice` ops of the plan. */
export function* walkPlanSliced(plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[], slice = 500): Sliced<FdWalk> {
  const hostByFd: ReadonlyMap<number, FdEntry> = new Map(host.map((e) => [e.fd, e]));
  const table = new Map(hostByFd);
  const intended = intendedTable(hostByFd, slotFds);
  const needers = neededBy(intended);
  // How many descriptors refer to each source: an op that takes one to 0 has lost it.
  const refs = new Map<string, number>();
  for (const e of host) refs.set(e.source.id, (refs.get(e.source.id) ?? 0) + 1);
  const steps: FdStep[] = [];
  for (const [planIndex, op] of plan.entries()) {
    if (planIndex % slice === slice - 1) yield;
    if (!op.op) continue;
    const { changes, error } = apply(table, op);
    const lost: FdSource[] = [];
    for (const { before, after } of changes) {
      if (after) refs.set(after.source.id, (refs.get(after.source.id) ?? 0) + 1);
      if (!before) continue;
      const left = refs.get(before.source.id)! - 1;
      refs.set(before.source.id, left);
      if (left === 0 && needers.has(before.source.id)) lost.push(before.source);
    }
    const destroys = lost
      .filter((source, i) => refs.get(source.id) === 0 && lost.findIndex((s) => s.id === source.id) === i)
      .map((source) => ({ source, neededBy: needers.get(source.id)! }));
    const step: FdStep = { planIndex, op, why: '', changes, destroys };
    if (error) step.error = error;
    step.why = explain(step, slotFds, hostByFd);
    steps.push(step);
  }
  const atExec = sortTable([...table.values()].filter((e) => !e.cloexec));
  const got = new Map(atExec.map((e) => [e.fd, e.source.id]));
  const wrongFds = intended.filter((e) => got.get(e.fd) !== e.source.id).map((e) => e.fd);
  const asked = new Set(intended.map((e) => e.fd));
  const strays = atExec.filter((e) => !asked.has(e.fd)).map((e) => e.fd);
  return { initial: host, steps, atExec, intended, wrongFds, strays };
}

/** The table after the first `count` steps of a walk (0: the initial table). */
export function tableAfter(walk: FdWalk, count: number): FdTable {
  const table = new Map(walk.initial.map((e) => [e.fd, e]));
  for (const step of walk.steps.slice(0, count)) {
    for (const change of step.changes) {
      if (change.after) table.set(change.fd, change.after);
      else table.delete(change.fd);
    }
  }
  return sortTable(table.values());
}

// A slot whose lab fd is not open asks for something that does not exist: it can only
// end up wrong (the launch fails at its op with EBADF).
function intendedTable(hostByFd: ReadonlyMap<number, FdEntry>, slotFds: readonly number[]): FdTable {
  const out: FdEntry[] = [];
  slotFds.forEach((fd, slot) => {
    if (fd < 0) return;
    const source = hostByFd.get(fd)?.source ?? { id: `missing:${fd}`, kind: 'missing' as const, label: `the lab's fd ${fd}, which is not open` };
    out.push({ fd: slot, source, cloexec: false });
  });
  return out;
}

/** Source id -> the fds of `entries` that refer to it, added to `out`. */
export function fdsBySource(entries: Iterable<FdEntry>, out = new Map<string, number[]>()): Map<string, number[]> {
  for (const e of entries) {
    const fds = out.get(e.source.id);
    if (fds) fds.push(e.fd);
    else out.set(e.source.id, [e.fd]);
  }
  return out;
}

// Source id -> the child fds that must end up referring to it (the status pipe: -2).
const neededBy = (intended: FdTable): Map<string, number[]> => fdsBySource(intended, new Map([['status', [STATUS_PIPE]]]));

// The kernel's effect of one op on the table (dup2 copies the reference and clears
// close-on-exec on the copy; close_range with CLOSE_RANGE_CLOEXEC marks from its first fd).
function apply(table: Map<number, FdEntry>, op: PlanOp): { changes: FdChange[]; error?: string } {
  const args = op.args ?? [];
  const changes: FdChange[] = [];
  const set = (fd: number, after: FdEntry | null) => {
    const before = table.get(fd) ?? null;
    if (before === after) return;
    changes.push({ fd, before, after });
    if (after) table.set(fd, after);
    else table.delete(fd);
  };
  const badf = (fd: number) => ({ changes, error: `EBADF: fd ${fd} is not open` });
  switch (op.op) {
    case 'dup2': {
      const [from, to] = args;
      const source = table.get(from);
      if (!source) return badf(from);
      set(to, { fd: to, source: source.source, cloexec: false });
      break;
    }
    case 'fcntl': {
      const [fd, cloexec] = args;
      const entry = table.get(fd);
      if (!entry) return badf(fd);
      if (entry.cloexec !== (cloexec === 1)) set(fd, { ...entry, cloexec: cloexec === 1 });
      break;
    }
    case 'close':
      if (table.has(args[0])) set(args[0], null);
      break;
    case 'close_range':
      for (const entry of [...table.values()]) if (entry.fd >= args[0] && !entry.cloexec) set(entry.fd, { ...entry, cloexec: true });
      break;
  }
  return { changes };
}

const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

// One sentence per op, from the op and the slots around it (the planner's two passes, native/src/planner.cc).
function explain(step: FdStep, slotFds: readonly number[], hostByFd: ReadonlyMap<number, FdEntry>): string {
  const { op } = step;
  const args = op.args ?? [];
  let why: string;
  if (op.op === 'close_range') {
    why = `every descriptor from ${args[0]} up becomes close-on-exec, so the program gets only its files`;
  } else if (op.op === 'dup2' && op.pass === 1 && op.slot === -1) {
    why = `the status pipe (fd ${args[0]}) moves up to ${args[1]}: fd ${args[0]} is one of the child's slots, and the pipe must outlive pass 2`;
  } else if (op.op === 'dup2' && op.pass === 1) {
    const [from, to] = args;
    const there = slotFds[from];
    const fill = there === -1 ? 'closes it' : there === from ? 'keeps it' : `puts fd ${there} there`;
    why = `fd ${from} moves up to ${to}: child fd ${op.slot} needs it, but pass 2 reaches child fd ${from} first and ${fill}`;
  } else if (op.op === 'fcntl' && op.pass === 1) {
    why = `fd ${args[0]} is a temporary copy: close-on-exec, so the program never sees it`;
  } else if (op.op === 'dup2') {
    const [from, to] = args;
    const got = step.changes[0]?.after?.source;
    const wanted = hostByFd.get(slotFds[to])?.source;
    why = `child fd ${to} gets fd ${from}: ${got?.label ?? 'nothing (it is not open)'}`;
    if (got && wanted && got.id !== wanted.id) why += `, not ${wanted.label} as files[${to}] asks`;
  } else if (op.op === 'fcntl') {
    why = `child fd ${args[0]} already refers to its source: only close-on-exec is cleared (dup2(${args[0]}, ${args[0]}) would keep it)`;
  } else {
    const fd = args[0];
    why = fd < slotFds.length ? `files[${fd}] is closed (-1): fd ${fd} is closed in the child` : `fewer than 3 files: fd ${fd} is closed rather than left to the program`;
  }
  if (step.destroys.length) {
    const lost = step.destroys.map((d) =>
      d.source.kind === 'status'
        ? `${d.source.label}, which the child needs to report a failing step`
        : `${d.source.label}, which ${list(d.neededBy.map((fd) => `child fd ${fd}`))} still needs`,
    );
    why += `; this destroys ${list(lost)} (golang/go#61751)`;
  }
  if (step.error) why += `; it fails: ${step.error}`;
  return why;
}
