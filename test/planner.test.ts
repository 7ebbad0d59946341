// The fd step of the planner (contract §2; the seed's "Pass 1" and "Pass 2"), checked
// against exact op lists and against a simulated descriptor table (test/support/fd-table).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { engine, type NativePlan, type NativePlanEntry } from '../src/main/lab/engine';
import { sandboxSpec } from '../src/main/lab/sandbox';
import { FdTable } from './support/fd-table';
import { prng } from './support/prng';

// ---- plans -------------------------------------------------------------------------------


interface PlanOptions {
  seed?: boolean;
  closeOtherFds?: boolean;
}

function planFor(slotFds: number[], statusFd: number, { seed = false, closeOtherFds = true }: PlanOptions = {}): NativePlan {
  return engine().plan(sandboxSpec(slotFds.length, closeOtherFds), slotFds, statusFd, seed);
}

// ---- fd ops, as expected values ----------------------------------------------------------

interface FdOp {
  pass: 1 | 2;
  slot: number;
  op: NonNullable<NativePlanEntry['op']>;
  args: number[];
  clobbers?: number[];
}

const STATUS = -1; // the slot of the status pipe's move
const STATUS_PIPE = -2; // the status pipe in `clobbers`

const dup2 = (pass: 1 | 2, slot: number, from: number, to: number, clobbers?: number[]): FdOp => ({
  pass,
  slot,
  op: 'dup2',
  args: [from, to],
  ...(clobbers ? { clobbers } : {}),
});
const setfd = (pass: 1 | 2, slot: number, fd: number, cloexec: 0 | 1): FdOp => ({ pass, slot, op: 'fcntl', args: [fd, cloexec] });
const close = (fd: number): FdOp => ({ pass: 2, slot: fd, op: 'close', args: [fd] });
// Pass 1 for one slot: up to a fresh fd, close-on-exec there.
const moveUp = (slot: number, from: number, to: number, clobbers?: number[]): FdOp[] => [
  dup2(1, slot, from, to, clobbers),
  setfd(1, slot, to, 1),
];
// Pass 2 for slots whose source is already in place: clear close-on-exec.
const keep = (...fds: number[]): FdOp[] => fds.map((fd) => setfd(2, fd, fd, 0));

// The call a person reads must say what the args say.
function callOf(e: NativePlanEntry): string {
  const a = e.args!;
  if (e.op === 'dup2') return `dup2(${a[0]}, ${a[1]})`;
  if (e.op === 'fcntl') return `fcntl(${a[0]}, F_SETFD, ${a[1] ? 'FD_CLOEXEC' : '0'})`;
  return `close(${a[0]})`;
}

// The plan's fd ops in order, checked for a well-formed call.
function fdOps(plan: NativePlan): FdOp[] {
  return plan.plan
    .filter((e) => e.step === 'fd')
    .map((e) => {
      assert.equal(e.call, callOf(e), `call text of ${JSON.stringify(e)}`);
      return { pass: e.pass!, slot: e.slot!, op: e.op!, args: e.args!, ...(e.clobbers ? { clobbers: e.clobbers } : {}) };
    });
}

const clobberedSlots = (plan: NativePlan): number[] =>
  [...new Set(fdOps(plan).flatMap((op) => op.clobbers ?? []))].sort((a, b) => a - b);

// ---- simulated descriptor tables ---------------------------------------------------------

interface Host {
  slotFds: number[];
  statusFd: number;
  inheritedOpen?: number[]; // sources and strays open WITHOUT close-on-exec
  strays?: number[]; // host fds open that are neither a source nor the status pipe
}

// Every source and the status pipe open, close-on-exec (the engine opens with O_CLOEXEC)
// unless listed in inheritedOpen; strays are never close-on-exec.
function hostTable({ slotFds, statusFd, inheritedOpen = [], strays = [] }: Host): FdTable {
  const sources = [...new Set(slotFds.filter((fd) => fd >= 0))];
  return FdTable.host([
    ...sources.map((fd) => ({ fd, cloexec: !inheritedOpen.includes(fd) })),
    { fd: statusFd, cloexec: true },
    ...strays.map((fd) => ({ fd, cloexec: false })),
  ]);
}

function runChild(plan: NativePlan, host: FdTable): { child: Map<number, string>; table: FdTable } {
  host.apply(plan.plan);
  return { child: host.exec(), table: host };
}

// What the child should hold after execve: slot i -> host fd slotFds[i]'s object, nothing else.
const intended = (slotFds: number[]): Map<number, string> =>
  new Map(slotFds.flatMap((fd, i) => (fd >= 0 ? [[i, `host:${fd}`] as const] : [])));

const wrongSlots = (child: Map<number, string>, slotFds: number[]): number[] => {
  const want = intended(slotFds);
  return slotFds.map((_, i) => i).filter((i) => child.get(i) !== want.get(i));
};

const show = (m: Map<number, string>): string => JSON.stringify(Object.fromEntries(m));

function assertIntendedChild(plan: NativePlan, host: Host): void {
  const { child, table } = runChild(plan, hostTable(host));
  assert.deepEqual(table.errors, [], 'no fd op fails');
  assert.equal(show(child), show(intended(host.slotFds)), `child table for ${JSON.stringify(host)}`);
}

// ---- tests -------------------------------------------------------------------------------

describe('planner: pass 2', () => {
  test('identity [0, 1, 2]: only clears close-on-exec, no pass 1', () => {
    const plan = planFor([0, 1, 2], 9);
    assert.deepEqual(fdOps(plan), keep(0, 1, 2));
    assertIntendedChild(plan, { slotFds: [0, 1, 2], statusFd: 9 });
  });

  test('stdout/stderr swap [0, 2, 1]: 1 moves up first, then both land', () => {
    const plan = planFor([0, 2, 1], 9);
    assert.equal(plan.firstFreshFd, 10);
    assert.deepEqual(fdOps(plan), [...moveUp(2, 1, 10), ...keep(0), dup2(2, 1, 2, 1), dup2(2, 2, 10, 2)]);
    assertIntendedChild(plan, { slotFds: [0, 2, 1], statusFd: 9 });
  });

  test('rotation [1, 2, 0]', () => {
    const plan = planFor([1, 2, 0], 9);
    assert.deepEqual(fdOps(plan), [...moveUp(2, 0, 10), dup2(2, 0, 1, 0), dup2(2, 1, 2, 1), dup2(2, 2, 10, 2)]);
    assertIntendedChild(plan, { slotFds: [1, 2, 0], statusFd: 9 });
  });

  test('a closed slot is closed, even when the host had it open', () => {
    const plan = planFor([0, -1, 2], 9);
    assert.deepEqual(fdOps(plan), [...keep(0), close(1), ...keep(2)]);
    assertIntendedChild(plan, { slotFds: [0, -1, 2], statusFd: 9, strays: [1] });
  });

  test('fewer than 3 files: 0..2 beyond them are closed', () => {
    assert.deepEqual(fdOps(planFor([], 9)), [close(0), close(1), close(2)]);
    assert.deepEqual(fdOps(planFor([7], 9)), [dup2(2, 0, 7, 0), close(1), close(2)]);
    // The lab's own stdio (open, inheritable) must not leak into the child.
    assertIntendedChild(planFor([], 9), { slotFds: [], statusFd: 9, strays: [0, 1, 2] });
    assertIntendedChild(planFor([7], 9), { slotFds: [7], statusFd: 9, strays: [0, 1, 2] });
  });
});

describe('planner: the status pipe', () => {
  test('below len(files): moved first, above every source, close-on-exec', () => {
    const slotFds = [5, 6, 7, 8];
    const plan = planFor(slotFds, 1);
    const ops = fdOps(plan);
    assert.deepEqual(ops.slice(0, 2), [dup2(1, STATUS, 1, 9), setfd(1, STATUS, 9, 1)]);
    assert.ok(ops[0].args[1] > Math.max(...slotFds), 'the new status fd is above every source');
    assert.deepEqual(ops.slice(2), [dup2(2, 0, 5, 0), dup2(2, 1, 6, 1), dup2(2, 2, 7, 2), dup2(2, 3, 8, 3)]);
    const { table } = runChild(plan, hostTable({ slotFds, statusFd: 1 }));
    assert.equal(table.objectAt(9), 'host:1', 'the status pipe is still there until execve');
    assertIntendedChild(plan, { slotFds, statusFd: 1 });
  });

  test('at or above len(files): left where it is', () => {
    for (const statusFd of [4, 12]) {
      const plan = planFor([5, 6, 7, 8], statusFd);
      assert.ok(fdOps(plan).every((op) => op.slot !== STATUS), `status ${statusFd}: no move`);
      const { table } = runChild(plan, hostTable({ slotFds: [5, 6, 7, 8], statusFd }));
      assert.equal(table.objectAt(statusFd), `host:${statusFd}`);
    }
  });
});

describe('planner: the seed pass-1 start (golang/go#61751)', () => {
  test('seed dup2(0, 3) destroys slot 1\'s source; the corrected plan does not', () => {
    const host = { slotFds: [1, 3, 0], statusFd: 9 };
    const seed = planFor(host.slotFds, host.statusFd, { seed: true });
    assert.deepEqual(fdOps(seed), [...moveUp(2, 0, 3, [1]), dup2(2, 0, 1, 0), dup2(2, 1, 3, 1), dup2(2, 2, 3, 2)]);
    const { child } = runChild(seed, hostTable(host));
    assert.equal(child.get(1), 'host:0', 'slot 1 got slot 2\'s object instead of host:3');
    assert.deepEqual(wrongSlots(child, host.slotFds), [1]);

    const fixed = planFor(host.slotFds, host.statusFd);
    assert.deepEqual(fdOps(fixed), [...moveUp(2, 0, 10), dup2(2, 0, 1, 0), dup2(2, 1, 3, 1), dup2(2, 2, 10, 2)]);
    assertIntendedChild(fixed, host);
  });

  test('status == len(files): the seed overwrites the status pipe (-2)', () => {
    const host = { slotFds: [1, 0, 2], statusFd: 3 };
    const seed = planFor(host.slotFds, host.statusFd, { seed: true });
    assert.deepEqual(fdOps(seed)[0], dup2(1, 1, 0, 3, [STATUS_PIPE]));
    const { child, table } = runChild(seed, hostTable(host));
    assert.equal(table.objectAt(3), 'host:0', 'the status pipe is gone before execve');
    assert.deepEqual(wrongSlots(child, host.slotFds), [], 'the slots themselves are right');

    const fixed = planFor(host.slotFds, host.statusFd);
    assert.deepEqual(clobberedSlots(fixed), []);
    assert.equal(runChild(fixed, hostTable(host)).table.objectAt(3), 'host:3');
    assertIntendedChild(fixed, host);
  });

  test('the seed\'s status pipe move can destroy a source too', () => {
    const host = { slotFds: [4, 5, 6, 7], statusFd: 1 };
    const seed = planFor(host.slotFds, host.statusFd, { seed: true });
    assert.deepEqual(fdOps(seed)[0], dup2(1, STATUS, 1, 4, [0]));
    assert.deepEqual(wrongSlots(runChild(seed, hostTable(host)).child, host.slotFds), [0]);
    assertIntendedChild(planFor(host.slotFds, host.statusFd), host);
  });

  test('no hazard: same ops except the fresh fd number, both right', () => {
    // Nothing to move: the plans are identical.
    assert.deepEqual(planFor([0, 1, 2], 9, { seed: true }).plan, planFor([0, 1, 2], 9).plan);

    // Something to move: the seed takes fd 3, the corrected plan fd 10 (above status 9).
    const host = { slotFds: [0, 2, 1], statusFd: 9 };
    const seed = planFor(host.slotFds, host.statusFd, { seed: true });
    const fixed = planFor(host.slotFds, host.statusFd);
    const ops = (fresh: number) => [...moveUp(2, 1, fresh), ...keep(0), dup2(2, 1, 2, 1), dup2(2, 2, fresh, 2)];
    assert.deepEqual(fdOps(seed), ops(3));
    assert.deepEqual(fdOps(fixed), ops(10));
    assertIntendedChild(seed, host);
    assertIntendedChild(fixed, host);
  });
});

// ---- random fd maps ------------------------------------------------------------------------

const BASE_SEED = 61751;
const CASES = 1000;

function randomHost(seed: number): Host {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const slotFds = Array.from({ length: int(0, 12) }, () => (rand() < 0.2 ? -1 : int(0, 15)));
  const free = (fd: number) => !slotFds.includes(fd);
  const candidates = Array.from({ length: 21 }, (_, fd) => fd).filter(free);
  const statusFd = candidates[int(0, candidates.length - 1)];
  const sources = [...new Set(slotFds.filter((fd) => fd >= 0))];
  return {
    slotFds,
    statusFd,
    inheritedOpen: sources.filter(() => rand() < 0.3),
    strays: candidates.filter((fd) => fd !== statusFd && rand() < 0.15),
  };
}

describe('planner: random fd maps', () => {
  test(`${CASES} maps: the corrected plan is right; the seed is wrong exactly where it clobbers`, () => {
    for (let k = 0; k < CASES; k++) {
      const seed = BASE_SEED + k;
      const host = randomHost(seed);
      const where = `case seed ${seed}: ${JSON.stringify(host)}`;
      const n = host.slotFds.length;

      const fixed = planFor(host.slotFds, host.statusFd);
      assert.deepEqual(clobberedSlots(fixed), [], `${where}: corrected plan clobbers`);
      const { child, table } = runChild(fixed, hostTable(host));
      assert.deepEqual(table.errors, [], `${where}: fatal fd op`);
      assert.deepEqual(wrongSlots(child, host.slotFds), [], `${where}: wrong slots, child ${show(child)}`);
      const extra = [...child.keys()].filter((fd) => fd >= n);
      assert.deepEqual(extra, [], `${where}: fds >= len(files) (or 0..2 beyond it) survive exec, child ${show(child)}`);

      const seedPlan = planFor(host.slotFds, host.statusFd, { seed: true });
      const seedRun = runChild(seedPlan, hostTable(host));
      assert.deepEqual(seedRun.table.errors, [], `${where}: seed fatal fd op`);
      const flagged = clobberedSlots(seedPlan).filter((slot) => slot >= 0);
      assert.deepEqual(
        wrongSlots(seedRun.child, host.slotFds),
        flagged,
        `${where}: seed wrong slots vs clobbers ${JSON.stringify(fdOps(seedPlan))}`,
      );
    }
  });
});

describe('planner: closeOtherFds', () => {
  test('a stray inheritable host fd survives exec only without closeOtherFds', () => {
    const host = { slotFds: [0, 1, 2], statusFd: 9, strays: [14] };
    const childWith = (closeOtherFds: boolean) =>
      runChild(planFor(host.slotFds, host.statusFd, { closeOtherFds }), hostTable(host)).child;
    assert.equal(childWith(false).get(14), 'host:14');
    assert.equal(childWith(true).has(14), false);
    assert.equal(show(childWith(true)), show(intended(host.slotFds)));
  });
});

describe('planner: calls people can read', () => {
  test('a long setgroups list is shortened in its call (the whole list stays in the profile)', () => {
    const groups = Array.from({ length: 65536 }, (_, i) => i);
    const { plan } = engine().plan({ ...sandboxSpec(3), credential: { uid: 0, gid: 0, groups, noSetGroups: false } }, [0, 1, 2], 9, false);
    const call = plan.find((op) => op.step === 'setgroups')!.call;
    assert.equal(call, 'setgroups(65536, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, ... 65,520 more])');
    const short = engine().plan({ ...sandboxSpec(3), credential: { uid: 0, gid: 0, groups: [4, 27], noSetGroups: false } }, [0, 1, 2], 9, false);
    assert.equal(short.plan.find((op) => op.step === 'setgroups')!.call, 'setgroups(2, [4, 27])');
  });
});
