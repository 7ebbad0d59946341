// Stopping a whole tree (issue 14, part 5): a timeout or a kill that reaches the child's
// process group, or its cgroup through cgroup.kill, and Go's WaitDelay (go#23019): how long
// the run still reads output that a descendant holds after the child has exited.
// Run: node --import tsx --test test/engine/stop-tree.test.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { launch, validate } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { CGROUP2_ONLY, runInCgroup2 } from '../support/cgroup2';
import { waitFor } from '../support/lab-api';
import { scratchDir } from '../support/probe';

// A shell that starts `sleep 1000` in the background, prints its pid, and waits for it.
// With setsid first, the background sleep leaves the shell's process group.
function shellWithBackground(overrides: Partial<Profile>, background = 'sleep 1000'): Profile {
  return {
    version: 1,
    name: 'tree',
    path: '/bin/sh',
    args: ['sh', '-c', `${background} & echo $!; wait`],
    files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
    ...overrides,
  };
}

// Alive: in /proc and not a zombie waiting for its parent.
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function backgroundPid(output: string | undefined): number {
  const pid = Number(output?.split('\n')[0]);
  assert.ok(pid > 0, `the shell printed its background pid: ${JSON.stringify(output)}`);
  return pid;
}

// A background sleep of the test's, killed when the test ends if it still lives.
function leftBehind(t: { after(fn: () => void): void }): { pid?: number } {
  const sleeper: { pid?: number } = {};
  t.after(() => {
    if (sleeper.pid && alive(sleeper.pid)) process.kill(sleeper.pid, 'SIGKILL');
  });
  return sleeper;
}

describe('stopping the tree', () => {
  test('a timeout with stopScope "child" kills the shell alone: its background sleep holds the pipe, named', async (t) => {
    const sleeper = leftBehind(t);
    const result = await launch(shellWithBackground({ sys: { setsid: true }, timeoutMs: 300, waitDelayMs: 200 })).result;
    sleeper.pid = backgroundPid(result.output['1']);
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
    assert.equal(result.timeoutKilled, undefined);
    assert.deepEqual(result.outputHeldOpen, ['1', '2']);
    assert.deepEqual(result.outputHolders?.['1'], [{ pid: sleeper.pid, comm: 'sleep' }]);
    assert.ok(alive(sleeper.pid), 'the background sleep lives on');
  });

  test('a timeout with stopScope "group" kills the shell and its background sleep: nothing holds the pipe', async (t) => {
    const sleeper = leftBehind(t);
    const run = launch(shellWithBackground({ sys: { setsid: true }, timeoutMs: 300, stopScope: 'group' }));
    const result = await run.result;
    sleeper.pid = backgroundPid(result.output['1']);
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
    assert.deepEqual(result.timeoutKilled, { scope: 'group', target: `process group ${result.pid}` });
    assert.equal(result.outputHeldOpen, undefined, 'the pipes reached their end');
    await waitFor('the background sleep to be gone', () => !alive(sleeper.pid!));
  });

  test('a kill of the group after the child has exited reaches what it left behind', async (t) => {
    const sleeper = leftBehind(t);
    // The shell exits at once; its sleep keeps the pipe, and the run waits for it (WaitDelay).
    const run = launch({ ...shellWithBackground({ sys: { setpgid: true }, waitDelayMs: 20_000 }), args: ['sh', '-c', 'sleep 1000 & echo $!'] });
    const pid = (await run.started)!;
    // Reaped: gone from /proc (a zombie is still there).
    await waitFor('the shell to be reaped', () => !existsSync(`/proc/${pid}`));
    assert.equal(run.ended, false, 'the run still waits for the pipe');
    assert.deepEqual(await run.kill('SIGTERM', { group: true }), { ok: true });
    const result = await run.result;
    sleeper.pid = backgroundPid(result.output['1']);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.equal(result.outputHeldOpen, undefined, 'the sleep died, and the pipe with it');
    await waitFor('the background sleep to be gone', () => !alive(sleeper.pid!));
  });

  test('a kill of the group of a child in the lab\'s own group is refused, and says why', async () => {
    const run = launch(shellWithBackground({ timeoutMs: 2000 }, 'true'));
    await run.started;
    const sent = await run.kill('SIGKILL', { group: true });
    assert.equal(sent.ok, false);
    assert.match(sent.message ?? '', /the lab's own process group/);
    await run.kill('SIGKILL');
    await run.result;
  });

  test('cgroup scope sends SIGKILL only', async () => {
    const run = launch(shellWithBackground({ timeoutMs: 2000, sys: { cgroup: '/nonexistent' } }, 'true'));
    const sent = await run.kill('SIGTERM', { cgroup: true });
    assert.deepEqual(sent, { ok: false, code: 'EINVAL', message: 'cgroup.kill sends SIGKILL only' });
    await run.kill('SIGKILL');
    await run.result;
  });
});

describe('waitDelayMs (Go’s WaitDelay)', () => {
  test('long enough, the run reads what a descendant writes after the child exits', async () => {
    const result = await launch({ ...shellWithBackground({ waitDelayMs: 10_000 }), args: ['sh', '-c', '(sleep 0.7; echo late) & echo early'] }).result;
    assert.equal(result.output['1'], 'early\nlate\n');
    assert.equal(result.outputHeldOpen, undefined);
  });

  test('short, the run ends that long after the exit and names the holder', async (t) => {
    const sleeper = leftBehind(t);
    const result = await launch({ ...shellWithBackground({ waitDelayMs: 50 }), args: ['sh', '-c', 'sleep 1000 & echo $!'] }).result;
    sleeper.pid = backgroundPid(result.output['1']);
    assert.deepEqual(result.outputHeldOpen, ['1', '2']);
    assert.deepEqual(result.outputHolders?.['1'], [{ pid: sleeper.pid, comm: 'sleep' }]);
    assert.ok(result.durationMs < 1000, `ended ${result.durationMs} ms after the launch`);
  });
});

describe('validation of stopScope', () => {
  test('"group" needs a process group of the child\'s own', () => {
    const { errors } = validate(shellWithBackground({ stopScope: 'group' }));
    assert.deepEqual(errors.map((e) => e.path), ['stopScope']);
    assert.match(errors[0]!.message, /setsid or setpgid/);
    assert.deepEqual(validate(shellWithBackground({ stopScope: 'group', sys: { setpgid: true } })).errors, []);
  });

  test('"cgroup" needs sys.cgroup', () => {
    const { errors } = validate(shellWithBackground({ stopScope: 'cgroup' }));
    assert.deepEqual(errors.map((e) => e.path), ['stopScope']);
    assert.match(errors[0]!.message, /sys\.cgroup/);
  });

  test('an unknown scope is an error at its field', () => {
    const { errors } = validate({ ...shellWithBackground({}), stopScope: 'tree' });
    assert.deepEqual(errors.map((e) => e.path), ['stopScope']);
  });
});

describe('stopScope "cgroup" (cgroup.kill)', () => {
  test('a timeout kills even a descendant that left the group with setsid', CGROUP2_ONLY, (t) => {
    const dir = scratchDir(t);
    const result = runInCgroup2(dir, (group) => shellWithBackground({ sys: { setsid: true, cgroup: group }, timeoutMs: 300, stopScope: 'cgroup' }, 'setsid sleep 1000'));
    backgroundPid(result.output['1']);
    assert.equal(result.timedOut, true);
    assert.equal(result.timeoutKilled?.scope, 'cgroup');
    assert.equal(result.timeoutKilled?.error, undefined);
    assert.equal(result.outputHeldOpen, undefined, 'the setsid sleep died with the cgroup, and closed the pipe');
  });

  // (runInCgroup2 kills what is left in the group when the CLI is done.)
  test('the group alone misses it: the setsid sleep lives on and holds the pipe', CGROUP2_ONLY, (t) => {
    const dir = scratchDir(t);
    const result = runInCgroup2(dir, (group) => shellWithBackground({ sys: { setsid: true, cgroup: group }, timeoutMs: 300, stopScope: 'group', waitDelayMs: 100 }, 'setsid sleep 1000'));
    const sleeper = backgroundPid(result.output['1']);
    assert.equal(result.timeoutKilled?.scope, 'group');
    assert.deepEqual(result.outputHolders?.['1'], [{ pid: sleeper, comm: 'sleep' }]);
  });
});
