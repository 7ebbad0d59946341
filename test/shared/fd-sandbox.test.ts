// Sandbox mode's pure side: the Files list and sketch as typed, and the host table the walk
// starts from (with real plans from the engine's planner).
// Run: node --import tsx --test test/shared/fd-sandbox.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { sandboxPlan } from '../../src/main/lab/sandbox';
import { defaultSketch, fdListText, parseFdList, sandboxHostTable, SANDBOX_MAX_ENTRIES } from '../../src/shared/fd-sandbox';
import { walkPlan } from '../../src/shared/fd-view';

describe('parseFdList', () => {
  test('spaces, commas or both, and Go literal frames', () => {
    for (const text of ['1 0 2', '1,0,2', ' 1, 0 ,2 ', '[]int{1, 0, 2}', '[]uintptr{1, 0, 2,}', '[1 0 2]', '1\n0\t2']) {
      assert.deepEqual(parseFdList(text, 'files'), { ok: true, fds: [1, 0, 2] }, text);
    }
    assert.deepEqual(parseFdList('-1 5 3 4', 'files'), { ok: true, fds: [-1, 5, 3, 4] });
    assert.deepEqual(parseFdList('', 'files'), { ok: true, fds: [] });
    assert.deepEqual(parseFdList('[]int{}', 'files'), { ok: true, fds: [] });
  });

  test('files may repeat a source and close a slot; the sketch may do neither', () => {
    assert.deepEqual(parseFdList('1 1 -1', 'files'), { ok: true, fds: [1, 1, -1] });
    assert.deepEqual(parseFdList('0 1 1', 'host'), { ok: false, error: 'fd 1 is listed twice' });
    assert.deepEqual(parseFdList('0 -1', 'host'), { ok: false, error: 'entry 2: -1 is negative (a descriptor is 0 or more)' });
  });

  test('each bad entry is named, with what is wrong with it', () => {
    assert.deepEqual(parseFdList('1 x 2', 'files'), { ok: false, error: 'files[1]: “x” is not a whole number' });
    assert.deepEqual(parseFdList('1.5', 'files'), { ok: false, error: 'files[0]: “1.5” is not a whole number' });
    assert.deepEqual(parseFdList('0 -2', 'files'), { ok: false, error: 'files[1]: -2 is below -1 (-1 means closed in the child)' });
    assert.deepEqual(parseFdList('70000', 'files'), { ok: false, error: 'files[0]: 70000 is above 65535' });
    assert.deepEqual(parseFdList('1,,2', 'files'), { ok: false, error: 'an empty entry (a leading comma, or two in a row)' });
    const tooMany = Array.from({ length: SANDBOX_MAX_ENTRIES + 1 }, (_, i) => i).join(' ');
    assert.deepEqual(parseFdList(tooMany, 'files'), { ok: false, error: '1025 entries: at most 1024' });
  });
});

describe('the sandbox host table', () => {
  test('the default sketch is 0, 1, 2 and every source', () => {
    assert.deepEqual(defaultSketch([-1, 5, 3, 4]), [0, 1, 2, 3, 4, 5]);
    assert.equal(fdListText(defaultSketch([1, 3, 0])), '0 1 2 3');
  });

  test('golang/go#61751 in the sandbox: the sketch, both status pipe ends, and the seed destroying fd 3', () => {
    const files = [1, 3, 0];
    const sketch = defaultSketch(files);
    const plan = sandboxPlan(files, sketch);
    const host = sandboxHostTable(plan, sketch);
    assert.deepEqual(
      host.map((e) => [e.fd, e.source.id, e.source.label]),
      [
        [0, 'host:0', "the lab's fd 0"],
        [1, 'host:1', "the lab's fd 1"],
        [2, 'host:2', "the lab's fd 2"],
        [3, 'host:3', "the lab's fd 3"],
        [4, 'status-read', 'the status pipe (read end)'],
        [5, 'status', 'the status pipe (write end)'],
      ],
    );
    const seed = walkPlan(plan.seedPlan, host, plan.slotFds);
    assert.deepEqual(seed.wrongFds, [1]);
    assert.match(seed.steps.find((s) => s.destroys.length > 0)!.why, /the lab's fd 3, which child fd 1 still needs \(golang\/go#61751\)/);
    assert.deepEqual(walkPlan(plan.plan, host, plan.slotFds).wrongFds, []);
  });

  test('a source missing from the sketch is left out, so its op fails with EBADF as a launch would', () => {
    const plan = sandboxPlan([0, 7], [0, 1, 2]);
    assert.deepEqual(plan.problems.map((p) => p.path), ['files[1]']);
    const host = sandboxHostTable(plan, [0, 1, 2]);
    assert.ok(!host.some((e) => e.fd === 7));
    const walk = walkPlan(plan.plan, host, plan.slotFds);
    assert.equal(walk.steps.find((s) => s.error)?.error, 'EBADF: fd 7 is not open');
  });
});
