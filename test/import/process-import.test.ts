// import --pid: processes started here (the probe, reporting once and then sleeping, so
// that what it received is known) are imported from /proc, and the imported profile,
// launched with the probe in its program's place, must give a child the same setup.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { importProcess } from '../../src/main/lab/import/import-process';
import { listProcesses } from '../../src/main/lab/import/list-processes';
import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { waitFor } from '../support/lab-api';
import { observed, probeThroughLab } from '../support/import-probe';
import { isRoot, PROBE, scratchDir, type ProbeReport } from '../support/probe';

/** Launches the probe with `setup`, sleeping after its report (written to a file of its own); kills it when the test ends. */
async function sleepingProbe(t: { after(fn: () => Promise<void>): void }, dir: string, setup: Partial<Profile>) {
  const reportFile = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const args = [PROBE, '--out-file', reportFile, '--sleep', '60000'];
  const run = launch({ version: 1, name: 'original', path: PROBE, args, ...setup });
  t.after(async () => {
    run.kill('SIGKILL');
    await run.result;
  });
  const pid = await run.started;
  assert.ok(pid, 'the original started');
  await waitFor('its report', () => existsSync(reportFile) && readFileSync(reportFile, 'utf8').endsWith('\n'));
  return { pid, args, report: JSON.parse(readFileSync(reportFile, 'utf8')) as ProbeReport };
}

test('a session leader with an exact environment, a directory and file slots is reproduced', async (t) => {
  const dir = scratchDir(t);
  const input = path.join(dir, 'input');
  writeFileSync(input, 'hello\n');
  const original = await sleepingProbe(t, dir, {
    env: ['FOO=bar', 'EMPTY='],
    dir,
    files: [{ type: 'null' }, { type: 'file', path: path.join(dir, 'out'), mode: 'w', create: true }, { type: 'file', path: path.join(dir, 'log'), mode: 'a', create: true }, { type: 'file', path: input, mode: 'r' }],
    sys: { setsid: true },
  });

  const imported = importProcess(original.pid);
  assert.ok(imported.ok, JSON.stringify(imported));
  const { profile } = imported;
  assert.equal(profile.path, PROBE);
  assert.deepEqual(profile.args, original.args);
  assert.deepEqual(profile.env, ['FOO=bar', 'EMPTY=']);
  assert.equal(profile.inheritEnv, false);
  assert.equal(profile.dir, dir);
  assert.equal(profile.sys?.setsid, true);
  assert.deepEqual(profile.files, [
    { type: 'null' },
    { type: 'file', path: path.join(dir, 'out'), mode: 'w' },
    { type: 'file', path: path.join(dir, 'log'), mode: 'a' },
    { type: 'file', path: input, mode: 'r' },
  ]);
  assert.match(profile.description ?? '', /The environment is the one it was started with/);

  assert.deepEqual(observed(await probeThroughLab(profile)), observed(original.report));
});

test('a process group leader is imported as setpgid, and a pipe slot as the lab\'s pipe with a warning', async (t) => {
  const dir = scratchDir(t);
  const original = await sleepingProbe(t, dir, {
    inheritEnv: true,
    files: [{ type: 'null' }, { type: 'pipe' }, { type: 'null' }],
    sys: { setpgid: true },
  });
  const imported = importProcess(original.pid);
  assert.ok(imported.ok, JSON.stringify(imported));
  const { profile, warnings } = imported;
  assert.equal(profile.sys?.setpgid, true);
  assert.equal(profile.sys?.setsid, undefined);
  assert.deepEqual(profile.files, [{ type: 'null' }, { type: 'pipe' }, { type: 'null' }]);
  const pipeWarning = warnings.find((w) => w.startsWith('fd 1 is a pipe'));
  assert.match(pipeWarning ?? '', /^fd 1 is a pipe \(pipe:\[\d+\], shared with pid \d+ \(.+\) fd \d+\) that cannot be opened again: the lab gives a pipe of its own, which it captures$/);
  assert.ok(profile.description?.includes(pipeWarning!), 'the description says it too');

  assert.deepEqual(observed(await probeThroughLab(profile)), observed(original.report));
});

test('setsid sleep 60 3</etc/hostname, started by a shell line with env -i in a directory', async (t) => {
  const dir = scratchDir(t);
  const line = `cd ${dir} && exec env -i FOO=bar setsid sleep 60 3</etc/hostname`;
  const run = launch({ version: 1, name: 'shell', path: '/bin/bash', args: ['bash', '-c', line], inheritEnv: true, files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }] });
  t.after(async () => {
    run.kill('SIGKILL');
    await run.result;
  });
  const pid = await run.started;
  // bash, env and setsid each exec the next: the same pid ends up as sleep.
  await waitFor('sleep', () => readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n');

  const imported = importProcess(pid!);
  assert.ok(imported.ok, JSON.stringify(imported));
  const { profile, warnings } = imported;
  assert.deepEqual(profile.args, ['sleep', '60']);
  assert.match(String(profile.path), /^(\/usr)?\/bin\/sleep$/);
  assert.deepEqual(profile.env, ['FOO=bar']);
  assert.equal(profile.dir, dir);
  assert.equal(profile.sys?.setsid, true);
  assert.deepEqual(profile.files, [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'file', path: '/etc/hostname', mode: 'r' }]);
  assert.deepEqual(warnings.map((w) => w.replace(/ \(pipe:.*/, '')), ['fd 0 is a pipe', 'fd 1 is a pipe', 'fd 2 is a pipe']);

  const child = await probeThroughLab(profile);
  assert.deepEqual([child.env, child.cwd, child.sid === child.pid], [['FOO=bar'], dir, true]);
  assert.deepEqual(child.fds.map((f) => [f.fd, f.target?.replace(/\[\d+\]$/, '')]), [[0, 'pipe:'], [1, 'pipe:'], [2, 'pipe:'], [3, '/etc/hostname']]);
});

test('a session leader on a terminal: its terminal slots become the run\'s pty, which it makes its controlling terminal', async (t) => {
  const dir = scratchDir(t);
  const original = await sleepingProbe(t, dir, { files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true } });
  assert.ok(original.report.tty.ctty, 'the original has a controlling terminal');
  const imported = importProcess(original.pid);
  assert.ok(imported.ok, JSON.stringify(imported));
  assert.deepEqual(imported.profile.files, [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }]);
  assert.deepEqual(imported.profile.sys, { setsid: true, setctty: true, ctty: 0 });
  assert.deepEqual(imported.warnings.map((w) => w.replace(/\/dev\/pts\/\d+/, 'TTY')), [0, 1, 2].map((fd) => `fd ${fd} is the terminal TTY, someone else's: the lab gives it the run's own pseudo-terminal`));
  const child = await probeThroughLab(imported.profile);
  assert.ok(child.tty.ctty?.startsWith('/dev/pts/'), `a controlling terminal: ${JSON.stringify(child.tty)}`);
  assert.equal(child.sid, child.pid);
});

test('namespaces that are not the lab\'s become new ones, said loudly', { skip: isRoot ? false : 'needs root for new namespaces' }, async (t) => {
  const original = await sleepingProbe(t, scratchDir(t), { files: [{ type: 'null' }], sys: { cloneflags: ['CLONE_NEWUTS', 'CLONE_NEWIPC'] } });
  const imported = importProcess(original.pid);
  assert.ok(imported.ok, JSON.stringify(imported));
  assert.deepEqual(imported.profile.sys, { cloneflags: ['CLONE_NEWUTS', 'CLONE_NEWIPC'] });
  assert.deepEqual(imported.warnings, [
    "its uts, ipc namespaces are not the lab's: the profile asks for NEW ones (cloneflags), empty of what its own hold (mounts, interfaces, hostname, processes); the lab cannot join existing ones",
  ]);
  assert.deepEqual(observed(await probeThroughLab(imported.profile)).namespaces, observed(original.report).namespaces);
});

test('a process that is gone is an error naming it', () => {
  // pid_max is at most 2^22: this pid cannot exist.
  assert.deepEqual(importProcess(4_194_305), { ok: false, message: 'no process 4194305' });
});

test('the picker lists a process started here, with its user and command line', async (t) => {
  const original = await sleepingProbe(t, scratchDir(t), { files: [{ type: 'null' }] });
  const entry = listProcesses().find((p) => p.pid === original.pid);
  assert.deepEqual(entry, { pid: original.pid, uid: process.getuid!(), user: os.userInfo().username, command: original.args.join(' ') });
});
