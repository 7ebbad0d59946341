// The walk's layout for stepping: stable child rows and the ops under their pass headings.
// Run: node --import tsx --test test/shared/fd-walk-display.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sandboxPlan } from '../../src/main/lab/sandbox';
import { defaultSketch, sandboxHostTable } from '../../src/shared/fd-sandbox';
import { tableAfter, walkPlan } from '../../src/shared/fd-view';
import { childRowFds, destroyingSteps, momentAt, opRows } from '../../src/shared/fd-walk-display';

function walkOf(files: number[], seed = false) {
  const sketch = defaultSketch(files);
  const plan = sandboxPlan(files, sketch);
  return walkPlan(seed ? plan.seedPlan : plan.plan, sandboxHostTable(plan, sketch), plan.slotFds);
}

test('the child rows cover every fd open at any step, so no step adds or removes a row', () => {
  const walk = walkOf([0, 2, 1]);
  const rows = childRowFds(walk);
  assert.deepEqual(rows, [0, 1, 2, 3, 4, 5]);
  for (let k = 0; k <= walk.steps.length; k++) for (const e of tableAfter(walk, k)) assert.ok(rows.includes(e.fd));
});

test('ops under a heading per pass, then closefds', () => {
  const walk = walkOf([0, 2, 1]);
  assert.deepEqual(
    opRows(walk.steps).map((r) => (r.kind === 'phase' ? `[${r.phase}]` : walk.steps[r.stepIndex]!.op.call)),
    [
      '[1]',
      'dup2(1, 5)',
      'fcntl(5, F_SETFD, FD_CLOEXEC)',
      '[2]',
      'fcntl(0, F_SETFD, 0)',
      'dup2(2, 1)',
      'dup2(5, 2)',
      '[closefds]',
      'close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)',
    ],
  );
});

test('the destroying ops of the seed (golang/go#61751), none in the corrected plan', () => {
  assert.deepEqual(destroyingSteps(walkOf([1, 3, 0], true)), [0]);
  assert.deepEqual(destroyingSteps(walkOf([1, 3, 0])), []);
});

test('a moment: the table after k ops, what the op changed, and the sources the child has lost', () => {
  const walk = walkOf([1, 3, 0], true);
  const before = momentAt(walk, 0);
  assert.equal(before.step, null);
  assert.deepEqual([...before.lost], []);
  const destroyed = momentAt(walk, 1);
  assert.equal(destroyed.step?.op.call, 'dup2(0, 3)');
  assert.deepEqual([...destroyed.changed.keys()], [3]);
  assert.deepEqual([...destroyed.touched], ['host:0']);
  assert.deepEqual([...destroyed.lost], ['host:3']);
  assert.deepEqual(destroyed.fdsOfSource.get('host:0'), [0, 3]);
  assert.equal(momentAt(walk, 99).position, walk.steps.length);
});
