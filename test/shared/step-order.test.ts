// What moves between the seed's order and Go's.
// Run: node --import tsx --test test/shared/step-order.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { movedSteps } from '../../src/shared/step-order';

test('ptrace moves: first in the seed order, last in Go’s', () => {
  assert.deepEqual(movedSteps(['signals', 'ptrace', 'setsid', 'fd', 'sigmask', 'execve'], 'seed'), ['ptrace']);
  assert.deepEqual(movedSteps(['signals', 'setsid', 'fd', 'sigmask', 'ptrace', 'execve'], 'go'), ['ptrace']);
});

test('nothing moves without ptrace: the other steps keep their order in both', () => {
  assert.deepEqual(movedSteps(['signals', 'setsid', 'setpgid', 'chroot', 'setgroups', 'setgid', 'setuid', 'chdir', 'fd', 'umask', 'rlimits', 'sigmask', 'execve'], 'seed'), []);
});
