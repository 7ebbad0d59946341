// The lab's own fd 1 and 2 as panes (issue 16): a slot that inherits one of them gets a pipe
// standing in for it, read as "lab-1" / "lab-2", so that a swap can be seen: what the child
// writes to its fd 1 arrives under the lab's fd 2. Nothing of the lab's is left open after.
// Run: node --import tsx --test test/engine/lab-stdio.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { openFds } from '../support/soak';

const SWAP: Profile = {
  version: 1,
  name: 'swap',
  path: '/bin/sh',
  args: ['sh', '-c', 'echo written to fd 1; echo written to fd 2 >&2'],
  files: [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }],
};

// The engine opens its own descriptors (threads, epoll) at its first launch: counted after it.
test.before(async () => void (await launch({ ...SWAP, files: [] }).result));

test('a swap, seen: the child’s fd 1 arrives as the lab’s fd 2, its fd 2 as the lab’s fd 1; the stand-ins are gone after', async () => {
  const before = openFds();
  const seen: Record<string, string> = {};
  const result = await launch(SWAP, { labStdioPanes: true, onOutput: (key, text) => void (seen[key] = (seen[key] ?? '') + text) }).result;
  assert.equal(result.execError, null);
  assert.deepEqual(result.output, { 'lab-1': 'written to fd 2\n', 'lab-2': 'written to fd 1\n' });
  assert.deepEqual(seen, result.output);
  // The plan dup2s the stand-ins, not the lab's own 1 and 2.
  assert.ok(!result.plan.some((op) => op.call === 'dup2(2, 1)'), JSON.stringify(result.plan.map((op) => op.call)));
  assert.deepEqual(openFds(), before);
});

test('only what is inherited gets a stand-in; without the option the lab’s own fds are inherited', async () => {
  const one = await launch({ ...SWAP, files: [{ type: 'null' }, { type: 'pipe' }, { type: 'inherit', fd: 1 }] }, { labStdioPanes: true }).result;
  assert.deepEqual(one.output, { '1': 'written to fd 1\n', 'lab-1': 'written to fd 2\n' });
  const plain = await launch({ ...SWAP, args: ['sh', '-c', 'true'] }).result;
  assert.deepEqual(plain.output, {});
});

test('a launch that fails before the clone leaves no stand-in open', async () => {
  const before = openFds();
  const result = await launch({ ...SWAP, files: [...SWAP.files!, { type: 'file', path: '/nonexistent/dir/x', mode: 'r' }] }, { labStdioPanes: true }).result;
  assert.equal(result.execError?.code, 'ENOENT');
  assert.deepEqual(openFds(), before);
});
