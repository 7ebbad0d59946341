// What the profile asked beside what the probe saw (src/shared/asked-vs-got.ts): a row for
// each observable thing a profile sets, matched, differing (with why) or unknown (the probe
// could not see it), and one real launch through the lab in which everything matches.
// Run: node --import tsx --test test/shared/asked-vs-got.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { launchProbe } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import { askedVsGot, type AskedRow } from '../../src/shared/asked-vs-got';
import { RLIMITS } from '../../src/shared/engine-names';
import type { NamespaceIds } from '../../src/shared/namespaces';
import { ProfileSchema, type Profile } from '../../src/shared/profile';

const LAB_NS: NamespaceIds = { user: 1, pid: 2, mnt: 3, uts: 4, ipc: 5, net: 6, cgroup: 7, pidForChildren: 2 };
const unlimited = { soft: 'unlimited', hard: 'unlimited' } as const;

// A probe in its own session and group, leading both, with the terminal on fd 0 as its
// controlling terminal and its group in the foreground.
const BASE: ProbeReport = {
  pid: 500, ppid: 10, pgid: 500, sid: 500,
  tty: { ctty: '/dev/pts/3', foregroundPgid: 500 },
  uid: 0, euid: 0, gid: 0, egid: 0, groups: [],
  cwd: '/', root: '/', umask: 0o022,
  fds: [{ fd: 0, target: '/dev/pts/3', cloexec: false, type: 'chr', access: 'rw', append: false, tty: true, dev: 1, ino: 2 }],
  signals: { ignored: [], blocked: [], caught: [] },
  tracer: 0,
  capabilities: { inheritable: [], permitted: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], bounding: ['CAP_CHOWN'], ambient: [] },
  namespaces: { ...LAB_NS },
  idMaps: { uid: [{ containerId: 0, hostId: 0, size: 4294967295 }], gid: [{ containerId: 0, hostId: 0, size: 4294967295 }], setgroups: 'allow' },
  cgroup: '/user.slice',
  rlimits: Object.fromEntries(RLIMITS.map((name) => [name, unlimited])) as ProbeReport['rlimits'],
  pdeathsig: null, noNewPrivs: false, nice: 0, cpuAffinity: [0, 1, 2, 3], oomScoreAdj: 0,
  env: [], argv: ['proclab_probe'],
};

const ASK_ALL = {
  version: 1, name: 'all', path: '/bin/true', args: ['true'], dir: '/tmp/',
  files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }],
  sys: {
    setsid: true, setpgid: true, pgid: 0, pdeathsig: 'SIGTERM',
    setctty: true, ctty: 0, foreground: true,
    credential: { uid: 65534, gid: 65534, groups: [] },
    ambientCaps: ['CAP_NET_BIND_SERVICE'], noNewPrivs: true, ptrace: true,
    cloneflags: ['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWNET'],
    unshareflags: ['CLONE_NEWPID'],
    uidMappings: [{ containerId: 0, hostId: 1000, size: 1 }],
    gidMappings: [{ containerId: 0, hostId: 1000, size: 1 }],
    umask: '027', rlimits: { NOFILE: { soft: 64, hard: 128 } }, nice: 7, cpuAffinity: [0], oomScoreAdj: 500,
    cgroup: '/sys/fs/cgroup/proclab/x',
  },
};

// Everything ASK_ALL asked, as the probe would see it.
const GOT_ALL: ProbeReport = {
  ...BASE,
  uid: 65534, euid: 65534, gid: 65534, egid: 65534, groups: [],
  cwd: '/tmp', umask: 0o027, tracer: 42,
  capabilities: { ...BASE.capabilities, ambient: ['CAP_NET_BIND_SERVICE'] },
  namespaces: { ...LAB_NS, user: 11, mnt: 13, uts: 14, ipc: 15, net: 16, pidForChildren: null },
  idMaps: { uid: [{ containerId: 0, hostId: 1000, size: 1 }], gid: [{ containerId: 0, hostId: 1000, size: 1 }], setgroups: 'deny' },
  cgroup: '/proclab/x',
  rlimits: { ...BASE.rlimits, NOFILE: { soft: 64, hard: 128 } },
  pdeathsig: 'SIGTERM', noNewPrivs: true, nice: 7, cpuAffinity: [0], oomScoreAdj: 500,
};

const verdicts = (rows: AskedRow[]) => Object.fromEntries(rows.map((r) => [r.key, r.verdict]));

describe('asked vs got', () => {
  test('a row for each thing asked, in words, each a match when the probe saw it so', () => {
    const rows = askedVsGot(ASK_ALL, GOT_ALL, LAB_NS);
    assert.deepEqual(rows.map((r) => [r.field, r.asked]), [
      ['setsid', 'a new session (setsid): sid = pid'],
      ['setpgid', 'own process group (setpgid 0): pgid = pid'],
      ['pdeathsig', 'pdeathsig SIGTERM'],
      ['setctty', 'controlling terminal on fd 0 (setctty)'],
      ['foreground', "foreground: the terminal's foreground group is its group"],
      ['credential', 'uid 65534 / gid 65534 / groups []'],
      ['ambientCaps', 'ambient CAP_NET_BIND_SERVICE'],
      ['noNewPrivs', 'no_new_privs on'],
      ['Working directory', 'cwd /tmp/'],
      ['ptrace', 'ptrace: traced by the lab'],
      ['cloneflags', 'new user namespace (clone)'],
      ['cloneflags', 'new mount namespace (clone)'],
      ['cloneflags', 'new UTS namespace (clone)'],
      ['cloneflags', 'new IPC namespace (clone)'],
      ['cloneflags', 'new network namespace (clone)'],
      ['unshareflags', "the lab's PID namespace (unshare CLONE_NEWPID)"],
      ['uidMappings', 'uid map 0→1000 (1)'],
      ['gidMappings', 'gid map 0→1000 (1)'],
      ['gidMappings', 'setgroups deny'],
      ['umask', 'umask 027'],
      ['rlimits', 'RLIMIT_NOFILE 64/128'],
      ['nice', 'nice 7'],
      ['cpuAffinity', 'CPUs 0'],
      ['oomScoreAdj', 'oom_score_adj 500'],
      ['cgroup', 'cgroup /sys/fs/cgroup/proclab/x'],
    ]);
    assert.deepEqual(rows.filter((r) => r.verdict !== 'match'), []);
    assert.deepEqual(rows.filter((r) => r.why !== undefined), [], 'a match needs no why');
    const keys = rows.map((r) => r.key);
    assert.equal(new Set(keys).size, keys.length, 'each row has a key of its own');
    assert.match(rows.find((r) => r.key === 'sys.unshareflags.CLONE_NEWPID')!.note!, /go#19716/);
    assert.equal(rows.find((r) => r.key === 'sys.umask')!.got, 'umask 027', 'got reads in the same words');
  });

  test('each differs, with why, when the probe saw otherwise', () => {
    const differing: ProbeReport = {
      ...BASE,
      pgid: 400, sid: 400,
      tty: { ctty: '/dev/pts/9', foregroundPgid: 300 },
      uid: 1000, euid: 1000, gid: 1000, egid: 1000, groups: [27],
      cwd: '/var/tmp', umask: 0o022, tracer: 0,
      namespaces: { ...LAB_NS, pid: 12, pidForChildren: 12 },
      idMaps: { uid: [{ containerId: 0, hostId: 0, size: 1 }], gid: [], setgroups: 'allow' },
      cgroup: '/user.slice',
      rlimits: { ...BASE.rlimits, NOFILE: { soft: 64, hard: 64 } },
      pdeathsig: null, noNewPrivs: false, nice: 0, cpuAffinity: [1], oomScoreAdj: 0,
    };
    const rows = askedVsGot(ASK_ALL, differing, LAB_NS);
    assert.equal(rows.length, 25);
    assert.deepEqual(rows.filter((r) => r.verdict !== 'differs').map((r) => r.key), []);
    assert.deepEqual(rows.filter((r) => !r.why).map((r) => r.key), [], 'each says why');
    const why = (key: string) => rows.find((r) => r.key === key)!.why;
    assert.match(why('sys.ptrace')!, /detached/);
    assert.match(why('sys.pdeathsig')!, /clears it/);
    assert.match(why('sys.credential')!, /uid 1000, euid 1000 \(asked 65534\).*groups \[27\] \(asked \[\]\)/);
    assert.equal(rows.find((r) => r.key === 'sys.cloneflags.CLONE_NEWUSER')!.got, "the lab's user namespace");
    assert.equal(rows.find((r) => r.key === 'sys.unshareflags.CLONE_NEWPID')!.got, 'new PID namespace');
  });

  test("unknown where the probe saw nothing (no /proc in a chroot), or the lab's namespaces are not known", () => {
    const blind: ProbeReport = {
      ...GOT_ALL,
      tty: { ctty: null, foregroundPgid: null },
      cwd: null, root: null, tracer: null, nice: null, oomScoreAdj: null, cgroup: null,
      namespaces: { user: null, pid: null, mnt: null, uts: null, ipc: null, net: null, cgroup: null, pidForChildren: null },
      idMaps: { uid: null, gid: null, setgroups: null },
      rlimits: { ...GOT_ALL.rlimits, NOFILE: null },
    };
    const rows = askedVsGot(ASK_ALL, blind, LAB_NS);
    // What needs no /proc is still seen: the ids, capabilities, prctl values, the mask, the CPUs.
    const seen = ['sys.setsid', 'sys.setpgid', 'sys.pdeathsig', 'sys.credential', 'sys.ambientCaps', 'sys.noNewPrivs', 'sys.umask', 'sys.cpuAffinity'];
    assert.deepEqual(rows.filter((r) => r.verdict === 'match').map((r) => r.key), seen);
    for (const row of rows.filter((r) => !seen.includes(r.key))) {
      assert.equal(row.verdict, 'unknown', row.key);
      assert.equal(row.got, 'unknown', row.key);
      assert.ok(row.why, `${row.key} says why`);
    }
    const noLab = askedVsGot(ASK_ALL, GOT_ALL);
    const namespaceRows = noLab.filter((r) => r.path === 'sys.cloneflags' || r.path === 'sys.unshareflags');
    assert.equal(namespaceRows.length, 6);
    assert.ok(namespaceRows.every((r) => r.verdict === 'unknown' && /the lab's own .* namespace id is not known/.test(r.why!)));
  });

  test('a chroot is never seen from inside: its root row is unknown; the cwd is a path inside it', () => {
    const profile = { version: 1, name: 'jail', path: '/probe', args: [], dir: '/work', sys: { chroot: '/srv/jail' } };
    const rows = askedVsGot(profile, { ...BASE, cwd: '/work', root: null }, LAB_NS);
    assert.deepEqual(rows.map((r) => [r.asked, r.verdict]), [
      ['root /srv/jail', 'unknown'],
      ['cwd /work (inside the new root)', 'match'],
    ]);
    assert.match(rows[0]!.why!, /no \/proc/);
    assert.equal(askedVsGot(profile, { ...BASE, cwd: '/work' }, LAB_NS)[0]!.verdict, 'unknown', 'its root reads / whatever it is');
  });

  test('noctty: no controlling terminal', () => {
    const profile = { sys: { noctty: true } };
    assert.deepEqual(verdicts(askedVsGot(profile, { ...BASE, tty: { ctty: null, foregroundPgid: null } })), { 'sys.noctty': 'match' });
    const still = askedVsGot(profile, BASE);
    assert.deepEqual([still[0]!.verdict, still[0]!.got, still[0]!.why], ['differs', 'controlling terminal /dev/pts/3', 'it still has a controlling terminal: /dev/pts/3']);
  });

  test('nothing for an empty profile, nor for one that spells out the defaults', () => {
    assert.deepEqual(askedVsGot({}, BASE, LAB_NS), []);
    assert.deepEqual(askedVsGot(undefined, BASE, LAB_NS), []);
    const defaults = {
      version: 1, name: 'plain', path: '/bin/true', args: ['true'], dir: '',
      sys: {
        chroot: '', setsid: false, setpgid: false, pgid: 0, setctty: false, noctty: false, foreground: false, ctty: 0, noNewPrivs: false, ptrace: false,
        ambientCaps: [], cloneflags: [], unshareflags: [], uidMappings: [], gidMappings: [], gidMappingsEnableSetgroups: false,
        rlimits: {}, cpuAffinity: [],
      },
      engine: { method: 'vfork', order: 'seed', closeOtherFds: true, resetSignals: true },
    };
    assert.deepEqual(askedVsGot(defaults, BASE, LAB_NS), []);
  });

  test('a launch through the lab with umask, nice, noNewPrivs and setsid: every row a match', async () => {
    const profile: Profile = {
      version: 1, name: 'asked', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
      sys: { umask: '027', nice: 7, noNewPrivs: true, setsid: true },
    };
    const run = launchProbe(profile);
    const result = await run.result;
    assert.equal(result.execError, null, JSON.stringify(result.execError));
    assert.ok(run.probeReport, 'the probe wrote its report');
    // As launched: every default filled in, which asks for nothing more.
    const rows = askedVsGot(ProfileSchema.parse(profile), JSON.parse(run.probeReport.text) as ProbeReport);
    assert.deepEqual(verdicts(rows), { 'sys.setsid': 'match', 'sys.noNewPrivs': 'match', 'sys.umask': 'match', 'sys.nice': 'match' });
  });
});
