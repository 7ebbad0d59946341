// How a run ends and what happens to it on the way: wait statuses, stop/continue
// events, signals to the child or its group, timeouts, rusage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import { OUTPUT_KEPT } from '../../src/main/lab/run';
import type { RunEvent } from '../../src/shared/result';
import { METHODS, probeProfile, runProfile } from '../support/probe';
import { testHooks } from '../support/test-hooks';
import { heldOpenMessage } from '../../src/shared/explain';

const sleeping = (ms: number, overrides = {}) => probeProfile(overrides, ['--quiet', '--sleep', String(ms)]);

for (const method of METHODS) {
  describe(`wait statuses (${method})`, () => {
    test('an exit code', async () => {
      const result = await runProfile(probeProfile({ engine: { method } }, ['--quiet', '--exit', '7']));
      assert.deepEqual(result.status, { kind: 'exited', code: 7 });
      assert.equal(result.execError, null);
      assert.equal(result.outputHeldOpen, undefined, 'its pipes reached their end');
      assert.ok(result.rusage!.maxRssKb > 0);
      assert.ok(result.durationMs > 0);
    });

    test('killed by its own signal', async () => {
      const result = await runProfile(probeProfile({ engine: { method } }, ['--quiet', '--signal', 'SIGUSR1']));
      assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGUSR1', number: 10, coreDumped: false });
    });

    test("reaped behind the lab's back (a waitpid elsewhere in the process): the run still ends, status and exec unknown", { timeout: 10_000 }, async () => {
      const run = launch(probeProfile({ engine: { method } }, ['--quiet']));
      const pid = (await run.started)!;
      assert.equal(testHooks.reapBehindTheLabsBack(pid), pid);
      const result = await run.result;
      assert.equal(result.pid, pid);
      assert.equal(result.status, null);
      assert.equal(result.rusage, null);
      // Neither its exit status nor its comm could be read: the lab does not claim an exec.
      assert.equal(result.execError?.code, 'EXEC_UNKNOWN');
      assert.match(result.execError!.message, /reaped .* before the lab/);
      assert.deepEqual(result.trace.at(-1), { step: 'execve', call: result.plan.at(-1)!.call, ok: false, state: 'unknown' });
    });

    test('kill(SIGTERM) from the lab', async () => {
      const run = launch(sleeping(10_000, { engine: { method } }));
      await run.started;
      assert.deepEqual(await run.kill('SIGTERM'), { ok: true });
      const result = await run.result;
      assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGTERM', number: 15, coreDumped: false });
      assert.ok(result.durationMs < 5000);
    });
  });
}

describe('stops and continues', () => {
  test('a child that stops itself, then is continued by the lab', async () => {
    const events: RunEvent[] = [];
    // It lives on a moment after SIGCONT: an exit would replace the pending "continued"
    // state before wait4 reports it (the kernel keeps one state per child).
    const stopsItself = {
      version: 1 as const,
      name: 'stop',
      path: '/bin/sh',
      args: ['sh', '-c', 'kill -STOP $$; sleep 0.3; exit 4'],
    };
    const run = launch(stopsItself, {
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'stopped') void run.kill('SIGCONT');
      },
    });
    const result = await run.result;
    assert.deepEqual(
      result.events.map((e) => [e.kind, 'signal' in e ? e.signal : null]),
      [
        ['stopped', 'SIGSTOP'],
        ['continued', null],
      ],
    );
    assert.deepEqual(events, result.events);
    assert.ok(result.events[0].atMs <= result.events[1].atMs);
    assert.deepEqual(result.status, { kind: 'exited', code: 4 });
  });
});

describe('signals to the group', () => {
  test('with setpgid, the whole group gets the signal', async () => {
    const run = launch(sleeping(10_000, { sys: { setpgid: true } }));
    await run.started;
    assert.deepEqual(await run.kill('SIGINT', { group: true }), { ok: true });
    assert.deepEqual((await run.result).status, { kind: 'signaled', signal: 'SIGINT', number: 2, coreDumped: false });
  });

  test("without its own group, a group signal is refused: it would hit the lab", async () => {
    const run = launch(sleeping(10_000));
    await run.started;
    const refused = await run.kill('SIGTERM', { group: true });
    assert.equal(refused.ok, false);
    assert.equal(refused.code, 'EPERM');
    assert.match(refused.message!, /process group/);
    await run.kill('SIGKILL');
    assert.deepEqual((await run.result).status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
  });

  test('signals after the end answer ESRCH', async () => {
    const run = launch(probeProfile({}, ['--quiet']));
    await run.result;
    assert.deepEqual(await run.kill('SIGTERM'), { ok: false, code: 'ESRCH', message: 'No such process' });
  });
});

describe('a child that ignores SIGTERM', () => {
  // It says "ready" once its trap is set: a signal sent before that would still kill it.
  const stubborn = {
    version: 1 as const,
    name: 'stubborn',
    path: '/bin/sh',
    args: ['sh', '-c', "trap '' TERM; echo ready; sleep 10"],
    files: [{ type: 'null' as const }, { type: 'pipe' as const }, { type: 'null' as const }],
    sys: { setpgid: true },
  };
  const launchReady = async () => {
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const run = launch(stubborn, { onOutput: (_key, text) => text.includes('ready') && ready() });
    await isReady;
    return run;
  };

  test('SIGTERM alone leaves it running; with escalateAfterMs it gets SIGKILL after the grace', async () => {
    const run = await launchReady();
    const sent = Date.now();
    assert.deepEqual(await run.kill('SIGTERM', { escalateAfterMs: 300 }), { ok: true });
    // The shell ignores TERM (and its sleep is in the same group, untouched by a pid kill).
    const result = await run.result;
    const took = Date.now() - sent;
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
    assert.ok(took >= 300 && took < 3000, `ended ${took} ms after the SIGTERM`);
  });

  test('escalation reaches the whole group with group: true', async () => {
    const run = await launchReady();
    assert.deepEqual(await run.kill('SIGTERM', { group: true, escalateAfterMs: 100 }), { ok: true });
    assert.deepEqual((await run.result).status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
  });
});

describe('timeout', () => {
  test('timeoutMs sends SIGKILL and says so', async () => {
    const started = Date.now();
    const result = await runProfile({ ...sleeping(10_000), timeoutMs: 150 });
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
    assert.ok(Date.now() - started < 5000);
  });

  test('a run that ends in time is not marked', async () => {
    const result = await runProfile({ ...probeProfile({}, ['--quiet']), timeoutMs: 5000 });
    assert.equal(result.timedOut, false);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
  });
});

describe('output after exit', () => {
  test('a descendant holding the output pipe does not hold the run forever', async () => {
    const started = Date.now();
    const result = await runProfile({
      version: 1,
      name: 'background',
      path: '/bin/sh',
      args: ['sh', '-c', 'echo before; sleep 3 & exit 0'],
      files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
    });
    assert.equal(result.output['1'], 'before\n');
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.ok(Date.now() - started < 2500, 'the run ended without waiting for the background sleep');
    assert.deepEqual(result.outputHeldOpen?.sort(), ['1', '2'], 'and it says the pipes were still held');
    // By whom: the background sleep, seen in /proc holding each pipe.
    for (const key of ['1', '2']) assert.deepEqual(result.outputHolders?.[key]?.map((h) => h.comm), ['sleep'], key);
    assert.match(heldOpenMessage('1', result.outputHolders?.['1']), /^child exited; pid \d+ \(sleep\) still holds the pipe on fd 1, so the lab stopped waiting for its end$/);
  });
});

describe('a flood of output', () => {
  test('onOutput sees every byte; the result keeps a bounded tail and counts what it dropped', async () => {
    const total = 200 * 1024 * 1024;
    let seen = 0;
    const run = launch(
      {
        version: 1,
        name: 'flood',
        path: '/usr/bin/head',
        args: ['head', '-c', String(total), '/dev/zero'],
        files: [{ type: 'null' }, { type: 'pipe' }, { type: 'null' }],
      },
      { onOutput: (_key, text) => (seen += text.length) },
    );
    const result = await run.result;
    assert.equal(seen, total);
    const kept = result.output['1'].length;
    assert.ok(kept <= 2 * OUTPUT_KEPT, `${kept} characters kept`);
    assert.equal(kept + (result.outputDropped?.['1'] ?? 0), total);
    assert.ok(result.outputDropped!['1'] > 0);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
  });
});
