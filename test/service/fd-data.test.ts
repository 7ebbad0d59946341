// The data behind the plan view (issue 4): the child's observed descriptor table pushed
// with every run (from /proc, or from the probe), matched by identity to the sources the
// run's result records; and sandbox plans of a bare files list against a sketched host.
// Run: node --import tsx --test test/service/fd-data.test.ts
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { LaunchOutcome, ObservedFd, ObservedUpdate, RunUpdate } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import type { FdIdentity, RunResult } from '../../src/shared/result';
import { dispatch } from '../../src/main/lab/api-dispatch';
import { LabService } from '../../src/main/lab/service';
import { UpdateLog, waitFor } from '../support/lab-api';

function runIdOf(outcome: LaunchOutcome): string {
  assert.ok(outcome.ok, `launch refused: ${JSON.stringify(outcome)}`);
  return outcome.runId;
}

// launch() answers before the child exists (a FIFO may hold it up): its 'started' and
// 'observed' updates follow.
const observedOf = (log: UpdateLog, runId: string): Promise<ObservedUpdate> =>
  waitFor('the observed update', () => log.of(runId).find((u): u is ObservedUpdate => u.kind === 'observed'));

const sourceIds = (result: RunResult): (FdIdentity | null)[] => {
  assert.ok(result.fds, 'the result records its sources');
  return result.fds.sourceIds;
};

// The table a child given `files` must have right after exec: each open slot on its fd,
// with its source's identity, never close-on-exec.
function expectedTable(ids: (FdIdentity | null)[], targets: Record<number, string>, access: Record<number, ObservedFd['access']>): ObservedFd[] {
  return ids.flatMap((id, fd) => (id ? [{ fd, target: targets[fd]!, dev: id.dev, ino: id.ino, cloexec: false, access: access[fd]! }] : []));
}

describe('the observed table', () => {
  let service: LabService;
  const log = new UpdateLog();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-fd-data-'));
  const logFile = path.join(scratch, 'log');
  const readable = path.join(scratch, 'readable');
  let writeFd: number;
  let readFd: number;

  before(async () => {
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
    service.onRunUpdate(log.listener);
    writeFileSync(readable, 'r\n');
    writeFd = openSync(path.join(scratch, 'w'), 'w');
    readFd = openSync(readable, 'r');
  });
  after(async () => {
    await service.dispose();
    closeSync(writeFd);
    closeSync(readFd);
    rmSync(scratch, { recursive: true, force: true });
  });

  // null, two pipes, a file, two inherited host fds and a closed slot.
  const mixedFiles = (): Profile['files'] => [
    { type: 'null' },
    { type: 'pipe' },
    { type: 'pipe' },
    { type: 'file', path: logFile, mode: 'a', create: true },
    { type: 'inherit', fd: writeFd },
    { type: 'closed' },
    { type: 'inherit', fd: readFd },
  ];

  test('a child stopped at exec: /proc shows exactly its sources, by identity', async () => {
    // PTRACE_TRACEME stops the child at exec, before the program (or its dynamic loader)
    // has run: the table is exactly what exec handed over.
    const runId = runIdOf(
      await service.launch({ version: 1, name: 'stopped', path: '/bin/sleep', args: ['sleep', '30'], files: mixedFiles(), sys: { ptrace: true } }),
    );
    await observedOf(log, runId);
    const updates = log.of(runId);
    assert.deepEqual(updates.slice(0, 2).map((u) => u.kind), ['started', 'observed'], 'observed right after started');
    const started = updates[0] as Extract<RunUpdate, { kind: 'started' }>;
    const observed = updates[1] as ObservedUpdate;
    assert.equal(observed.source, 'proc');
    assert.equal(observed.error, undefined);
    assert.ok(observed.atMs >= started.atMs && observed.atMs - started.atMs < 1000);

    await waitFor('the SIGTRAP stop', () => log.of(runId).some((u) => u.kind === 'event'));
    assert.deepEqual(await service.signal(runId, 'SIGKILL', 'child'), { ok: true });
    const done = await log.done(runId);
    const ids = sourceIds(done.result);
    const pipe = (fd: number) => `pipe:[${ids[fd]!.ino}]`;
    assert.deepEqual(
      observed.fds,
      expectedTable(
        ids,
        { 0: '/dev/null', 1: pipe(1), 2: pipe(2), 3: logFile, 4: path.join(scratch, 'w'), 6: readable },
        { 0: 'rw', 1: 'w', 2: 'w', 3: 'w', 4: 'w', 6: 'r' },
      ),
    );
  });

  test('a sleeping child: /proc shows its slots, each matching its source by dev/ino', async () => {
    const files: Profile['files'] = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'inherit', fd: writeFd }];
    const runId = runIdOf(await service.launch({ version: 1, name: 'sleeper', path: '/bin/sleep', args: ['sleep', '30'], files }));
    const observed = await observedOf(log, runId);
    // While it still sleeps, 'started' already carried what the clone did.
    const started = log.of(runId).find((u) => u.kind === 'started');
    assert.ok(started?.kind === 'started' && started.launched, 'started carries the launch');
    assert.deepEqual(await service.signal(runId, 'SIGKILL', 'child'), { ok: true });
    const done = await log.done(runId);
    const { plan, trace, execError, fds } = done.result;
    assert.deepEqual(started.launched, { plan, trace, execError, fds });
    const ids = sourceIds(done.result);
    assert.equal(observed.source, 'proc');
    assert.equal(observed.error, undefined);
    const slots = observed.fds.filter((f) => f.fd < files.length);
    assert.deepEqual(
      slots,
      expectedTable(ids, { 0: '/dev/null', 1: `pipe:[${ids[1]!.ino}]`, 2: `pipe:[${ids[2]!.ino}]`, 3: path.join(scratch, 'w') }, {
        0: 'rw',
        1: 'w',
        2: 'w',
        3: 'w',
      }),
    );
    // The table is read as soon as exec is known to have succeeded; a program already
    // running may hold descriptors of its own by then: sleep's only candidates are what
    // the dynamic loader opens while it maps libc (normally none is left by then).
    const loaderFile = (f: ObservedFd) => /(\.so(\.\d+)*|ld\.so\.cache)$/.test(f.target ?? '');
    assert.deepEqual(observed.fds.filter((f) => f.fd >= files.length && !loaderFile(f)), [], "nothing beyond the slots but the loader's files");
  });

  test('a child that exited before its table could be read: no table, and why', async () => {
    // Keep this thread busy once the launch has been handed to the engine (launch() resolves
    // in a microtask, before any message of the engine's can be delivered) while the engine's
    // thread clones and the child execs and exits: by the time the lab hears of the exec, the
    // child is gone. (Busy before launch() itself, the wait came before the launch: the
    // service awaits the secret store first.)
    const launching = service
      .launch({ version: 1, name: 'quick', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }] })
      .then((outcome) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
        return outcome;
      });
    const runId = runIdOf(await launching);
    const observed = await observedOf(log, runId);
    assert.deepEqual([observed.source, observed.fds, observed.error], ['proc', [], 'the child exited before its descriptors could be read']);
    const done = await log.done(runId);
    assert.deepEqual([done.result.execError, done.result.status], [null, { kind: 'exited', code: 0 }]);
  });

  test('a program that never ran has no table: the step that failed says why', async () => {
    const runId = runIdOf(await service.launch({ version: 1, name: 'bad dir', path: '/bin/true', args: ['true'], dir: '/nonexistent' }));
    const observed = await observedOf(log, runId);
    assert.deepEqual(observed && [observed.source, observed.fds, observed.error], [
      'proc',
      [],
      'the program never ran (the chdir step failed: ENOENT), so there is no table to observe',
    ]);
    await log.done(runId);
  });

  test('no child, no observed update', async () => {
    const runId = runIdOf(await service.launch({ version: 1, name: 'nowhere', path: 'no-such-program-here', args: ['x'] }));
    await log.done(runId);
    assert.deepEqual(log.of(runId).map((u) => u.kind), ['started', 'done']);
  });

  test("a probe launch: the probe's own table, matching the sources by identity, just before done", async () => {
    const runId = runIdOf(
      await service.launch({ version: 1, name: 'probed', path: '/bin/true', args: ['true'], files: mixedFiles() }, { probe: true }),
    );
    const done = await log.done(runId);
    const kinds = log.of(runId).map((u) => u.kind);
    assert.deepEqual(kinds.slice(-2), ['observed', 'done']);
    assert.equal(kinds.filter((k) => k === 'observed').length, 1, 'only the probe: no /proc read of it');
    const observed = await observedOf(log, runId);
    assert.equal(observed.source, 'probe');
    assert.equal(observed.error, undefined);
    const report = done.probeReport!;
    assert.ok(report);
    const ids = sourceIds(done.result);
    assert.deepEqual(
      observed.fds,
      expectedTable(
        ids,
        { 0: '/dev/null', 1: `pipe:[${ids[1]!.ino}]`, 2: `pipe:[${ids[2]!.ino}]`, 3: logFile, 4: path.join(scratch, 'w'), 6: readable },
        { 0: 'rw', 1: 'w', 2: 'w', 3: 'w', 4: 'w', 6: 'r' },
      ),
    );
    assert.deepEqual(
      observed.fds.map((f) => [f.fd, f.dev, f.ino]),
      report.fds.map((f) => [f.fd, f.dev, f.ino]),
      'the same numbers as the report',
    );
  });

  test('a probe launch that never ran the probe says so', async () => {
    const runId = runIdOf(await service.launch({ version: 1, name: 'bad dir', path: '/bin/true', args: ['true'], dir: '/nonexistent' }, { probe: true }));
    const done = await log.done(runId);
    const observed = await observedOf(log, runId);
    assert.deepEqual(observed && [observed.source, observed.fds, observed.error], [
      'probe',
      [],
      'the program never ran (the chdir step failed: ENOENT), so there is no table to observe',
    ]);
    assert.equal(done.probeReport, undefined);
  });
});

describe('sandbox plans', () => {
  let service: LabService;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-sandbox-'));

  before(async () => {
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
  });
  after(async () => {
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const fdCalls = (plan: { step: string; call: string }[]) => plan.filter((op) => op.step === 'fd').map((op) => op.call);

  test('[1, 3, 0] over host fds 0..3: the status pipe at 4 and 5; the seed clobbers slot 1', async () => {
    const planned = await service.sandboxPlan([1, 3, 0], [0, 1, 2, 3]);
    assert.deepEqual([planned.slotFds, planned.statusReadFd, planned.statusFd, planned.problems], [[1, 3, 0], 4, 5, []]);
    assert.deepEqual(fdCalls(planned.plan), ['dup2(0, 6)', 'fcntl(6, F_SETFD, FD_CLOEXEC)', 'dup2(1, 0)', 'dup2(3, 1)', 'dup2(6, 2)']);
    assert.deepEqual(fdCalls(planned.seedPlan), ['dup2(0, 3)', 'fcntl(3, F_SETFD, FD_CLOEXEC)', 'dup2(1, 0)', 'dup2(3, 1)', 'dup2(3, 2)']);
    assert.deepEqual(
      planned.seedPlan.filter((op) => op.clobbers),
      [{ step: 'fd', call: 'dup2(0, 3)', pass: 1, slot: 2, op: 'dup2', args: [0, 3], clobbers: [1] }],
    );
    assert.ok(!planned.plan.some((op) => op.clobbers), 'the corrected plan destroys nothing');
    assert.deepEqual(
      planned.plan.map((op) => op.step),
      ['signals', 'fd', 'fd', 'fd', 'fd', 'fd', 'closefds', 'sigmask', 'execve'],
    );
  });

  test('a source the sketch does not have is planned, and flagged', async () => {
    const planned = await service.sandboxPlan([0, 7, -1], [0, 1, 2]);
    assert.deepEqual(planned.problems, [{ path: 'files[1]', message: 'host fd 7 does not exist in the sketch' }]);
    // Open: 0, 1, 2 and the source 7: the pipe takes 3 and 4.
    assert.deepEqual([planned.statusReadFd, planned.statusFd], [3, 4]);
    assert.deepEqual(fdCalls(planned.plan), ['fcntl(0, F_SETFD, 0)', 'dup2(7, 1)', 'close(2)']);
    assert.deepEqual(fdCalls(planned.seedPlan), fdCalls(planned.plan));
  });

  test('the status pipe below len(files) is moved up by both plans', async () => {
    const planned = await service.sandboxPlan([2, 2, 2, 2, 2], [0, 1, 2]);
    assert.deepEqual([planned.statusReadFd, planned.statusFd], [3, 4]);
    assert.equal(planned.plan.find((op) => op.slot === -1)?.call, 'dup2(4, 5)');
    assert.equal(planned.seedPlan.find((op) => op.slot === -1)?.call, 'dup2(4, 5)');
  });

  test('its params are checked: bounds, sizes, unique host fds', async () => {
    const good = await dispatch(service, 'sandboxPlan', [[1, 3, 0], [0, 1, 2, 3]]);
    assert.deepEqual(good, { ok: true, result: await service.sandboxPlan([1, 3, 0], [0, 1, 2, 3]) });
    const refusals = [
      [[[-2], [0]], /invalid params for sandboxPlan: \[0\]\[0\]/],
      [[[65536], [0]], /\[0\]\[0\]/],
      [[[0.5], [0]], /\[0\]\[0\]/],
      [[[0], [-1]], /\[1\]\[0\]/],
      [[[0], [65536]], /\[1\]\[0\]/],
      [[[0], [1, 2, 1]], /\[1\]: expected each host fd once/],
      [[Array(1025).fill(0), [0]], /\[0\]/],
      [[[0], Array.from({ length: 1025 }, (_, i) => i)], /\[1\]/],
      [[[0]], /expected array to have >=2 items/],
    ] as const;
    for (const [params, message] of refusals) {
      const answer = await dispatch(service, 'sandboxPlan', params);
      assert.equal(answer.ok, false, JSON.stringify(params).slice(0, 80));
      assert.match(answer.ok ? '' : answer.message, message);
    }
    const widest = await dispatch(service, 'sandboxPlan', [Array(1024).fill(65535), [65535, 0]]);
    assert.ok(widest.ok, JSON.stringify(widest).slice(0, 200));
  });
});
