// The probe's view of the modern process attributes (capabilities, namespaces, id maps,
// cgroup, rlimits, parent-death signal, no_new_privs, nice, CPU affinity, oom_score_adj):
// each checked against a state the test knows. The lab's defaults through launchProbe,
// compared with the lab's own state read from /proc; each attribute changed by a standard
// wrapper (prlimit, unshare, setpriv, nice, taskset, choom) that then execs the probe.
// Run: node --import tsx --test test/engine/probe-modern.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { labNamespaceIds } from '../../src/main/lab/namespaces';
import type { ProbeReport, RlimitName, RlimitValue } from '../../src/shared/api';
import { RLIMITS } from '../../src/shared/engine-names';
import { NAMESPACES, namespaceOrigins, type NamespaceIds, type NamespaceName } from '../../src/shared/namespaces';
import { launchProbe } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { isRoot, PROBE, scratchDir } from '../support/probe';

const ROOT_ONLY = isRoot ? {} : { skip: 'needs root' };
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

// --------------------------------------------------------------- the lab's own state

function procStatus(): Record<string, string> {
  return Object.fromEntries(
    readFileSync('/proc/self/status', 'utf8').split('\n').filter(Boolean).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    }),
  );
}

// /proc/self/limits, by the probe's names: the lab's own limits, read without the probe.
const LIMITS_LINES: Record<string, RlimitName> = {
  'Max cpu time': 'CPU', 'Max file size': 'FSIZE', 'Max data size': 'DATA', 'Max stack size': 'STACK',
  'Max core file size': 'CORE', 'Max resident set': 'RSS', 'Max processes': 'NPROC', 'Max open files': 'NOFILE',
  'Max locked memory': 'MEMLOCK', 'Max address space': 'AS', 'Max file locks': 'LOCKS', 'Max pending signals': 'SIGPENDING',
  'Max msgqueue size': 'MSGQUEUE', 'Max nice priority': 'NICE', 'Max realtime priority': 'RTPRIO', 'Max realtime timeout': 'RTTIME',
};

function labLimits(): Record<string, { soft: RlimitValue; hard: RlimitValue }> {
  const value = (v: string): RlimitValue => (v === 'unlimited' ? 'unlimited' : Number(v));
  const limits: Record<string, { soft: RlimitValue; hard: RlimitValue }> = {};
  for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n').slice(1)) {
    const name = Object.keys(LIMITS_LINES).find((prefix) => line.startsWith(prefix));
    if (!name) continue;
    const [soft, hard] = line.slice(26).trim().split(/\s+/);
    limits[LIMITS_LINES[name]!] = { soft: value(soft!), hard: value(hard!) };
  }
  return limits;
}

function idMap(file: string): { containerId: number; hostId: number; size: number }[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const [containerId, hostId, size] = line.trim().split(/\s+/).map(Number);
    return { containerId: containerId!, hostId: hostId!, size: size! };
  });
}

// A capability mask as capsh names it (an independent decoder), in the probe's form: sorted upper-case names.
const capsh = spawnSync('capsh', ['--version']).error ? null : 'capsh';
function capNames(hex: string): string[] {
  const out = spawnSync('capsh', [`--decode=${hex}`], { encoding: 'utf8' }).stdout.trim();
  const names = out.slice(out.indexOf('=') + 1);
  return names === '' ? [] : names.split(',').map((n) => n.toUpperCase()).sort();
}

// "0-3,6" (Cpus_allowed_list) as [0, 1, 2, 3, 6].
function cpuListOf(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  });
}

// --------------------------------------------------------------------- the probe

const profile = (overrides: Partial<Profile> = {}): Profile => ({
  version: 1, name: 'modern', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], ...overrides,
});

async function throughLab(p: Profile): Promise<ProbeReport> {
  const run = launchProbe(p);
  const result = await run.result;
  assert.equal(result.execError, null, JSON.stringify(result.execError));
  assert.ok(run.probeReport, 'the probe wrote its report');
  return JSON.parse(run.probeReport.text) as ProbeReport;
}

// The probe exec'd by a wrapper command; its report as text (on stdout).
function directText(wrapper: string[], probe = PROBE): string {
  const args = [...wrapper, probe];
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.error, undefined, `${args.join(' ')}: ${r.error?.message}`);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const direct = (wrapper: string[], probe = PROBE): ProbeReport => JSON.parse(directText(wrapper, probe)) as ProbeReport;

const has = (tool: string): boolean => !spawnSync('sh', ['-c', `command -v ${tool}`]).status;
const needs = (...tools: string[]) => {
  const missing = tools.filter((t) => !has(t));
  return missing.length === 0 ? {} : { skip: `${missing.join(', ')} not installed` };
};

const originsOf = (report: ProbeReport) => namespaceOrigins(report.namespaces, labNamespaceIds());
const only = (names: NamespaceName[]) => Object.fromEntries(NAMESPACES.map((n) => [n, names.includes(n) ? 'new' : 'lab']));

// -------------------------------------------------------------------------- tests

describe('the lab launches the probe with its own process attributes', () => {
  let report: ProbeReport;
  before(async () => {
    report = await throughLab(profile());
  });

  test("capabilities: the lab's sets (as capsh decodes /proc/self/status)", { skip: !capsh && 'capsh not installed' }, () => {
    const status = procStatus();
    assert.deepEqual(report.capabilities, {
      inheritable: capNames(status.CapInh!),
      permitted: capNames(status.CapPrm!),
      effective: capNames(status.CapEff!),
      bounding: capNames(status.CapBnd!),
      ambient: capNames(status.CapAmb!),
    });
    if (isRoot) assert.ok(report.capabilities.effective.includes('CAP_SETUID'), 'root holds CAP_SETUID');
  });

  test("namespaces: every one is the lab's", () => {
    const lab = labNamespaceIds();
    assert.deepEqual(report.namespaces, lab);
    assert.ok(NAMESPACES.every((n) => typeof lab[n] === 'number'), JSON.stringify(lab));
    assert.deepEqual(originsOf(report), only([]));
  });

  test("id maps and cgroup: the lab's", () => {
    assert.deepEqual(report.idMaps, {
      uid: idMap('/proc/self/uid_map'),
      gid: idMap('/proc/self/gid_map'),
      setgroups: readFileSync('/proc/self/setgroups', 'utf8').trim(),
    });
    const v2 = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
    assert.equal(report.cgroup, v2 ? v2.slice(3) : null);
  });

  test("rlimits: every resource, the lab's own (/proc/self/limits)", () => {
    assert.deepEqual(Object.keys(report.rlimits), [...RLIMITS]);
    assert.deepEqual(report.rlimits, labLimits());
  });

  test("scheduling and the rest: the lab's nice, CPUs and OOM adjustment; no parent-death signal, no_new_privs off", () => {
    const status = procStatus();
    assert.equal(report.nice, os.getPriority(0));
    assert.deepEqual(report.cpuAffinity, cpuListOf(status.Cpus_allowed_list!));
    assert.equal(report.oomScoreAdj, Number(readFileSync('/proc/self/oom_score_adj', 'utf8')));
    assert.equal(report.pdeathsig, null);
    assert.equal(report.noNewPrivs, status.NoNewPrivs === '1');
  });

  test('as uid 65534: no capabilities but the bounding set, which stays', ROOT_ONLY, async () => {
    const nobody = await throughLab(profile({ sys: { credential: { uid: 65534, gid: 65534, groups: [] } } }));
    const { permitted, effective, inheritable, ambient, bounding } = nobody.capabilities;
    assert.deepEqual({ permitted, effective, inheritable, ambient }, { permitted: [], effective: [], inheritable: [], ambient: [] });
    assert.deepEqual(bounding, report.capabilities.bounding);
  });

  test('in a chroot without /proc: what needs /proc is null, the rest is still read', ROOT_ONLY, async (t) => {
    const jail = scratchDir(t);
    chmodSync(jail, 0o755);
    const jailed = await throughLab(profile({ sys: { chroot: jail }, dir: '/' }));
    assert.deepEqual(jailed.namespaces, Object.fromEntries(NAMESPACES.map((n) => [n, null])));
    assert.deepEqual(originsOf(jailed), Object.fromEntries(NAMESPACES.map((n) => [n, 'unknown'])));
    assert.deepEqual(jailed.idMaps, { uid: null, gid: null, setgroups: null });
    assert.equal(jailed.cgroup, null);
    assert.equal(jailed.oomScoreAdj, null);
    assert.deepEqual(jailed.capabilities, report.capabilities, 'capget and prctl need no /proc');
    assert.deepEqual(jailed.rlimits, report.rlimits);
    assert.deepEqual(jailed.cpuAffinity, report.cpuAffinity);
    assert.equal(jailed.nice, report.nice);
  });
});

describe('the probe sees what a wrapper changed before exec', () => {
  let plain: ProbeReport;
  before(() => {
    plain = direct([]);
  });

  test('prlimit: the new limits, the others unchanged', needs('prlimit'), () => {
    const limited = direct(['prlimit', '--nofile=64:128', '--fsize=4096:', '--']);
    assert.deepEqual(limited.rlimits.NOFILE, { soft: 64, hard: 128 });
    assert.deepEqual(limited.rlimits.FSIZE, { soft: 4096, hard: plain.rlimits.FSIZE!.hard });
    const { NOFILE: _n, FSIZE: _f, ...others } = limited.rlimits;
    const { NOFILE: _pn, FSIZE: _pf, ...plainOthers } = plain.rlimits;
    assert.deepEqual(others, plainOthers);
  });

  test('prlimit: a limit past 2^53 is written digit for digit; RLIM_INFINITY is "unlimited"', needs('prlimit'), (t) => {
    if (plain.rlimits.FSIZE?.hard !== 'unlimited') return t.skip('the hard FSIZE limit is not unlimited here');
    const text = directText(['prlimit', '--fsize=9007199254740993:', '--']);
    assert.match(text, /"FSIZE":\{"soft":9007199254740993,"hard":"unlimited"\}/);
  });

  test('unshare --user --map-root-user: a new user namespace, mapping root to the caller; setgroups denied', needs('unshare'), () => {
    const mapped = direct(['unshare', '--user', '--map-root-user']);
    const uid = process.getuid!();
    const gid = process.getgid!();
    assert.deepEqual(mapped.idMaps, { uid: [{ containerId: 0, hostId: uid, size: 1 }], gid: [{ containerId: 0, hostId: gid, size: 1 }], setgroups: 'deny' });
    assert.equal(mapped.uid, 0);
    assert.deepEqual(originsOf(mapped), only(['user']));
  });

  test('unshare --user --map-root-user as uid 65534: root inside is 65534 outside', { ...ROOT_ONLY, ...needs('unshare', 'setpriv') }, () => {
    const mapped = direct([...NOBODY, 'unshare', '--user', '--map-root-user']);
    assert.deepEqual(mapped.idMaps.uid, [{ containerId: 0, hostId: 65534, size: 1 }]);
    assert.deepEqual(mapped.idMaps.gid, [{ containerId: 0, hostId: 65534, size: 1 }]);
    assert.equal(mapped.uid, 0);
  });

  test('unshare --pid --fork: pid 1 in a new PID namespace, which its children join too', { ...ROOT_ONLY, ...needs('unshare') }, () => {
    const init = direct(['unshare', '--pid', '--fork']);
    assert.equal(init.pid, 1);
    assert.deepEqual(originsOf(init), only(['pid', 'pidForChildren']));
    assert.equal(init.namespaces.pidForChildren, init.namespaces.pid);
  });

  test('unshare --mount --uts --ipc --net --cgroup: each of those new, user and pid the lab\'s', { ...ROOT_ONLY, ...needs('unshare') }, () => {
    const apart = direct(['unshare', '--mount', '--uts', '--ipc', '--net', '--cgroup']);
    assert.deepEqual(originsOf(apart), only(['mnt', 'uts', 'ipc', 'net', 'cgroup']));
    assert.equal(apart.cgroup, '/', 'a new cgroup namespace is rooted at its cgroup');
  });

  test('setpriv --no-new-privs', needs('setpriv'), () => {
    assert.equal(plain.noNewPrivs, false);
    assert.equal(direct(['setpriv', '--no-new-privs']).noNewPrivs, true);
  });

  test('setpriv --pdeathsig SIGTERM', needs('setpriv'), () => {
    assert.equal(plain.pdeathsig, null);
    assert.equal(direct(['setpriv', '--pdeathsig', 'SIGTERM']).pdeathsig, 'SIGTERM');
    assert.equal(direct(['setpriv', '--pdeathsig', 'SIGRTMIN+1']).pdeathsig, 'SIGRTMIN+1');
  });

  test('nice -n 5: five more than the lab', needs('nice'), () => {
    assert.equal(plain.nice, os.getPriority(0));
    assert.equal(direct(['nice', '-n', '5']).nice, Math.min(19, plain.nice! + 5));
  });

  test('taskset -c: only that CPU', needs('taskset'), () => {
    assert.deepEqual(direct(['taskset', '-c', '0']).cpuAffinity, [0]);
    const last = plain.cpuAffinity.at(-1)!;
    assert.deepEqual(direct(['taskset', '-c', `${last}`]).cpuAffinity, [last]);
  });

  test('choom -n 300: its OOM score adjustment', needs('choom'), () => {
    assert.equal(direct(['choom', '-n', '300', '--']).oomScoreAdj, 300);
  });

  test('setpriv --inh-caps --ambient-caps: the ambient set, sorted by name', { ...ROOT_ONLY, ...needs('setpriv') }, () => {
    assert.deepEqual(plain.capabilities.ambient, []);
    const caps = direct(['setpriv', '--inh-caps', '+net_raw,+audit_write', '--ambient-caps', '+net_raw,+audit_write']).capabilities;
    assert.deepEqual(caps.ambient, ['CAP_AUDIT_WRITE', 'CAP_NET_RAW']);
    assert.deepEqual(caps.inheritable, ['CAP_AUDIT_WRITE', 'CAP_NET_RAW']);
  });

  test('as uid 65534: only the ambient capabilities survive the uid change', { ...ROOT_ONLY, ...needs('setpriv') }, () => {
    const none = direct(NOBODY).capabilities;
    assert.deepEqual([none.permitted, none.effective, none.ambient], [[], [], []]);
    assert.deepEqual(none.bounding, plain.capabilities.bounding);
    const kept = direct([...NOBODY, '--inh-caps', '+net_bind_service', '--ambient-caps', '+net_bind_service']).capabilities;
    assert.deepEqual(kept, { ...none, inheritable: ['CAP_NET_BIND_SERVICE'], permitted: ['CAP_NET_BIND_SERVICE'], effective: ['CAP_NET_BIND_SERVICE'], ambient: ['CAP_NET_BIND_SERVICE'] });
  });

  test('chroot with nothing but the probe: no crash, nulls where /proc is needed', { ...ROOT_ONLY, ...needs('chroot') }, (t) => {
    const jail = scratchDir(t);
    chmodSync(jail, 0o755);
    copyFileSync(PROBE, path.join(jail, 'probe'));
    chmodSync(path.join(jail, 'probe'), 0o755);
    const jailed = direct(['chroot', jail], '/probe');
    const nulls: NamespaceIds = Object.fromEntries(NAMESPACES.map((n) => [n, null])) as NamespaceIds;
    assert.deepEqual(jailed.namespaces, nulls);
    assert.deepEqual(jailed.idMaps, { uid: null, gid: null, setgroups: null });
    assert.deepEqual([jailed.cgroup, jailed.oomScoreAdj], [null, null]);
    assert.deepEqual(jailed.capabilities, plain.capabilities, 'the last capability found without cap_last_cap');
    assert.deepEqual(jailed.rlimits, plain.rlimits);
  });
});
