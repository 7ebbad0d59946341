// proclab exec FILE and the library's exec(): the process that ran it becomes the program,
// same pid, with the profile's setup taken by the engine's helper (native/exec). Each test
// runs `sh -c 'echo $$ >&3; exec node bin/proclab.js exec FILE'`, so the pid the shell
// printed is the pid of the process that ran proclab exec, and the probe says what it got.
// Run: node --import tsx --test test/engine/exec.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { exec, InvalidProfileError } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { noTerminalHarness, runInTerminal } from '../support/in-terminal';
import { CLI, isRoot, probeProfile, ROOT, scratchDir, SPAWN_TIMEOUT_MS, TEST_TIMEOUT_MS, writeProfile, type ProbeReport } from '../support/cli-helpers';

const T = { timeout: TEST_TIMEOUT_MS };

interface Replaced {
  shellPid: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// `command...` exec'd by a shell that first prints its own pid on fd 3 (left open: a slot
// that closes it must close something), with fd 5 open on /dev/null too.
// detached: the shell leads a session and a process group of its own, as a job of an
// interactive shell leads its group.
function underShell(command: string[], options: { detached?: boolean } = {}): Promise<Replaced> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'echo $$ >&3; exec "$@" 5</dev/null', 'sh', ...command], {
      cwd: ROOT,
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      timeout: SPAWN_TIMEOUT_MS,
    });
    const text = { stdout: '', stderr: '', pid: '' };
    child.stdout!.on('data', (chunk: Buffer) => (text.stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (text.stderr += chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (text.pid += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ shellPid: Number(text.pid.trim()), status, signal, stdout: text.stdout, stderr: text.stderr }));
  });
}

const execCli = (file: string, options: { detached?: boolean } = {}) => underShell([process.execPath, CLI, 'exec', file], options);

// The probe's report: the last line of the output it went to.
function reportIn(output: string): ProbeReport {
  const last = output.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ProbeReport;
  } catch {
    throw new Error(`no probe report in ${JSON.stringify(output)}`);
  }
}

const nsInode = (name: string) => statSync(`/proc/self/ns/${name}`).ino;

describe('proclab exec FILE', () => {
  test('the program runs with the pid of the process that ran proclab exec, setup applied', T, async (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile(['--exit', '7'], { env: ['A=1', 'B=two words'], dir, sys: { setsid: true } }));
    const r = await execCli(file);
    assert.equal(r.status, 7, r.stderr);
    const report = reportIn(r.stdout);
    assert.equal(report.pid, r.shellPid);
    assert.equal(report.sid, r.shellPid, 'setsid: a session of its own');
    assert.equal(report.pgid, r.shellPid);
    assert.deepEqual(report.env, ['A=1', 'B=two words']);
    assert.equal(report.cwd, dir);
    // The profile's pipes on 1 and 2 became the caller's own fds, and it said so.
    assert.match(r.stderr, /^note: files\[1\]: a pipe is read by the lab.*own fd 1/m);
    assert.match(r.stderr, /^note: files\[2\]: .*own fd 2/m);
  });

  test('fds are remapped as in a launch: 1 and 2 swapped, a closed slot closed', T, async (t) => {
    const dir = scratchDir(t);
    const files = [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }, { type: 'closed' }];
    const file = writeProfile(dir, probeProfile(['--say', '2:on the fd 2 it got'], { files }));
    const r = await execCli(file);
    assert.equal(r.status, 0, r.stderr);
    // Its fd 1 is our stderr, its fd 2 our stdout.
    const report = reportIn(r.stderr);
    assert.equal(r.stdout, 'on the fd 2 it got\n');
    assert.equal(report.pid, r.shellPid);
    const fds = report.fds.map((f) => f.fd);
    assert.deepEqual(fds, [0, 1, 2], 'fd 3, open in the caller, is closed');
    assert.equal(report.fds[0]!.target, '/dev/null');
  });

  test('only the files pass, even with closeOtherFds: false, which says why', T, async (t) => {
    const dir = scratchDir(t);
    const files = [{ type: 'null' }, { type: 'inherit', fd: 1 }, { type: 'inherit', fd: 5 }];
    const r = await execCli(writeProfile(dir, probeProfile([], { files, engine: { closeOtherFds: false } })));
    assert.equal(r.status, 0, r.stderr);
    // The shell's fd 3 is not passed; its fd 5, named, is (as the program's fd 2).
    const report = reportIn(r.stdout);
    assert.deepEqual(report.fds.map((f) => [f.fd, f.target]), [[0, '/dev/null'], [1, report.fds[1]!.target], [2, '/dev/null']]);
    assert.match(r.stderr, /^note: engine\.closeOtherFds: Node marks the descriptors it was started with close-on-exec/m);
  });

  test('a credential drop as root', { ...T, skip: !isRoot && 'needs root' }, async (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile([], { sys: { credential: { uid: 65534, gid: 65534 } } }));
    const r = await execCli(file);
    assert.equal(r.status, 0, r.stderr);
    const report = reportIn(r.stdout);
    assert.equal(report.pid, r.shellPid);
    assert.deepEqual([report.uid, report.euid, report.gid, report.egid, report.groups], [65534, 65534, 65534, 65534, []]);
  });

  // What Node itself cannot do: unshare(CLONE_NEWUSER) fails with EINVAL in a multi-threaded process.
  test('unshare of a user and a UTS namespace in place, same pid', T, async (t) => {
    const dir = scratchDir(t);
    const uid = process.getuid!();
    const sys = { unshareflags: ['CLONE_NEWUSER', 'CLONE_NEWUTS'], uidMappings: [{ containerId: 0, hostId: uid, size: 1 }] };
    const r = await execCli(writeProfile(dir, probeProfile([], { sys })));
    assert.equal(r.status, 0, r.stderr);
    const report = reportIn(r.stdout);
    assert.equal(report.pid, r.shellPid);
    assert.notEqual(report.namespaces.user, nsInode('user'));
    assert.notEqual(report.namespaces.uts, nsInode('uts'));
    assert.deepEqual(report.idMaps.uid, [{ containerId: 0, hostId: uid, size: 1 }]);
    assert.equal(report.uid, 0, 'root inside its namespace');
  });

  test('cloneflags: the helper clones, says so, and ends as the program ends', T, async (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile(['--exit', '9'], { sys: { cloneflags: ['CLONE_NEWPID'] } }));
    const r = await execCli(file);
    assert.equal(r.status, 9, r.stderr);
    const report = reportIn(r.stdout);
    assert.equal(report.pid, 1, 'the first process of its new PID namespace');
    assert.notEqual(report.namespaces.pid, nsInode('pid'));
    assert.match(r.stderr, new RegExp(`^proclab exec: cloned for CLONE_NEWPID: the program runs as pid \\d+; this process \\(pid ${r.shellPid}\\) waits`, 'm'));
  });

  test("cloneflags in a terminal: Ctrl-C reaches the program once, not again through the helper", { ...T, skip: noTerminalHarness || (!isRoot && 'needs root: CLONE_NEWUTS') }, async (t) => {
    const dir = scratchDir(t);
    // Counts SIGINTs for a second after saying it is ready.
    const counter = 'import signal, sys, time\nn = 0\ndef on_int(*_):\n    global n\n    n += 1\nsignal.signal(signal.SIGINT, on_int)\nprint("ready", flush=True)\nend = time.time() + 1\nwhile time.time() < end: time.sleep(0.02)\nprint(f"SIGINT x{n}", flush=True)\n';
    const profile: Profile = {
      version: 1,
      name: 'ctrl-c',
      path: '/usr/bin/python3',
      args: ['python3', '-c', counter],
      files: [{ type: 'inherit', fd: 0 }, { type: 'inherit', fd: 1 }, { type: 'inherit', fd: 2 }],
      sys: { cloneflags: ['CLONE_NEWUTS'] },
    };
    const session = await runInTerminal([process.execPath, CLI, 'exec', writeProfile(dir, profile)], { rows: 24, cols: 80, timeoutMs: SPAWN_TIMEOUT_MS, answers: [['ready', '\x03']] });
    assert.match(session.output, /SIGINT x1\r?$/m, session.output);
    assert.equal(session.status, 0, session.output);
  });

  test('a failing step: its step, errno and call, exit 253, nothing run', T, async (t) => {
    const dir = scratchDir(t);
    const r = await execCli(writeProfile(dir, probeProfile([], { dir: `${dir}/missing` })));
    assert.equal(r.status, 253);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^exec error at step chdir: ENOENT \(No such file or directory\)$/m);
    assert.ok(r.stderr.includes(`  in chdir("${dir}/missing")`), r.stderr);
  });

  test('setsid in a process group leader: EPERM, and why (exec keeps the pid, so it cannot fork out)', T, async (t) => {
    const dir = scratchDir(t);
    const r = await execCli(writeProfile(dir, probeProfile([], { sys: { setsid: true } })), { detached: true });
    assert.equal(r.status, 253);
    assert.match(r.stderr, /^exec error at step setsid: EPERM \(Operation not permitted\)$/m);
    assert.ok(r.stderr.includes(`  why: this process (pid ${r.shellPid}) leads its process group`), r.stderr);
  });

  test("execve of a missing program, after the fd step closed stderr: said on the caller's stderr", T, async (t) => {
    const dir = scratchDir(t);
    const profile: Profile = { version: 1, name: 'missing', path: `${dir}/nothing`, args: ['nothing'], files: [{ type: 'null' }, { type: 'null' }, { type: 'closed' }] };
    const r = await execCli(writeProfile(dir, profile));
    assert.equal(r.status, 253);
    assert.match(r.stderr, /^exec error at step execve: ENOENT \(No such file or directory\)$/m);
    assert.ok(r.stderr.includes(`  in execve("${dir}/nothing", ["nothing"], envp[0])`), r.stderr);
  });

  test('execve of a script whose interpreter is missing: why, in the words a launch uses', T, async (t) => {
    const dir = scratchDir(t);
    const script = `${dir}/deploy.sh`;
    writeFileSync(script, '#!/usr/bin/proclab-no-such-interpreter\necho hi\n');
    chmodSync(script, 0o755);
    const profile: Profile = { version: 1, name: 'script', path: script, args: ['deploy.sh'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }] };
    const r = await execCli(writeProfile(dir, profile));
    assert.equal(r.status, 253);
    const failure = r.stderr.split('\n').filter((line) => !line.startsWith('warning: '));
    assert.deepEqual(failure.slice(0, 3), [
      'exec error at step execve: ENOENT (No such file or directory)',
      `  in execve("${script}", ["deploy.sh"], envp[0])`,
      `  why (interpreter-missing): the #! line of ${script} names /usr/bin/proclab-no-such-interpreter, which does not exist`,
    ]);
  });

  test('a program not in PATH fails at lookup, 253', T, async (t) => {
    const dir = scratchDir(t);
    const r = await execCli(writeProfile(dir, { version: 1, name: 'x', path: 'proclab-no-such-program', args: ['x'], env: [`PATH=${dir}`] }));
    assert.equal(r.status, 253);
    assert.match(r.stderr, /^exec error at step lookup: ENOENT \(executable file not found in \$PATH\)$/m);
  });

  test('an invalid profile, or a field exec cannot honour: exit 2 at the field, before anything runs', T, async (t) => {
    const dir = scratchDir(t);
    const invalid = await execCli(writeProfile(dir, probeProfile([], { files: [{ type: 'null' }, { type: 'inherit', fd: -1 }] })));
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /^error: files\[1\]\.fd: /m);
    const lab = probeProfile([], { files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }], timeoutMs: 1000, sys: { ptrace: true } });
    const refused = await execCli(writeProfile(dir, lab));
    assert.equal(refused.status, 2);
    assert.equal(refused.stdout, '', 'the probe never ran');
    const errors = refused.stderr.split('\n').filter((line) => line.startsWith('error: ')).map((line) => line.split(':')[1]!.trim());
    assert.deepEqual(errors, ['files[0]', 'files[3]', 'timeoutMs', 'sys.ptrace']);
  });
});

describe("the library's exec(profile)", () => {
  test('replaces the node process that calls it: same pid, setup applied', T, async (t) => {
    const dir = scratchDir(t);
    const profile = probeProfile([], { dir, sys: { setsid: true } });
    const script = "require('proclab').exec(JSON.parse(process.argv[1]))"; // resolved by its own name, from the repository
    const r = await underShell([process.execPath, '-e', script, JSON.stringify(profile)]);
    assert.equal(r.status, 0, r.stderr);
    const report = reportIn(r.stdout);
    assert.equal(report.pid, r.shellPid);
    assert.equal(report.sid, r.shellPid);
    assert.equal(report.cwd, dir);
  });

  test('throws InvalidProfileError for a field exec cannot honour, and this process goes on', () => {
    assert.throws(() => exec(probeProfile([], { stdin: 'text' })), (err: unknown) => {
      assert.ok(err instanceof InvalidProfileError);
      assert.deepEqual(err.problems.map((p) => p.path), ['stdin']);
      return true;
    });
  });
});
