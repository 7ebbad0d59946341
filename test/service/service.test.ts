// The lab's services as the app uses them: launches seen through their run updates, the
// probe in the program's place, signals and ptrace, terminal input, examples, and requests
// refused before the service runs.
// Run: node --import tsx --test test/service/service.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { LaunchOutcome, RunUpdate } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { dispatch } from '../../src/main/lab/api-dispatch';
import { labNamespaceIds } from '../../src/main/lab/namespaces';
import { LabService } from '../../src/main/lab/service';
import { UpdateLog, waitFor } from '../support/lab-api';
import { isRoot, PROBE, PTY_SHELL, scratchDir } from '../support/probe';

const CAPTURED: Profile['files'] = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }];

const shell = (name: string, script: string, extra: Partial<Profile> = {}): Profile => ({
  version: 1,
  name,
  path: '/bin/sh',
  args: ['sh', '-c', script],
  files: CAPTURED,
  ...extra,
});

function runIdOf(outcome: LaunchOutcome): string {
  assert.ok(outcome.ok, `launch refused: ${JSON.stringify(outcome)}`);
  return outcome.runId;
}

describe('lab service', () => {
  let service: LabService;
  const log = new UpdateLog();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-service-'));

  before(async () => {
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
    service.onRunUpdate(log.listener);
  });
  after(async () => {
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('a launch is seen as it happens: started with the pid, output live, done with the result', async () => {
    const runId = runIdOf(await service.launch(shell('hello', 'echo hello; echo oops >&2; exit 3')));
    const done = await log.done(runId);
    const updates = log.of(runId);
    const started = updates[0];
    assert.equal(started?.kind, 'started');
    assert.ok(started.kind === 'started' && started.pid !== null && started.pid > 0);
    assert.equal(started.profileName, 'hello');
    assert.equal(started.probe, false);
    assert.equal(updates.at(-1), done, 'done comes last');
    assert.equal(done.result.pid, started.pid);
    assert.deepEqual(done.result.status, { kind: 'exited', code: 3 });
    assert.deepEqual(log.output(runId), { 1: 'hello\n', 2: 'oops\n' });
    assert.deepEqual(done.result.output, { 1: 'hello\n', 2: 'oops\n' });
    assert.equal(done.probeReport, undefined);
  });

  test('output written in many small pieces arrives in fewer updates, all of it, in order', async () => {
    const runId = runIdOf(await service.launch(shell('count', 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo $i; done')));
    const done = await log.done(runId);
    const expected = Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join('');
    assert.equal(log.output(runId)['1'], expected);
    assert.equal(done.result.output['1'], expected);
    const pieces = log.of(runId).filter((u) => u.kind === 'output').length;
    assert.ok(pieces < 100, `${pieces} output updates for 3000 writes`);
  });

  test('a flood reaches clients as its latest MiB at least, the rest counted as skipped; done carries only its last 64 KiB', async () => {
    const runId = runIdOf(await service.launch(shell('flood', "head -c 3000000 /dev/zero | tr '\\0' x")));
    const done = await log.done(runId);
    const sent = log.output(runId)['1']!;
    const skipped = log.of(runId).reduce((sum, u) => sum + (u.kind === 'output' ? (u.skippedBytes ?? 0) : 0), 0);
    assert.equal(sent.length + skipped, 3_000_000);
    assert.ok(sent.length >= 1024 * 1024 && /^x+$/.test(sent), `${sent.length} characters sent`);
    assert.equal(done.result.output['1'], 'x'.repeat(64 * 1024));
  });

  test('an invalid profile is answered with its problems; nothing starts', async () => {
    const count = log.all.length;
    const outcome = await service.launch({ version: 1, name: 'bad', path: '/bin/true', args: ['true'], files: [{ type: 'inherit' }] });
    assert.deepEqual(outcome, { ok: false, errors: [{ path: 'files[0].fd', message: 'required' }] });
    assert.deepEqual(await service.plan('not a profile'), { ok: false, errors: [{ path: '', message: 'expected an object' }] });
    assert.equal(log.all.length, count);
  });

  test("execPreview: what proclab exec would do, or the fields it refuses; nothing starts", async () => {
    const count = log.all.length;
    const preview = await service.execPreview(shell('exec', 'true', { dir: '/tmp', sys: { setsid: true } }));
    assert.ok(preview.ok, JSON.stringify(preview));
    assert.deepEqual(preview.notes.map((n) => n.path), ['files[1]', 'files[2]']);
    assert.deepEqual(preview.plan.filter((op) => op.step === 'setsid' || op.step === 'chdir').map((op) => op.call), ['setsid()', 'chdir("/tmp")']);
    // The pipes became this process's own fds 1 and 2: nothing is dup'd onto them.
    assert.deepEqual(preview.plan.filter((op) => op.op === 'fcntl' && op.pass === 2).map((op) => op.slot), [1, 2]);
    assert.equal(preview.clones, false);
    const refused = await service.execPreview(shell('exec', 'true', { files: [{ type: 'pty' }], timeoutMs: 5 }));
    assert.deepEqual(refused.ok ? refused : refused.errors.map((e) => e.path), ['files[0]', 'timeoutMs']);
    assert.equal(log.all.length, count);
  });

  test('a program not found in PATH ends at once with the lookup error', async () => {
    const runId = runIdOf(await service.launch({ version: 1, name: 'nowhere', path: 'no-such-program-here', args: ['x'] }));
    const done = await log.done(runId);
    assert.deepEqual(log.of(runId).map((u) => u.kind), ['started', 'done']);
    assert.equal(done.result.pid, null);
    assert.equal(done.result.execError?.step, 'lookup');
  });

  test('"launch the probe instead" runs the same setup and reports what the child got', async () => {
    const profile = shell('probed', 'exit 9', { sys: { setsid: true }, dir: '/tmp', env: ['FOO=bar'] });
    const runId = runIdOf(await service.launch(profile, { probe: true }));
    const done = await log.done(runId);
    const started = log.of(runId)[0];
    assert.ok(started?.kind === 'started' && started.probe);
    assert.equal(done.result.execError, null);
    assert.deepEqual(done.result.status, { kind: 'exited', code: 0 });
    const report = done.probeReport;
    assert.ok(report, 'a probe report');
    assert.equal(report.pid, done.result.pid);
    assert.equal(report.sid, report.pid, 'setsid: the probe leads its session');
    assert.equal(report.cwd, '/tmp');
    assert.deepEqual(report.env, ['FOO=bar']);
    assert.deepEqual(report.fds.map((f) => f.fd), [0, 1, 2], 'the profile files, not the report memfd');
    assert.deepEqual(done.result.output, { 1: '', 2: '' }, 'the report went to its own memfd');
    // No path anywhere: another user can neither read the report nor plant a link for it.
    assert.ok(!report.argv.some((a) => a.includes('/')), JSON.stringify(report.argv));
    assert.ok(done.result.trace.some((t) => t.step === 'execve' && t.call.startsWith('execveat(')));
    // The lab's own namespaces come with it, for the view to tell the child's new ones.
    assert.deepEqual(done.labNamespaces, labNamespaceIds());
    assert.deepEqual(done.labNamespaces, report.namespaces, 'nothing unshared: all the lab\'s');
  });

  test('a probe launch of a setup that fails still ends, without a report', async () => {
    const runId = runIdOf(await service.launch(shell('bad dir', 'true', { dir: '/nonexistent' }), { probe: true }));
    const done = await log.done(runId);
    assert.equal(done.result.execError?.step, 'chdir');
    assert.equal(done.probeReport, undefined);
    assert.equal(done.labNamespaces, undefined);
  });

  test('signals reach the child, or its whole group', async () => {
    const single = runIdOf(await service.launch(shell('sleeper', 'exec sleep 30')));
    assert.deepEqual(await service.signal(single, 'SIGTERM', 'child'), { ok: true });
    const signaled = await log.done(single);
    assert.deepEqual(signaled.result.status, { kind: 'signaled', signal: 'SIGTERM', number: 15, coreDumped: false });

    // A shell and its background job, in a new session: SIGHUP to the group ends both
    // (the output pipe reaches EOF only when the background sleep has let go of it too).
    const group = runIdOf(await service.launch(shell('family', 'sleep 30 & wait', { sys: { setsid: true } })));
    await waitFor('the family to start', () => log.of(group).length > 0);
    assert.deepEqual(await service.signal(group, 'SIGHUP', 'group'), { ok: true });
    const ended = await log.done(group, 2000);
    assert.equal(ended.result.status?.kind, 'signaled');

    const late = await service.signal(single, 'SIGTERM', 'child');
    assert.equal(late.code, 'ESRCH');
  });

  test('a ptrace stop stays stopped until continue; detach lets it go', async () => {
    const traced = shell('traced', 'exit 4', { sys: { ptrace: true } });
    for (const action of ['continue', 'detach'] as const) {
      const runId = runIdOf(await service.launch(traced));
      const stop = await waitFor('the SIGTRAP stop', () =>
        log.of(runId).find((u): u is Extract<RunUpdate, { kind: 'event' }> => u.kind === 'event'),
      );
      assert.equal(stop.event.kind, 'stopped');
      assert.ok(stop.event.kind === 'stopped' && stop.event.signal === 'SIGTRAP');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(!log.of(runId).some((u) => u.kind === 'done'), 'still stopped: the lab does not resume it by itself');
      assert.deepEqual(await service.ptrace(runId, action), { ok: true });
      const done = await log.done(runId);
      assert.deepEqual(done.result.status, { kind: 'exited', code: 4 }, action);
    }
  });

  test('a signal-delivery-stop: continue drops the signal, continue-with-signal delivers it', async () => {
    // The probe sleeping, then exiting 3: no fork (a child's exit would stop it again with
    // SIGCHLD) and no exec (another SIGTRAP stop).
    const traced = { version: 1, name: 'traced', path: PROBE, args: ['probe', '--quiet', '--sleep', '500', '--exit', '3'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }], sys: { ptrace: true } };
    const stops = (runId: string) =>
      log.of(runId).filter((u): u is Extract<RunUpdate, { kind: 'event' }> => u.kind === 'event' && u.event.kind === 'stopped');
    for (const action of ['continue', 'continue-with-signal'] as const) {
      const runId = runIdOf(await service.launch(traced));
      await waitFor('the exec stop', () => stops(runId)[0]);
      assert.deepEqual(await service.ptrace(runId, 'continue'), { ok: true });
      // SIGHUP to a traced child stops it first (ptrace(2)): the tracer decides.
      assert.deepEqual(await service.signal(runId, 'SIGHUP', 'child'), { ok: true });
      const stop = await waitFor('the SIGHUP stop', () => stops(runId)[1]);
      assert.ok(stop.event.kind === 'stopped' && stop.event.signal === 'SIGHUP');
      assert.deepEqual(await service.ptrace(runId, action), { ok: true });
      const done = await log.done(runId);
      // Dropped: the shell sleeps on and exits 3. Delivered: SIGHUP's default action ends it.
      assert.deepEqual(done.result.status, action === 'continue' ? { kind: 'exited', code: 3 } : { kind: 'signaled', signal: 'SIGHUP', number: 1, coreDumped: false }, action);
    }
  });

  test('a shell on a pseudo-terminal takes typed input and window sizes', async () => {
    const runId = runIdOf(
      await service.launch(PTY_SHELL),
    );
    assert.deepEqual(await service.resize(runId, 100, 30), { ok: true });
    assert.deepEqual(await service.input(runId, 'echo $((6 * 7)); stty size; exit\n'), { ok: true });
    const done = await log.done(runId);
    assert.match(log.output(runId)['pty']!, /42/);
    assert.match(log.output(runId)['pty']!, /30 100/);
    assert.deepEqual(done.result.status, { kind: 'exited', code: 0 });
  });

  test('a run without a terminal takes no typed input, and says so', async () => {
    const files: Profile['files'] = [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }];
    const runId = runIdOf(await service.launch(shell('reader', 'cat; sleep 5', { stdin: 'given\n', files })));
    await waitFor('cat to copy stdin', () => log.output(runId)['1'] === 'given\n');
    const typed = await service.input(runId, 'more\n');
    assert.equal(typed.ok, false);
    assert.match(typed.message!, /takes no input/);
    assert.equal((await service.resize(runId, 80, 24)).ok, false);
    await service.signal(runId, 'SIGKILL', 'child');
    await log.done(runId);
  });

  test('validate and lookPath answer the builder', async () => {
    const checked = await service.validate(shell('warn', 'true', { files: [] }));
    assert.deepEqual(checked.errors, []);
    assert.deepEqual(checked.warnings.map((w) => w.path), ['files']);
    assert.deepEqual(await service.lookPath('sh', ['PATH=/nowhere:/usr/sbin:/bin'], false, ''), {
      path: '/bin/sh',
      // The launch environment's PATH (golang/go#53996), and what was passed over on the way.
      search: { from: 'launch', value: '/nowhere:/usr/sbin:/bin', skipped: [{ path: '/nowhere/sh', why: 'missing' }, { path: '/usr/sbin/sh', why: 'missing' }] },
    });
    const none = await service.lookPath('no-such-program-here', [], true, '');
    assert.deepEqual([none.path, none.search?.from], [null, 'launch']);
    assert.equal((await service.lookPath('no-such-program-here', [], false, '')).search?.from, 'lab', 'no PATH in the launch environment: the lab\'s');
  });

  test('lookPath under chroot: whether the path found exists inside the new root', async (t) => {
    const jail = scratchDir(t);
    assert.deepEqual((await service.lookPath('/bin/sh', [], false, jail)).inRoot, { root: jail, exists: false });
    mkdirSync(path.join(jail, 'bin'));
    writeFileSync(path.join(jail, 'bin', 'sh'), '');
    assert.deepEqual((await service.lookPath('/bin/sh', [], false, jail)).inRoot, { root: jail, exists: true });
  });

  test('lookPath of a script: the interpreter its #! line names, looked up inside the root', async (t) => {
    const jail = scratchDir(t);
    mkdirSync(path.join(jail, 'bin'));
    writeFileSync(path.join(jail, 'bin', 'tool'), '#!/usr/bin/python9 -u\nprint(1)\n', { mode: 0o755 });
    writeFileSync(path.join(jail, 'bin', 'dos'), '#!/bin/sh\r\necho\r\n', { mode: 0o755 });
    assert.deepEqual((await service.lookPath('/bin/tool', [], false, jail)).interpreter, { path: '/usr/bin/python9', exists: false, crlf: false });
    // /bin/sh is there in the lab, but not in the jail, until it is made.
    assert.deepEqual((await service.lookPath(path.join(jail, 'bin/tool'), [], false, '')).interpreter, { path: '/usr/bin/python9', exists: false, crlf: false });
    writeFileSync(path.join(jail, 'bin', 'run'), '#!/bin/sh\n', { mode: 0o755 });
    assert.deepEqual((await service.lookPath('/bin/run', [], false, jail)).interpreter, { path: '/bin/sh', exists: false, crlf: false });
    assert.deepEqual((await service.lookPath(path.join(jail, 'bin/run'), [], false, '')).interpreter, { path: '/bin/sh', exists: true, crlf: false });
    assert.deepEqual((await service.lookPath('/bin/dos', [], false, jail)).interpreter, { path: '/bin/sh', exists: false, crlf: true });
    assert.equal((await service.lookPath('/bin/sh', [], false, '')).interpreter, undefined, 'an ELF is no script');
  });

  test('requests are checked before the service runs: unknown methods and bad params are refused', async () => {
    assert.deepEqual(await dispatch(service, 'listProfiles', []), { ok: true, result: await service.listProfiles() });
    const refusals = [
      [dispatch(service, 'rmrf', []), /unknown method "rmrf"/],
      [dispatch(service, 'signal', ['run', 'SIGSEGV', false]), /invalid params for signal: \[1\]: expected one of "SIGTERM"/],
      [dispatch(service, 'signal', ['run', 'SIGTERM']), /expected array to have >=3 items/],
      [dispatch(service, 'resize', ['run', 0, 24]), /\[1\]/],
      [dispatch(service, 'input', ['run', 'x'.repeat(1024 * 1024 + 1)]), /\[1\]/],
      [dispatch(service, 'deleteProfile', ['../../etc/passwd']), /expected a profile file name/],
      [dispatch(service, 'saveProfile', [{ profile: {}, extra: 1 }]), /unknown field "extra"/],
      [dispatch(service, 'listProfiles', 'not a list'), /expected an array/],
      [dispatch(service, 'listProfiles', [1]), /invalid params for listProfiles/],
    ] as const;
    for (const [outcome, message] of refusals) {
      const answer = await outcome;
      assert.equal(answer.ok, false);
      assert.match(answer.ok ? '' : answer.message, message);
    }
    // An absent launch option may come as null over JSON.
    const runId = (await dispatch(service, 'launch', [shell('null options', 'true'), null])) as { ok: true; result: LaunchOutcome };
    await log.done(runIdOf(runId.result));
  });

  test('dispose kills the runs still going', async (t) => {
    const own = await LabService.open({ profilesDir: scratchDir(t) });
    const ownLog = new UpdateLog();
    own.onRunUpdate(ownLog.listener);
    const runId = runIdOf(await own.launch(shell('forever', 'exec sleep 60')));
    await own.dispose();
    const done = await ownLog.done(runId);
    assert.deepEqual(done.result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
  });
});

describe('example profiles', () => {
  test('a first run creates the profiles folder with the examples, all valid; restore brings them back', async (t) => {
    const dir = path.join(scratchDir(t), 'profiles');
    const service = await LabService.open({ profilesDir: dir });
    t.after(() => service.dispose());
    const entries = await service.listProfiles();
    assert.deepEqual(entries.map((e) => e.error), entries.map(() => undefined));
    assert.deepEqual(entries.map((e) => e.profile?.name).sort(), [
      'chdir error',
      'drop to nobody',
      'ptrace stop',
      'root in a user namespace',
      'shell in a new session with a terminal',
      'swap stdout and stderr',
    ]);
    for (const e of entries) assert.ok((e.profile?.description?.length ?? 0) > 100, `${e.file} teaches something`);

    const chdir = entries.find((e) => e.profile?.name === 'chdir error')!;
    await service.deleteProfile(chdir.file);
    const restored = await service.restoreExamples([]);
    assert.deepEqual(restored.changes, [{ file: chdir.file, ok: true }]);
    assert.deepEqual(readdirSync(dir).sort(), entries.map((e) => e.file).sort(), 'the same files, no duplicates');
  });

  test('each example does what its description promises', async (t) => {
    const service = await LabService.open({ profilesDir: path.join(scratchDir(t), 'profiles') });
    t.after(() => service.dispose());
    const log = new UpdateLog();
    service.onRunUpdate(log.listener);
    const examples = new Map((await service.listProfiles()).map((e) => [e.profile!.name, e.profile!]));
    const run = async (name: string) => log.done(runIdOf(await service.launch(examples.get(name))));

    const chdir = await run('chdir error');
    assert.equal(chdir.result.execError?.step, 'chdir');
    assert.equal(chdir.result.execError?.code, 'ENOENT');
    assert.deepEqual(chdir.result.status, { kind: 'exited', code: 253 });

    const drop = await run('drop to nobody');
    if (isRoot) assert.match(drop.result.output['1']!, /^uid=65534\(\w+\) gid=65534\(\w+\) groups=65534\(\w+\)\n$/);
    else assert.equal(drop.result.execError?.code, 'EPERM');

    // Root inside its own user namespace, 1000 outside (a root lab may map that).
    const userns = await run('root in a user namespace');
    if (isRoot) assert.match(userns.result.output['1']!, /^uid=0\(root\) gid=0\(root\)/);
    else assert.equal(userns.result.execError?.code, 'EPERM');

    // The swap: the probe shows fd 1 where the lab's fd 2 points, and the other way round.
    const swap = runIdOf(await service.launch(examples.get('swap stdout and stderr'), { probe: true }));
    const report = (await log.done(swap)).probeReport!;
    const target = (fd: number) => report.fds.find((f) => f.fd === fd)?.target;
    assert.equal(target(1), readlinkSync('/proc/self/fd/2'));
    assert.equal(target(2), readlinkSync('/proc/self/fd/1'));

    // The shell: its own session, the terminal its controlling one, job control on.
    const shellRun = runIdOf(await service.launch(examples.get('shell in a new session with a terminal')));
    await waitFor('the prompt', () => log.output(shellRun)['pty']?.includes('proclab$ '));
    await service.input(shellRun, 'sleep 30 &\njobs\nkill %1\nexit\n');
    const shellDone = await log.done(shellRun);
    assert.match(log.output(shellRun)['pty']!, /\[1\]\+?\s+Running\s+sleep 30/);
    assert.deepEqual(shellDone.result.status, { kind: 'exited', code: 0 });
  });
});
