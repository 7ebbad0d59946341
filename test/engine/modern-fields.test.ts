// The modern fields (Go's SysProcAttr today, and what CPython and systemd add), each
// observed in the child by the probe, and each refusal a result at its step: umask, nice,
// rlimits, CPU affinity, oom_score_adj, no_new_privs, pdeathsig, namespaces from clone and
// from unshare, user namespaces mapped by the lab (as root) and by the child, ambient
// capabilities after a credential drop, a cgroup v2 directory (mounted for the test in a
// private mount namespace), and Go's step order. As root for real; the unprivileged cases
// run the CLI under setpriv as uid 65534. Foreground job control in a real terminal is in
// test/engine/foreground.test.ts.
// Run: node --import tsx --test test/engine/modern-fields.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { launch, launchProbe, plan } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import { execErrorContextOf, explainExecError } from '../../src/shared/explain';
import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { CGROUP2_ONLY, runInCgroup2 } from '../support/cgroup2';
import { waitFor } from '../support/lab-api';
import { isRoot, METHODS, probeProfile, scratchDir } from '../support/probe';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/proclab.js');
const ROOT_ONLY = isRoot ? {} : { skip: 'needs root' };

async function probeWith(sys: Profile['sys'], engine: Profile['engine'] = {}): Promise<{ result: RunResult; report: ProbeReport }> {
  const run = launchProbe(probeProfile({ sys, engine }));
  const result = await run.result;
  assert.equal(result.execError, null, `exec error: ${JSON.stringify(result.execError)}`);
  assert.ok(run.probeReport, 'the probe reported');
  return { result, report: JSON.parse(run.probeReport.text) as ProbeReport };
}

async function failure(sys: Profile['sys'], engine: Profile['engine'] = {}): Promise<RunResult> {
  const result = await launch(probeProfile({ sys, engine })).result;
  assert.ok(result.execError, `expected an exec error: ${JSON.stringify(result.status)}`);
  return result;
}

/** The inode of one of the lab's own namespaces. */
const labNs = (name: string) => String(statSync(`/proc/self/ns/${name}`).ino);

describe('process attributes the child gets', () => {
  for (const method of METHODS) {
    test(`umask, nice, rlimits, CPU affinity, oom_score_adj, no_new_privs, pdeathsig (${method})`, async () => {
      const { report, result } = await probeWith(
        {
          umask: '027',
          nice: 7,
          rlimits: { NOFILE: { soft: 64, hard: 128 }, CORE: { soft: 0, hard: 'unlimited' } },
          cpuAffinity: [0],
          oomScoreAdj: 500,
          noNewPrivs: true,
          pdeathsig: 'SIGTERM',
        },
        { method },
      );
      assert.equal(report.umask, 0o27);
      assert.equal(report.nice, 7);
      assert.deepEqual(report.rlimits.NOFILE, { soft: 64, hard: 128 });
      assert.deepEqual(report.rlimits.CORE, { soft: 0, hard: 'unlimited' });
      assert.deepEqual(report.cpuAffinity, [0]);
      assert.equal(report.oomScoreAdj, 500);
      assert.equal(report.noNewPrivs, true);
      assert.equal(report.pdeathsig, 'SIGTERM');
      // Each a step of its own, with the call it made.
      const calls = result.plan.map((op) => `${op.step}: ${op.call}`);
      for (const call of ['umask: umask(0027)', 'nice: setpriority(PRIO_PROCESS, 0, 7)', 'rlimits: prlimit64(0, RLIMIT_NOFILE, {64, 128}, NULL)', 'rlimits: prlimit64(0, RLIMIT_CORE, {0, RLIM_INFINITY}, NULL)', 'cpuAffinity: sched_setaffinity(0, {0})', 'noNewPrivs: prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)']) {
        assert.ok(calls.includes(call), `${call} in ${calls.join('; ')}`);
      }
    });
  }

  test('without them, the child has the lab’s: nothing asked, nothing changed', async () => {
    const { report } = await probeWith({});
    assert.equal(report.noNewPrivs, false);
    assert.equal(report.pdeathsig, null);
    assert.equal(report.nice, 0);
    assert.equal(report.cgroup, readFileSync('/proc/self/cgroup', 'utf8').match(/^0::(.*)$/m)?.[1] ?? null);
  });

  test('a refused limit is a result at its step: a hard limit raised without CAP_SYS_RESOURCE, a CPU that does not exist', async () => {
    const cpus = Number(spawnSync('nproc', ['--all'], { encoding: 'utf8' }).stdout.trim());
    const cpu = await failure({ cpuAffinity: [1023] });
    assert.deepEqual([cpu.execError?.step, cpu.execError?.code, cpu.status], ['cpuAffinity', 'EINVAL', { kind: 'exited', code: 253 }], `with ${cpus} CPUs`);
    // Raising the hard NOFILE past fs.nr_open is refused to anyone.
    const nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8'));
    const nofile = await failure({ rlimits: { NOFILE: { soft: nrOpen + 1, hard: nrOpen + 1 } } });
    assert.deepEqual([nofile.execError?.step, nofile.execError?.code], ['rlimits', 'EPERM']);
  });
});

describe('namespaces', () => {
  for (const method of METHODS) {
    test(`from clone: a new PID, UTS, IPC and network namespace; the program is pid 1 (${method})`, ROOT_ONLY, async () => {
      const { report, result } = await probeWith({ cloneflags: ['CLONE_NEWPID', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWNET'] }, { method });
      assert.equal(report.pid, 1);
      assert.equal(report.ppid, 0);
      for (const ns of ['pid_for_children', 'uts', 'ipc', 'net'] as const) {
        if (ns === 'pid_for_children' && !(ns in report.namespaces)) continue;
        assert.notEqual(String(report.namespaces[ns as keyof typeof report.namespaces]), labNs(ns), `${ns} is new`);
      }
      assert.equal(String(report.namespaces.mnt), labNs('mnt'), 'mnt is the lab’s');
      assert.equal(String(report.namespaces.user), labNs('user'), 'user is the lab’s');
      assert.ok(result.pid && result.pid > 1, 'the lab knows its pid as the lab sees it');
    });
  }

  test('from unshare: new UTS and mount namespaces, / made private', ROOT_ONLY, async () => {
    const { report, result } = await probeWith({ unshareflags: ['CLONE_NEWUTS', 'CLONE_NEWNS'] });
    assert.notEqual(String(report.namespaces.uts), labNs('uts'));
    assert.notEqual(String(report.namespaces.mnt), labNs('mnt'));
    assert.deepEqual(
      result.plan.filter((op) => op.step === 'unshare').map((op) => op.call),
      ['unshare(CLONE_NEWNS|CLONE_NEWUTS)', 'mount("none", "/", NULL, MS_REC|MS_PRIVATE, NULL)'],
    );
  });

  test('unshare(CLONE_NEWPID) leaves the program where it was: only its children go in (go#19716)', ROOT_ONLY, async () => {
    const { report } = await probeWith({ unshareflags: ['CLONE_NEWPID'] });
    assert.notEqual(report.pid, 1);
    assert.equal(String(report.namespaces.pid), labNs('pid'));
  });

  for (const method of METHODS) {
    test(`a user namespace from clone, mapped by the lab as root: 0 inside is 1000 outside, setgroups denied (${method})`, ROOT_ONLY, async () => {
      const map = [{ containerId: 0, hostId: 1000, size: 1 }];
      const { report, result } = await probeWith(
        { cloneflags: ['CLONE_NEWUSER'], uidMappings: map, gidMappings: map, credential: { uid: 0, gid: 0, noSetGroups: true } },
        { method },
      );
      assert.deepEqual(report.idMaps, { uid: map, gid: map, setgroups: 'deny' });
      assert.deepEqual([report.uid, report.gid], [0, 0], 'root inside');
      assert.notEqual(String(report.namespaces.user), labNs('user'));
      // The lab wrote the maps while the child waited; the plan says who did what.
      assert.deepEqual(
        result.plan.filter((op) => op.step === 'userns').map((op) => op.call.replace(/\d+, 1\)/, 'N, 1)').replace(/close\(\d+\)/, 'close(N)')),
        ['the lab: write "0 1000 1" to /proc/PID/uid_map', 'the lab: write "deny" to /proc/PID/setgroups', 'the lab: write "0 1000 1" to /proc/PID/gid_map', 'read(N, 1): wait for the maps; close(N)'],
      );
      assert.deepEqual(result.trace.filter((t) => t.step === 'userns').map((t) => t.state), ['done', 'done', 'done', 'done']);
    });
  }

  test('a user namespace from unshare maps itself: its own ids, and EPERM at uidMappings for anything else', ROOT_ONLY, async () => {
    const own = [{ containerId: 0, hostId: 0, size: 1 }];
    const { report } = await probeWith({ unshareflags: ['CLONE_NEWUSER'], uidMappings: own, gidMappings: own });
    assert.deepEqual(report.idMaps, { uid: own, gid: own, setgroups: 'deny' });
    const refused = await failure({ unshareflags: ['CLONE_NEWUSER'], uidMappings: [{ containerId: 0, hostId: 1000, size: 1 }] });
    assert.deepEqual([refused.execError?.step, refused.execError?.code, refused.status], ['uidMappings', 'EPERM', { kind: 'exited', code: 253 }]);
    assert.match(explainExecError(refused.execError!.step, refused.execError!.code), /may map only its own uid/);
  });

  test('ambient capabilities after a credential drop: kept with PR_SET_KEEPCAPS, raised, and the program holds them', ROOT_ONLY, async () => {
    const { report, result } = await probeWith({ credential: { uid: 65534, gid: 65534 }, ambientCaps: ['CAP_NET_BIND_SERVICE'] });
    assert.equal(report.uid, 65534);
    assert.deepEqual(report.capabilities.ambient, ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(report.capabilities.effective, ['CAP_NET_BIND_SERVICE'], 'ambient capabilities become effective at exec');
    const steps = result.plan.map((op) => op.step);
    assert.ok(steps.indexOf('keepcaps') < steps.indexOf('setuid') && steps.indexOf('setuid') < steps.indexOf('ambientCaps'), steps.join());
  });
});

describe("Go's order", () => {
  test('ptrace comes last, after the mask is restored; the seed puts it first', async () => {
    const steps = async (order: 'seed' | 'go') => {
      const run = launch(probeProfile({ sys: { ptrace: true, setsid: true }, engine: { order } }), {
        onEvent: (e) => e.kind === 'stopped' && void run.detach(),
      });
      const result = await run.result;
      assert.equal(result.execError, null);
      return [...new Set(result.plan.map((op) => op.step))];
    };
    assert.deepEqual(await steps('seed'), ['signals', 'ptrace', 'setsid', 'fd', 'closefds', 'sigmask', 'execve']);
    assert.deepEqual(await steps('go'), ['signals', 'setsid', 'fd', 'closefds', 'sigmask', 'ptrace', 'execve']);
  });
});

// ---------------------------------------------------------------- through the CLI

const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

function cliRun(dir: string, profile: Profile, wrapper: string[] = []): RunResult {
  const file = path.join(dir, 'profile.json');
  writeFileSync(file, JSON.stringify(profile));
  chmodSync(file, 0o644);
  const argv = [...wrapper, process.execPath, CLI, 'run', file, '--json'];
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  assert.ok(r.stdout.trim(), `no result: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunResult;
}

describe('as uid 65534 (setpriv), a user namespace from clone', () => {
  test('nobody maps itself to root, setgroups denied: root inside', ROOT_ONLY, (t) => {
    const dir = scratchDir(t);
    chmodSync(dir, 0o755);
    const out = path.join(dir, 'report.json');
    const profile = probeProfile(
      {
        sys: {
          cloneflags: ['CLONE_NEWUSER'],
          uidMappings: [{ containerId: 0, hostId: 65534, size: 1 }],
          gidMappings: [{ containerId: 0, hostId: 65534, size: 1 }],
        },
      },
      ['--out-file', out],
    );
    chmodSync(dir, 0o777);
    const result = cliRun(dir, profile, NOBODY);
    assert.equal(result.execError, null, JSON.stringify(result.execError));
    const report = JSON.parse(readFileSync(out, 'utf8')) as ProbeReport;
    assert.deepEqual([report.uid, report.gid, report.idMaps.setgroups], [0, 0, 'deny']);
  });

  test('nobody asking for host root: EPERM at userns, exit 253, the program never ran', ROOT_ONLY, (t) => {
    const dir = scratchDir(t);
    chmodSync(dir, 0o755);
    const result = cliRun(dir, probeProfile({ sys: { cloneflags: ['CLONE_NEWUSER'], uidMappings: [{ containerId: 0, hostId: 0, size: 1 }] } }), NOBODY);
    assert.deepEqual([result.execError?.step, result.execError?.code, result.status], ['userns', 'EPERM', { kind: 'exited', code: 253 }]);
    // The lab's write is the one refused; the child's wait for it fails with its errno.
    const userns = result.trace.filter((t) => t.step === 'userns');
    assert.deepEqual(userns.map((t) => [t.call.replace(/\d+/g, 'N'), t.state, t.code]), [
      ['the lab: write "N N N" to /proc/PID/uid_map', 'failed', 'EPERM'],
      ['read(N, N): wait for the maps; close(N)', 'failed', 'EPERM'],
    ]);
  });
});

describe('pdeathsig fires', () => {
  // The parent-death signal is tied to the thread that created the child: the lab's spawner
  // thread, which lives as long as the lab. Killed, the lab takes it along, and the kernel
  // sends the child its signal.
  test('when the lab dies, the child gets its signal', async (t) => {
    const dir = scratchDir(t);
    const pidFile = path.join(dir, 'pid');
    const file = path.join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify({
      version: 1,
      name: 'orphan',
      path: '/bin/sh',
      args: ['sh', '-c', `echo $$ > '${pidFile}'; exec sleep 30`],
      files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }],
      sys: { pdeathsig: 'SIGKILL' },
    }));
    const lab = spawn(process.execPath, [CLI, 'run', file], { cwd: ROOT, stdio: 'ignore' });
    const childPid = await waitFor('the child', () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined));
    const state = () => (existsSync(`/proc/${childPid}/stat`) ? readFileSync(`/proc/${childPid}/stat`, 'utf8').split(') ')[1]![0] : 'gone');
    // Asleep in sleep(1) (it may still be exec'ing it when the pid file appears).
    assert.equal(await waitFor('sleep(1) asleep', () => (state() === 'S' ? 'S' : undefined)), 'S', 'the child sleeps while the lab lives');
    lab.kill('SIGKILL');
    // Dead: reaped by whoever adopted it, or a zombie waiting for that.
    assert.ok(['Z', 'gone'].includes(await waitFor('the child dead', () => (['Z', 'gone'].includes(state()) ? state() : undefined))));
  });
});

describe('a cgroup v2 directory (clone3 with CLONE_INTO_CGROUP)', () => {
  test('the child starts in the cgroup, as the probe sees it', CGROUP2_ONLY, (t) => {
    const dir = scratchDir(t);
    const out = path.join(dir, 'report.json');
    let name = '';
    const result = runInCgroup2(dir, (group) => {
      name = path.basename(group);
      return probeProfile({ sys: { cgroup: group } }, ['--out-file', out]);
    });
    assert.equal(result.execError, null, JSON.stringify(result.execError));
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as ProbeReport).cgroup, `/${name}`);
  });

  test('a cgroup that hands controllers to its children: EBUSY in clone3, no child', CGROUP2_ONLY, (t) => {
    const dir = scratchDir(t);
    const result = runInCgroup2(dir, (group) => probeProfile({ sys: { cgroup: group } }), true);
    assert.deepEqual([result.pid, result.execError?.step, result.execError?.code], [null, 'clone', 'EBUSY']);
  });

  test('a directory that is not cgroup v2: EBADF in clone3, no child', async () => {
    const result = await launch(probeProfile({ sys: { cgroup: '/sys/fs/cgroup' } })).result;
    assert.deepEqual([result.pid, result.execError?.step, result.execError?.code], [null, 'clone', 'EBADF']);
    // The plan says so beforehand: it has no cgroup.controllers to read.
    assert.equal(plan(probeProfile({ sys: { cgroup: '/sys/fs/cgroup' } })).cgroupControllers, null);
    assert.match(explainExecError('clone', 'EBADF', execErrorContextOf({ sys: { cgroup: '/sys/fs/cgroup' } })), /\/sys\/fs\/cgroup is not a cgroup v2 directory/);
  });

  test('a cgroup that does not exist: ENOENT at step cgroup', async () => {
    const result = await launch(probeProfile({ sys: { cgroup: '/sys/fs/cgroup/no-such-group' } })).result;
    assert.deepEqual([result.pid, result.execError?.step, result.execError?.code], [null, 'cgroup', 'ENOENT']);
  });
});
