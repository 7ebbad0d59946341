// The fd view model over real plans from the planner: tables step by step, the sentence
// for each op, and the seed's hazard shown where it destroys a source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { engine } from '../../src/main/lab/engine';
import { sandboxSpec } from '../../src/main/lab/sandbox';
import { hostTable, tableAfter, walkPlan, type FdSource, type FdTable } from '../../src/shared/fd-view';
import type { PlanOp } from '../../src/shared/result';


const hostSource = (fd: number): FdSource => ({ id: `host:${fd}`, kind: 'host', label: `host fd ${fd}` });

function walk(files: number[], statusFd: number, options: { seed?: boolean; closeOtherFds?: boolean; others?: number[] } = {}) {
  const planned = engine().plan(sandboxSpec(files.length, options.closeOtherFds ?? true), files, statusFd, options.seed ?? false);
  const host = hostTable(files, statusFd, hostSource, options.others);
  return walkPlan(planned.plan as PlanOp[], host, files);
}

// fd -> source id, for comparing tables at a glance.
const ids = (table: FdTable) => Object.fromEntries(table.map((e) => [e.fd, `${e.source.id}${e.cloexec ? ' (cloexec)' : ''}`]));

describe('fd view model', () => {
  test('a stdout/stderr swap: each op, its sentence, and the table the program gets', () => {
    const w = walk([0, 2, 1], 9);
    assert.deepEqual(
      w.steps.map((s) => [s.op.call, s.why]),
      [
        ['dup2(1, 10)', 'fd 1 moves up to 10: child fd 2 needs it, but pass 2 reaches child fd 1 first and puts fd 2 there'],
        ['fcntl(10, F_SETFD, FD_CLOEXEC)', 'fd 10 is a temporary copy: close-on-exec, so the program never sees it'],
        ['fcntl(0, F_SETFD, 0)', 'child fd 0 already refers to its source: only close-on-exec is cleared (dup2(0, 0) would keep it)'],
        ['dup2(2, 1)', 'child fd 1 gets fd 2: host fd 2'],
        ['dup2(10, 2)', 'child fd 2 gets fd 10: host fd 1'],
        ['close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)', 'every descriptor from 3 up becomes close-on-exec, so the program gets only its files'],
      ],
    );
    assert.deepEqual(ids(w.atExec), { 0: 'host:0', 1: 'host:2', 2: 'host:1' });
    assert.deepEqual(w.wrongFds, []);
    assert.deepEqual(w.strays, []);
  });

  test('tableAfter replays the first k steps', () => {
    const w = walk([0, 2, 1], 9);
    assert.deepEqual(ids(tableAfter(w, 0)), { 0: 'host:0 (cloexec)', 1: 'host:1 (cloexec)', 2: 'host:2 (cloexec)', 9: 'status (cloexec)' });
    assert.deepEqual(ids(tableAfter(w, 2)), {
      0: 'host:0 (cloexec)',
      1: 'host:1 (cloexec)',
      2: 'host:2 (cloexec)',
      9: 'status (cloexec)',
      10: 'host:1 (cloexec)',
    });
    assert.deepEqual(ids(tableAfter(w, w.steps.length)), {
      0: 'host:0',
      1: 'host:2',
      2: 'host:1',
      9: 'status (cloexec)',
      10: 'host:1 (cloexec)',
    });
  });

  test("golang/go#61751: the seed's pass 1 destroys a source a later slot needs, and the view says so", () => {
    const seed = walk([1, 3, 0], 9, { seed: true });
    const destroying = seed.steps.find((s) => s.destroys.length > 0)!;
    assert.equal(destroying.op.call, 'dup2(0, 3)');
    assert.deepEqual(destroying.destroys.map((d) => [d.source.id, d.neededBy]), [['host:3', [1]]]);
    assert.match(destroying.why, /this destroys host fd 3, which child fd 1 still needs \(golang\/go#61751\)$/);
    assert.deepEqual(seed.wrongFds, [1]);
    const wrongDup = seed.steps.find((s) => s.op.call === 'dup2(3, 1)')!;
    assert.equal(wrongDup.why, 'child fd 1 gets fd 3: host fd 0, not host fd 3 as files[1] asks');

    const corrected = walk([1, 3, 0], 9);
    assert.deepEqual(corrected.wrongFds, []);
    assert.ok(corrected.steps.every((s) => s.destroys.length === 0));
  });

  test('the status pipe is moved out of the slots first, and the seed can destroy it', () => {
    const moved = walk([5, 6, 7, 8], 1);
    assert.equal(
      moved.steps[0].why,
      "the status pipe (fd 1) moves up to 9: fd 1 is one of the child's slots, and the pipe must outlive pass 2",
    );
    const seed = walk([1, 0, 2], 3, { seed: true });
    assert.deepEqual(seed.steps[0].destroys.map((d) => d.neededBy), [[-2]]);
    assert.match(seed.steps[0].why, /this destroys the status pipe \(write end\), which the child needs to report a failing step/);
  });

  test('closed slots and fewer than three files', () => {
    const w = walk([4], 9);
    assert.deepEqual(
      w.steps.filter((s) => s.op.op === 'close').map((s) => s.why),
      [
        'fewer than 3 files: fd 1 is closed rather than left to the program',
        'fewer than 3 files: fd 2 is closed rather than left to the program',
      ],
    );
    const closed = walk([0, -1, 2], 9);
    assert.equal(closed.steps.find((s) => s.op.call === 'close(1)')!.why, 'files[1] is closed (-1): fd 1 is closed in the child');
  });

  test('a source that is not open makes its op fail with EBADF in the walk', () => {
    const planned = engine().plan(sandboxSpec(2), [0, 7], 9, false);
    const host = hostTable([0, -1], 9, hostSource); // fd 7 is not in the host table
    const w = walkPlan(planned.plan as PlanOp[], host, [0, 7]);
    const failing = w.steps.find((s) => s.error)!;
    assert.equal(failing.op.call, 'dup2(7, 1)');
    assert.equal(failing.error, 'EBADF: fd 7 is not open');
    // files[1] asks for something that does not exist: child fd 1 can only be wrong.
    assert.deepEqual(w.wrongFds, [1]);
    assert.deepEqual(w.intended.find((e) => e.fd === 1)?.source, {
      id: 'missing:7',
      kind: 'missing',
      label: "the lab's fd 7, which is not open",
    });
  });

  test('without closeOtherFds a non-close-on-exec stray reaches the program', () => {
    const planned = engine().plan(sandboxSpec(3, false), [0, 1, 2], 9, false);
    const host = [...hostTable([0, 1, 2], 9, hostSource)];
    host.push({ fd: 14, source: { id: 'stray', kind: 'host', label: 'a stray' }, cloexec: false });
    const w = walkPlan(planned.plan as PlanOp[], host, [0, 1, 2]);
    assert.deepEqual(w.strays, [14]);
  });
});
