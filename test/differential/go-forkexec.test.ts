// The lab against Go's own syscall.ForkExec (Go 1.19, Debian's golang-go): for seeded
// generated profiles, the probe is launched twice, (a) by the lab (launchProbe) and (b) by
// a small Go program (go-forkexec/main.go) with the equivalent ProcAttr, and the state the
// two children received must be the same.
//
// Descriptors. Both launchers must hand the child the same open files, so both are given
// the very same open file descriptions, the test's own:
// - the test opens a pool of host files (/dev/null read-only and read-write, an O_APPEND
//   file, a read-write file, a read-only file, a FIFO, a directory), each its own
//   descriptor;
// - a case picks S distinct pool descriptors, its "hosts", and a remap over them: child
//   slot i gets host k, or is closed. Both the host order and the remap are random, so
//   swaps and cycles happen (slot 0 from host 1, slot 1 from host 0...);
// - the lab's profile names the test's own descriptors: files[i] = { inherit, fd: the
//   test's fd of host k }, or { closed };
// - the Go program is spawned with `stdio` [host 0, host 1, ..., host S-1, ...], so that
//   ITS fd k is a dup of the test's host k (the same open file description: same file,
//   same offset, same access mode and O_APPEND), and its ProcAttr.Files[i] is k. Its own
//   fds k < S are exactly the numbers Go's two passes reshuffle: a remap [1, 0, 2] is a
//   real swap for Go, with its pass 1 and pass 2 at work (the lab pins every inherited fd
//   at launch, so its own numbers never overlap the slots this way);
// - past the hosts come two pipes (the launch JSON in, the result out), the pty slot when
//   the case has one (a placeholder the Go program replaces with a new pty's slave), and,
//   at the number the lab gives the probe for its report (files.length + 64, the probe's
//   `--report-fd`), a fresh report file. The Go program marks every descriptor of its
//   own close-on-exec (as a Go program's files are) but that report fd ("keep"), which it
//   leaves to the child the way Go leaks any fd not marked close-on-exec. So the Go child
//   runs with the lab's own argv and hides the same fd; its Files are the profile's files,
//   not one slot more.
// The two children then see the same files at the same slots: their targets and fstat
// identities (dev, ino) must match, a pty's excepted (each launcher makes its own: the
// target and identity compare as "a pty"). Same with a chroot, where the probe has no
// /proc: targets are null on both sides.
//
// Compared: the fd table (which fds are open, their file, type, access mode, O_APPEND,
// close-on-exec, isatty), uid/euid/gid/egid/groups, the session and group relations (the
// child's pid, sid, pgid and ppid as: the child, the launcher, the launcher's group or
// session), the controlling terminal (none or a pty) and its foreground group, cwd, root,
// signal dispositions and mask, the tracer, the five capability sets, each namespace as a
// relation (the launcher's, or new: never inode numbers), the user namespace's id maps and
// setgroups, the cgroup, pdeathsig, env, argv, and how it ended (exit status); umask,
// nice, CPU affinity, oom_score_adj, no_new_privs and every rlimit as "the launcher's" or
// the value, each side against its own launcher (LauncherState says why); when the launch
// fails, the errno (Go's ForkExec error, the lab's execError.code). Not compared: pids
// themselves, pipe and pty numbers, namespace inodes.
//
// Generated over what the lab has today: files (remaps with swaps and cycles, duplicates,
// closed slots, fewer than 3 files, slots above 2, a pty, a host fd that is not open), dir
// (none, existing, relative, missing, a file, root-only), env, setsid, setpgid (pgid 0,
// the launcher's group, a group that does not exist), setctty/ctty and noctty (with and
// without a pty), pdeathsig, foreground, the engine's method and step order (seed and go);
// as root also credential (65534 and others, groups, noSetGroups), chroot (a jail holding
// a copy of the probe), cloneflags and unshareflags, uid and gid maps,
// gidMappingsEnableSetgroups and ambientCaps (modernFields), and a second family of cases
// about namespaces, most of which launch (generateNamespaces). Foreground with a terminal
// to reach runs in a terminal of its own (generateForeground). Not generated: ptrace (a
// traced child stops at exec; nothing in the Go program resumes it), inheritEnv (not a
// ForkExec notion: os/exec's), the lab's fields Go 1.19 lacks (GO_SYS), and the engine
// options closeOtherFds and resetSignals, kept at their defaults: a Go program's own fds
// are close-on-exec, and Go's child starts with default dispositions and an empty mask,
// which is what the defaults give.
//
// Disagreements are failures, but for Go 1.19's own bugs, asserted exactly
// (knownGoDifference, and the separate tests below). The lab bugs this test found are fixed:
// setgroups with no groups in a namespace whose setgroups is denied (Go skips it), maps
// written twice with CLONE_NEWUSER in both cloneflags and unshareflags (Go writes them only
// after the unshare), and the setctty-foreground pair (refused, as Go refuses it).
//
// Replay: PROCLAB_GO_DIFF_SEED=N PROCLAB_GO_DIFF_COUNT=1 node --import tsx --test
// test/differential/go-forkexec.test.ts runs seed N alone (the generic case and, as root,
// the namespaces case of that seed); a failure prints the seed, the lab profile, the Go
// launch and every difference.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { after, before, describe, test, type TestContext } from 'node:test';

import { InvalidProfileError, launchProbe } from '../../src/main/lab/index';
import type { ProbeReport, RlimitName, RlimitValue } from '../../src/shared/api';
import { CAPABILITIES, NAMESPACE_FLAGS, RLIMITS } from '../../src/shared/engine-names';
import { errnoByNumber } from '../../src/shared/errno';
import { NAMESPACE_FILES, NAMESPACES, namespaceOrigins, type NamespaceIds } from '../../src/shared/namespaces';
import type { NormalizedProfile, Profile, SysAttr } from '../../src/shared/profile';
import { ProfileSchema } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { signalByName } from '../../src/shared/signals';
import { noTerminalHarness, runInTerminal } from '../support/in-terminal';
import { isRoot, PROBE } from '../support/probe';
import { prng } from '../support/prng';

const BASE_SEED = Number(process.env.PROCLAB_GO_DIFF_SEED ?? 1900);
const COUNT = Number(process.env.PROCLAB_GO_DIFF_COUNT ?? 200);
const GO_SOURCE = path.join(__dirname, 'go-forkexec', 'main.go');
/** The lab's probe report fd is files.length + this (index.ts, PROBE_REPORT_FD_PAST_SLOTS); argv is compared, so a change shows. */
const REPORT_FD_PAST_SLOTS = 64;
/** A descriptor number neither the test nor the Go program has open. */
const NOT_OPEN_FD = 900;
/** A process group that does not exist (pid_max is at most 4194304). */
const NO_SUCH_GROUP = 4_194_305;

const goMissing = spawnSync('go', ['version']).error ? 'go is not installed (Debian: apt-get install golang-go)' : false;
/** The terminal run (see its test below): only foreground cases, with Go already built. */
const FOREGROUND_ONLY = process.env.PROCLAB_GO_DIFF_TERMINAL === '1';
const GO_BIN = process.env.PROCLAB_GO_DIFF_BIN;
const FOREGROUND_COUNT = 24;
/** As root, cases of generateNamespaces besides the COUNT generic ones. */
const NAMESPACE_COUNT = 150;

// ---- the Go side ------------------------------------------------------------------------

/** The Go program's launch (main.go's header). */
interface GoLaunch {
  path: string;
  argv: string[];
  env: string[];
  dir: string;
  files: number[];
  keep: number[];
  pty?: number;
  sys: Record<string, unknown>;
}

/** The Go program as its child's launcher (main.go's "self"). */
interface GoSelf {
  pid: number;
  pgid: number;
  sid: number;
  /** Raw text of its /proc/thread-self/status and stat, /proc/self/limits and oom_score_adj. */
  proc: ProcTexts;
  /** Inode of each /proc/thread-self/ns/<file>, by file name. */
  ns: Record<string, number | null>;
}

interface GoResult {
  self: GoSelf;
  pid: number;
  status: { exited: boolean; code: number; signaled: boolean; signal: number } | null;
  errno: number;
  error: string;
}

/** Where the case's descriptors are on the Go side. */
interface GoPlacement {
  /** The Go program's fd for the test's host fd (an fd the test does not have maps to itself). */
  fdOf(testFd: number): number;
  /** The Go program's fd for child slot i (ProcAttr.Files[i]; -1 for a closed slot or none). */
  slotFd(slot: number): number;
  /** The Go program's fd of its pty slave, when the case has a pty. */
  ptyFd: number | null;
  /** The probe as the Go program execs it (inside the jail when chrooted). */
  program: string;
}

/** The kernel's value of each namespace flag the lab names (linux/sched.h); Go wants the OR. */
const CLONE_FLAG_VALUES: Record<(typeof NAMESPACE_FLAGS)[number], number> = {
  CLONE_NEWNS: 0x0002_0000,
  CLONE_NEWCGROUP: 0x0200_0000,
  CLONE_NEWUTS: 0x0400_0000,
  CLONE_NEWIPC: 0x0800_0000,
  CLONE_NEWUSER: 0x1000_0000,
  CLONE_NEWPID: 0x2000_0000,
  CLONE_NEWNET: 0x4000_0000,
};
const cloneFlags = (names: readonly (typeof NAMESPACE_FLAGS)[number][]) => names.reduce((all, name) => all | CLONE_FLAG_VALUES[name], 0);

/** A capability's number: CAPABILITIES is in the kernel's order (linux/capability.h: CAP_CHOWN 0 ...). */
const capabilityNumber = (name: (typeof CAPABILITIES)[number]) => CAPABILITIES.indexOf(name);
assert.deepEqual(['CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_ADMIN', 'CAP_CHECKPOINT_RESTORE'].map((n) => capabilityNumber(n as (typeof CAPABILITIES)[number])), [0, 10, 21, 40]);

/** Go's SysProcIDMap for the lab's mapping lines; none at all is nil (Go tells nil from empty). */
const goIdMap = (maps: SysAttr['uidMappings']) => maps.map((m) => ({ ContainerID: m.containerId, HostID: m.hostId, Size: m.size }));

/**
 * Go's SysProcAttr for each lab `sys` field: [Go's name, value], or undefined when the
 * field adds nothing (false, unset, empty). One line per field: a field the lab gains gets
 * its line here (the Go program already takes every SysProcAttr field of Go 1.19 but
 * Ptrace); until then a case that sets it fails, naming it (goLaunchOf). The lab's fields
 * Go 1.19 lacks have no line and are never generated: cgroup (Go 1.20's UseCgroupFD),
 * rlimits, umask, nice, cpuAffinity, oomScoreAdj, noNewPrivs; the child must then have its
 * launcher's, on both sides (observed()).
 */
type GoField = (sys: SysAttr, at: GoPlacement) => [string, unknown] | undefined;
const GO_SYS = {
  chroot: (s) => (s.chroot ? ['Chroot', s.chroot] : undefined),
  credential: (s) => (s.credential ? ['Credential', { Uid: s.credential.uid, Gid: s.credential.gid, Groups: s.credential.groups, NoSetGroups: s.credential.noSetGroups }] : undefined),
  ptrace: (s) => {
    if (s.ptrace) throw new Error('ptrace is not compared: the Go program would leave its child stopped at exec');
    return undefined;
  },
  setsid: (s) => (s.setsid ? ['Setsid', true] : undefined),
  setpgid: (s) => (s.setpgid ? ['Setpgid', true] : undefined),
  pgid: (s) => ['Pgid', s.pgid],
  setctty: (s) => (s.setctty ? ['Setctty', true] : undefined),
  noctty: (s) => (s.noctty ? ['Noctty', true] : undefined),
  foreground: (s) => (s.foreground ? ['Foreground', true] : undefined),
  // Go's Ctty is a child fd for Setctty but a descriptor of the parent for Foreground
  // (go#29458): the lab's ctty is always a child slot, and for foreground the lab uses its
  // own fd for that slot, so Go gets the Go program's fd for that slot (at.slotFd: the
  // same open file). Go refuses Setctty with Foreground whatever Ctty is.
  ctty: (s, at) => ['Ctty', s.foreground && !s.setctty ? at.slotFd(s.ctty) : s.ctty],
  pdeathsig: (s) => (s.pdeathsig ? ['Pdeathsig', signalByName(s.pdeathsig)!.number] : undefined),
  cloneflags: (s) => (s.cloneflags.length > 0 ? ['Cloneflags', cloneFlags(s.cloneflags)] : undefined),
  unshareflags: (s) => (s.unshareflags.length > 0 ? ['Unshareflags', cloneFlags(s.unshareflags)] : undefined),
  uidMappings: (s) => (s.uidMappings.length > 0 ? ['UidMappings', goIdMap(s.uidMappings)] : undefined),
  gidMappings: (s) => (s.gidMappings.length > 0 ? ['GidMappings', goIdMap(s.gidMappings)] : undefined),
  gidMappingsEnableSetgroups: (s) => (s.gidMappingsEnableSetgroups ? ['GidMappingsEnableSetgroups', true] : undefined),
  ambientCaps: (s) => (s.ambientCaps.length > 0 ? ['AmbientCaps', s.ambientCaps.map(capabilityNumber)] : undefined),
} satisfies Partial<Record<keyof SysAttr, GoField>>;

/** The `sys` of a profile that sets nothing: what an unmapped field must be left at. */
const SYS_DEFAULTS: Record<string, unknown> = ProfileSchema.parse({ version: 1, name: 'defaults', path: '/x', args: [] }).sys;

/** A profile's string (env entry, dir): the cases give text, never bytes ({"hex": ...}), which the Go launch (JSON text) could not carry. */
function asText(value: unknown): string {
  assert.equal(typeof value, 'string', `bytes are not compared: ${JSON.stringify(value)}`);
  return value as string;
}

/** The lab profile (normalized) as the Go program's launch: the one place the two meet. */
function goLaunchOf(p: NormalizedProfile, at: Omit<GoPlacement, 'slotFd'>): GoLaunch {
  assert.ok(!p.inheritEnv && p.secrets.length === 0, 'inheritEnv and secrets are the lab\'s, not ForkExec\'s');
  const reportFd = p.files.length + REPORT_FD_PAST_SLOTS;
  const files = p.files.map((f) => {
    switch (f.type) {
      case 'inherit':
        return at.fdOf(f.fd);
      case 'closed':
        return -1;
      case 'pty':
        assert.notEqual(at.ptyFd, null);
        return at.ptyFd!;
      default:
        throw new Error(`files of type ${f.type} are not compared: only host fds both launchers share`);
    }
  });
  for (const [key, value] of Object.entries(p.sys)) {
    if (!(key in GO_SYS) && JSON.stringify(value) !== JSON.stringify(SYS_DEFAULTS[key])) throw new Error(`sys.${key} has no Go counterpart yet: add its line to GO_SYS`);
  }
  const placed: GoPlacement = { ...at, slotFd: (slot) => files[slot] ?? -1 };
  const sys = Object.fromEntries(
    Object.values(GO_SYS).flatMap((field: GoField) => {
      const entry = field(p.sys, placed);
      return entry ? [entry] : [];
    }),
  );
  return {
    path: at.program,
    argv: ['proclab_probe', '--report-fd', String(reportFd)],
    env: p.env.map(asText),
    dir: p.dir === undefined ? '' : asText(p.dir),
    files,
    keep: [reportFd],
    ...(at.ptyFd !== null && { pty: at.ptyFd }),
    sys,
  };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The Go program did not answer in time (it was killed). */
class GoTimeout extends Error {}

/**
 * Runs the Go program with `hosts[k]` (the test's fds) at its fd k; returns its result and
 * the probe's report (null when the probe never ran). Rejects with GoTimeout when it has
 * not answered after `limitMs`.
 */
async function runGo(bin: string, scratch: string, p: NormalizedProfile, hosts: number[], program: string, filler: number, limitMs = 10_000): Promise<{ launch: GoLaunch; result: GoResult; report: string | null }> {
  const S = hosts.length;
  const inFd = S;
  const outFd = S + 1;
  const hasPty = p.files.some((f) => f.type === 'pty');
  const ptyFd = hasPty ? S + 2 : null;
  const launch = goLaunchOf(p, {
    fdOf: (testFd) => {
      const k = hosts.indexOf(testFd);
      return k >= 0 ? k : testFd;
    },
    ptyFd,
    program,
  });
  const reportFd = launch.keep[0]!;
  const reportPath = path.join(scratch, `report-${process.hrtime.bigint()}`);
  const report = openSync(reportPath, 'w+');
  try {
    const stdio: StdioOptions = [...hosts, 'pipe', 'pipe'];
    if (ptyFd !== null) stdio.push(filler); // replaced by the pty's slave
    while (stdio.length < reportFd) stdio.push('ignore');
    stdio.push(report);
    const child = spawn(bin, ['-in', String(inFd), '-out', String(outFd)], { stdio, env: {}, timeout: limitMs, killSignal: 'SIGKILL' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    (child.stdio[inFd] as Writable).end(JSON.stringify(launch));
    const text = await readAll(child.stdio[outFd] as Readable);
    const { code, signal } = await exited;
    if (signal === 'SIGKILL' && text === '') throw new GoTimeout(`the Go program did not answer in ${limitMs} ms: ${brief(launch)}`);
    assert.equal(code, 0, `the Go program failed (${code ?? signal}): ${text}`);
    const result = JSON.parse(text) as GoResult;
    const written = readFileSync(reportPath, 'utf8');
    return { launch, result, report: written === '' ? null : written };
  } finally {
    closeSync(report);
    unlinkSync(reportPath);
  }
}

// ---- what must be equal -----------------------------------------------------------------

/** The /proc texts a launcher's own state is read from (main.go's "proc"). */
interface ProcTexts {
  status: string;
  stat: string;
  limits: string;
  oomScoreAdj: string;
}

/**
 * What a launcher passes on to every child unless the profile changes it: the child's must
 * be the same when the case does not set it (Go 1.19 cannot set any of these but the
 * namespaces). Each side is compared with its OWN launcher, the test process for the lab
 * and the Go program for Go, not with one value: the two launchers may differ for reasons
 * that are no part of the child's setup. RLIMIT_NOFILE is the known one: Go 1.19 raises its
 * own soft limit to the hard one at start-up (os/rlimit.go, new in 1.19) and its children
 * inherit it (only Go 1.21 restores the original in children), and Node does the same for
 * itself; here both end at the hard limit, but a Go program started with a lower soft
 * limit holds a higher one than whoever started it (checked: under prlimit --nofile=1024:20000
 * the Go program and its child both have 20000).
 */
interface LauncherState {
  umask: number;
  nice: number;
  cpuAffinity: number[];
  oomScoreAdj: number;
  noNewPrivs: boolean;
  rlimits: Record<RlimitName, { soft: RlimitValue; hard: RlimitValue }>;
  namespaces: NamespaceIds;
}

interface Launcher {
  pid: number;
  pgid: number;
  sid: number;
  state: LauncherState;
}

const statusField = (status: string, name: string) => {
  const line = status.split('\n').find((l) => l.startsWith(`${name}:`));
  assert.ok(line, `/proc status has no ${name}`);
  return line.slice(name.length + 1).trim();
};

/** "0-2,5" (a cpu list) as [0, 1, 2, 5]. */
const cpuList = (text: string) =>
  text.split(',').flatMap((range) => {
    const [from, to] = range.split('-').map(Number);
    return Array.from({ length: (to ?? from!) - from! + 1 }, (_, i) => from! + i);
  });

/** The fields of /proc/PID/stat after the command: [0] is field 3 (state). */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

function launcherState(proc: ProcTexts, ns: Record<string, number | null>): LauncherState {
  // /proc/PID/limits: a header, then one row per resource in the kernel's order (RLIMITS).
  const rows = proc.limits.trim().split('\n').slice(1).map((row) => row.split(/\s{2,}/));
  assert.equal(rows.length, RLIMITS.length, proc.limits);
  const limit = (v: string): RlimitValue => (v === 'unlimited' ? v : Number(v));
  return {
    umask: parseInt(statusField(proc.status, 'Umask'), 8),
    nice: Number(statFields(proc.stat)[16]), // field 19
    cpuAffinity: cpuList(statusField(proc.status, 'Cpus_allowed_list')),
    oomScoreAdj: Number(proc.oomScoreAdj.trim()),
    noNewPrivs: statusField(proc.status, 'NoNewPrivs') === '1',
    rlimits: Object.fromEntries(RLIMITS.map((name, i) => [name, { soft: limit(rows[i]![1]!), hard: limit(rows[i]![2]!) }])) as LauncherState['rlimits'],
    namespaces: Object.fromEntries(NAMESPACES.map((name) => [name, ns[NAMESPACE_FILES[name]] ?? null])) as NamespaceIds,
  };
}

/**
 * The test process as the lab's launcher: its pgid and sid (Node has no getsid: fields 5
 * and 6 of /proc/self/stat) and its state, read from this (the JS) thread; the lab's
 * spawner thread, whose child it is, inherited the same.
 */
function thisProcess(): Launcher {
  const read = (file: string) => readFileSync(file, 'utf8');
  const [pgid, sid] = statFields(read('/proc/self/stat')).slice(2, 4).map(Number);
  const proc = { status: read('/proc/thread-self/status'), stat: read('/proc/thread-self/stat'), limits: read('/proc/self/limits'), oomScoreAdj: read('/proc/self/oom_score_adj') };
  const ns = Object.fromEntries(Object.values(NAMESPACE_FILES).map((file) => [file, statSync(`/proc/thread-self/ns/${file}`).ino]));
  return { pid: process.pid, pgid: pgid!, sid: sid!, state: launcherState(proc, ns) };
}

const goLauncher = (self: GoSelf): Launcher => ({ pid: self.pid, pgid: self.pgid, sid: self.sid, state: launcherState(self.proc, self.ns) });

const isPts = (target: string | null) => target !== null && target.startsWith('/dev/pts/');

/** "the launcher's" when the child has its launcher's value, else the value. */
const orLaunchers = <T>(child: T, launchers: T): T | "the launcher's" => (JSON.stringify(child) === JSON.stringify(launchers) ? "the launcher's" : child);

const NAMESPACE_RELATION = { lab: "the launcher's", new: 'new', unknown: 'unknown (no /proc)' } as const;

/**
 * A report with every number that differs between launchers by nature named by its
 * relation. Each number is named against the relations it may have (a pid that is also a
 * group or session id names one relation, the same on both sides: the lab's launcher can
 * be a group leader, as in the terminal run, where the Go program never is).
 */
function observed(report: ProbeReport, launcher: Launcher) {
  const rel = (n: number | null, ...relations: [number, string][]) => (n === null ? null : (relations.find(([id]) => id === n)?.[1] ?? `another (${n})`));
  const child: [number, string] = [report.pid, 'the child'];
  const { state } = launcher;
  return {
    ppid: rel(report.ppid, [launcher.pid, 'the launcher']),
    pgid: rel(report.pgid, child, [launcher.pgid, "the launcher's group"]),
    sid: rel(report.sid, child, [launcher.sid, "the launcher's session"]),
    ctty: isPts(report.tty.ctty) ? 'a pty' : report.tty.ctty,
    foregroundPgid: rel(report.tty.foregroundPgid, child, [launcher.pgid, "the launcher's group"]),
    uid: report.uid,
    euid: report.euid,
    gid: report.gid,
    egid: report.egid,
    groups: report.groups,
    cwd: report.cwd,
    root: report.root,
    umask: orLaunchers(report.umask, state.umask),
    // Keyed by fd number: a missing or extra fd is one difference, not a shift of all.
    fds: Object.fromEntries(report.fds.map((f) => [`fd ${f.fd}`, {
      target: isPts(f.target) ? 'a pty' : f.target,
      file: isPts(f.target) ? 'a pty' : `${f.dev}:${f.ino}`,
      type: f.type,
      access: f.access,
      append: f.append,
      cloexec: f.cloexec,
      tty: f.tty,
    }])),
    signals: report.signals,
    tracer: report.tracer,
    capabilities: report.capabilities,
    // Relations, not inode numbers: a namespace made for the child is new on both sides.
    namespaces: Object.fromEntries(Object.entries(namespaceOrigins(report.namespaces, state.namespaces)).map(([name, origin]) => [name, NAMESPACE_RELATION[origin]])),
    idMaps: report.idMaps,
    cgroup: report.cgroup,
    pdeathsig: report.pdeathsig,
    // Go 1.19 cannot set these: each must be its own launcher's (LauncherState).
    noNewPrivs: orLaunchers(report.noNewPrivs, state.noNewPrivs),
    nice: orLaunchers(report.nice, state.nice),
    cpuAffinity: orLaunchers(report.cpuAffinity, state.cpuAffinity),
    oomScoreAdj: orLaunchers(report.oomScoreAdj, state.oomScoreAdj),
    rlimits: Object.fromEntries(RLIMITS.map((name) => [name, orLaunchers(report.rlimits[name], state.rlimits[name])])),
    env: report.env,
    argv: report.argv,
  };
}

type Outcome =
  | { launched: false; errno: string }
  | { launched: true; status: string; child: ReturnType<typeof observed> | 'no report' };

function labOutcome(result: RunResult, report: string | undefined, launcher: Launcher): Outcome {
  if (result.execError) return { launched: false, errno: result.execError.code };
  const status = result.status?.kind === 'exited' ? `exited ${result.status.code}` : JSON.stringify(result.status);
  return { launched: true, status, child: report ? observed(JSON.parse(report) as ProbeReport, launcher) : 'no report' };
}

function goOutcome({ result, report }: { result: GoResult; report: string | null }): Outcome {
  // An error with errno 0 is one too: Go 1.19 can report Errno(0) (go#57208, knownDifference).
  if (result.errno !== 0 || result.error !== '') return { launched: false, errno: errnoByNumber(result.errno)?.code ?? `${result.errno} (${result.error})` };
  const s = result.status!;
  const status = s.exited ? `exited ${s.code}` : `signaled ${s.signal}`;
  return { launched: true, status, child: report ? observed(JSON.parse(report) as ProbeReport, goLauncher(result.self)) : 'no report' };
}

/** JSON with long strings cut, for messages. */
const brief = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v));

/** Every leaf where a and b differ, as "path: lab X, go Y". */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${at || '(top)'}: lab ${brief(a)}, go ${brief(b)}`];
}

// ---- the cases --------------------------------------------------------------------------

/** What the cases draw from: the test's open host files and the places on disk. */
interface World {
  /** The pool: name and the test's fd, one open each. */
  hosts: { name: string; fd: number }[];
  /** The Go program's placeholder for its pty slot. */
  filler: number;
  scratch: string;
  /** World-searchable (0755) directory with a copy of the probe the Go program execs. */
  open: string;
  probeCopy: string;
  /** 0700, root's: a uid that is not root cannot chdir there. */
  private: string;
  file: string;
  /** A chroot jail: /proclab_probe, /tmp (1777), /private (0700), /file. */
  jail: string;
  launcher: Launcher;
  /** In the terminal run only: the test's fd of its controlling terminal (/dev/tty), also in hosts. */
  terminal?: number;
}

/** One case: the lab's profile and the hosts (the test's fds) at the Go program's fds 0..S-1. */
interface Case {
  profile: Profile;
  hosts: number[];
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[int(rng, list.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;
function shuffled<T>(rng: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ENV_POOL = ['A=1', 'A=2', 'EMPTY=', 'EQ=a=b', 'SPACE=a b', 'UNI=ünï ✓', 'PATH=/nowhere', 'HOME=/', `LONG=${'x'.repeat(3000)}`];

/** A remap over S hosts: child slot -> host k, or -1 (closed). */
function remap(rng: Rng, S: number): number[] {
  switch (int(rng, 4)) {
    case 0: // a permutation of every host: swaps and cycles
      return shuffled(rng, [...Array(S).keys()]);
    case 1: // a permutation with one slot closed
      return shuffled(rng, [...Array(S).keys()]).map((k, i, all) => (i === int(rng, all.length) ? -1 : k));
    default: // anything: duplicates, closed slots, 0 to 6 slots
      return Array.from({ length: int(rng, 7) }, () => (chance(rng, 0.15) ? -1 : int(rng, S)));
  }
}

function generate(seed: number, w: World): Case {
  const rng = prng(seed);
  const S = 1 + int(rng, 4);
  const hosts = shuffled(rng, w.hosts).slice(0, S).map((h) => h.fd);
  const files: Profile['files'] = remap(rng, S).map((k) => (k < 0 ? { type: 'closed' } : { type: 'inherit', fd: hosts[k]! }));
  const pty = chance(rng, 0.2);
  if (pty) {
    const slots = files.length < 3 ? 3 : files.length;
    while (files.length < slots) files.push({ type: 'closed' });
    for (let n = 1 + int(rng, 3); n > 0; n--) files[int(rng, slots)] = { type: 'pty' };
  }

  const chroot = isRoot && chance(rng, 0.12);
  const dirs = chroot
    ? [undefined, '/', '/tmp', '/missing', '/file', '/private']
    : [undefined, undefined, w.open, '/', 'test', path.join(w.scratch, 'missing'), w.file, w.private];
  const dir = pick(rng, dirs);

  const sys: NonNullable<Profile['sys']> = {};
  if (chroot) sys.chroot = w.jail;
  if (chance(rng, pty ? 0.7 : 0.25)) sys.setsid = true;
  if (chance(rng, 0.25)) {
    sys.setpgid = true;
    sys.pgid = pick(rng, [0, 0, 0, w.launcher.pgid, NO_SUCH_GROUP]);
  }
  if (chance(rng, pty ? 0.6 : 0.1)) {
    sys.setctty = true;
    const ptySlots = files.flatMap((f, i) => (f.type === 'pty' ? [i] : []));
    sys.ctty = ptySlots.length > 0 && chance(rng, 0.8) ? pick(rng, ptySlots) : int(rng, files.length + 2);
  }
  if (chance(rng, 0.07)) sys.noctty = true;
  if (isRoot && chance(rng, 0.3)) {
    sys.credential = {
      uid: pick(rng, [65534, 65534, 4242, 0]),
      gid: pick(rng, [65534, 100, 0]),
      groups: shuffled(rng, [65534, 100, 4242, 0]).slice(0, int(rng, 4)),
      noSetGroups: chance(rng, 0.25),
    };
  }
  modernFields(rng, sys, files.length, w);
  const profile: Profile = {
    version: 1,
    name: `go differential ${seed}`,
    path: PROBE,
    args: ['proclab_probe'],
    ...(dir !== undefined && { dir }),
    env: shuffled(rng, ENV_POOL).slice(0, int(rng, 5)),
    files,
    sys,
    engine: { method: pick(rng, ['vfork', 'fork'] as const), order: pick(rng, ['seed', 'go'] as const) },
    timeoutMs: 10_000,
  };
  return { profile, hosts };
}

type Sys = NonNullable<Profile['sys']>;
const map = (containerId: number, hostId: number, size: number) => [{ containerId, hostId, size }];

/**
 * Maps for a user namespace made by clone, which the launcher writes with its own
 * privileges (root here: any ids).
 */
const CLONE_MAPS = [map(0, 1000, 1), map(0, 0, 65536), map(1000, 0, 1), [...map(0, 0, 1), ...map(1, 100_000, 1000)]];
/**
 * Maps for one made by unshare, which the child writes itself after unshare (Go 1.19 does
 * too: exec_linux.go, "if sys.Unshareflags&CLONE_NEWUSER != 0 && sys.GidMappings != nil"),
 * and then it holds no capability in the parent namespace: it may map its own id, once
 * (user_namespaces(7)). The last two are EPERM, on both sides.
 */
const UNSHARE_MAPS = [map(0, 0, 1), map(1000, 0, 1), map(0, 1000, 1), map(0, 0, 65536)];
const AMBIENT_POOL = ['CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_CHOWN', 'CAP_SYS_ADMIN'] as const;

const someOf = <T>(rng: Rng, list: readonly T[], p: number): T[] => {
  const some = list.filter(() => chance(rng, p));
  return some.length > 0 ? some : [pick(rng, list)];
};

/**
 * Go 1.19's later SysProcAttr fields: pdeathsig and foreground for anyone; as root,
 * namespaces by clone and by unshare, their id maps, and ambient capabilities (with a
 * credential drop to 65534, mostly).
 *
 * Not generated: uidMappings or gidMappings without CLONE_NEWUSER (the lab ignores them,
 * with a warning; Go 1.19 deadlocks: a separate test), setctty with foreground (Go refuses
 * the pair: a separate test). Foreground here has no terminal to reach (the test has no
 * controlling terminal, or its hosts are not it): ENOTTY on both sides; the terminal run
 * (FOREGROUND_ONLY) covers the success.
 */
function modernFields(rng: Rng, sys: Sys, slots: number, w: World): void {
  if (chance(rng, 0.12)) sys.pdeathsig = pick(rng, ['SIGTERM', 'SIGKILL']);
  if (!sys.setctty && slots > 0 && chance(rng, 0.06)) {
    sys.foreground = true;
    sys.ctty = int(rng, slots);
    if (sys.setpgid) sys.pgid = pick(rng, [0, w.launcher.pgid]);
  }
  if (!isRoot) return;
  if (chance(rng, 0.3)) sys.cloneflags = someOf(rng, NAMESPACE_FLAGS, 0.3);
  if (chance(rng, 0.15)) sys.unshareflags = someOf(rng, NAMESPACE_FLAGS, 0.3);
  const byUnshare = sys.unshareflags?.includes('CLONE_NEWUSER');
  const byClone = sys.cloneflags?.includes('CLONE_NEWUSER');
  if ((byClone || byUnshare) && chance(rng, 0.8)) {
    const maps = byUnshare ? UNSHARE_MAPS : CLONE_MAPS;
    if (chance(rng, 0.8)) sys.uidMappings = pick(rng, maps);
    if (chance(rng, 0.8)) sys.gidMappings = pick(rng, maps);
    if (chance(rng, 0.3)) sys.gidMappingsEnableSetgroups = true;
  }
  if (chance(rng, 0.15)) {
    sys.ambientCaps = someOf(rng, AMBIENT_POOL, 0.3);
    // One the launcher lacks (a container's root has no CAP_SYS_RESOURCE): capset is EPERM (knownGoDifference).
    if (chance(rng, 0.15)) sys.ambientCaps.push('CAP_SYS_RESOURCE');
    if (!sys.credential && chance(rng, 0.7)) sys.credential = { uid: 65534, gid: 65534, groups: chance(rng, 0.5) ? [] : [65534], noSetGroups: chance(rng, 0.2) };
  }
}

/**
 * A case about namespaces, as root: new ones by clone, by unshare or both, user namespaces
 * with maps that mostly work (the generic cases' other fields make most of these fail
 * early), a credential inside, ambient capabilities, pdeathsig, setsid. Few descriptors
 * and a working dir, so that most launch.
 */
function generateNamespaces(seed: number, w: World): Case {
  const rng = prng(seed);
  const hosts = shuffled(rng, w.hosts).slice(0, 3).map((h) => h.fd);
  const files: Profile['files'] = remap(rng, 3).map((k) => (k < 0 ? { type: 'closed' } : { type: 'inherit', fd: hosts[k]! }));
  const sys: Sys = {};
  if (chance(rng, 0.75)) sys.cloneflags = someOf(rng, NAMESPACE_FLAGS, 0.35);
  if (chance(rng, 0.45)) sys.unshareflags = someOf(rng, NAMESPACE_FLAGS, 0.35);
  const byClone = sys.cloneflags?.includes('CLONE_NEWUSER');
  const byUnshare = sys.unshareflags?.includes('CLONE_NEWUSER');
  if (byClone || byUnshare) {
    // Mostly maps that work: made by clone, any (root writes them); by unshare, the child's own ids.
    const maps = byUnshare ? (chance(rng, 0.75) ? UNSHARE_MAPS.slice(0, 2) : UNSHARE_MAPS) : CLONE_MAPS;
    if (chance(rng, 0.85)) sys.uidMappings = pick(rng, maps);
    if (chance(rng, 0.85)) sys.gidMappings = pick(rng, maps);
    if (chance(rng, byUnshare ? 0.15 : 0.35)) sys.gidMappingsEnableSetgroups = true;
  }
  if (chance(rng, 0.4)) {
    const id = pick(rng, [0, 65534, 65534, 1000]);
    sys.credential = { uid: id, gid: pick(rng, [id, 0]), groups: chance(rng, 0.5) ? [] : [id], noSetGroups: chance(rng, 0.35) };
  }
  if (chance(rng, 0.25)) {
    sys.ambientCaps = someOf(rng, AMBIENT_POOL, 0.3);
    if (!sys.credential && chance(rng, 0.6)) sys.credential = { uid: 65534, gid: 65534, noSetGroups: chance(rng, 0.5) };
  }
  if (chance(rng, 0.3)) sys.pdeathsig = pick(rng, ['SIGTERM', 'SIGKILL']);
  if (chance(rng, 0.3)) sys.setsid = true;
  const profile: Profile = {
    version: 1,
    name: `go differential namespaces ${seed}`,
    path: PROBE,
    args: ['proclab_probe'],
    ...(chance(rng, 0.3) && { dir: w.open }),
    env: shuffled(rng, ENV_POOL).slice(0, int(rng, 3)),
    files,
    sys,
    engine: { method: pick(rng, ['vfork', 'fork'] as const), order: pick(rng, ['seed', 'go'] as const) },
    timeoutMs: 10_000,
  };
  return { profile, hosts };
}

/**
 * A foreground case for the terminal run: the terminal in the child's files (mostly at slot
 * ctty, so that TIOCSPGRP reaches the launcher's controlling terminal), with a new group
 * or the launcher's, sometimes after setsid (then setpgid is EPERM) or with ctty on
 * another file (ENOTTY).
 */
function generateForeground(seed: number, w: World): Case {
  const rng = prng(seed);
  const others = shuffled(rng, w.hosts.filter((h) => h.fd !== w.terminal)).slice(0, int(rng, 3)).map((h) => h.fd);
  const hosts = shuffled(rng, [w.terminal!, ...others]);
  const files: Profile['files'] = shuffled(rng, [...hosts, ...(chance(rng, 0.3) ? [-1] : [])]).map((fd) => (fd < 0 ? { type: 'closed' } : { type: 'inherit', fd }));
  const terminalSlot = files.findIndex((f) => f.type === 'inherit' && f.fd === w.terminal);
  const sys: Sys = { foreground: true, ctty: chance(rng, 0.8) ? terminalSlot : int(rng, files.length) };
  if (chance(rng, 0.5)) sys.setpgid = true;
  sys.pgid = pick(rng, [0, 0, w.launcher.pgid]);
  if (chance(rng, 0.15)) sys.setsid = true;
  if (chance(rng, 0.2)) sys.pdeathsig = 'SIGKILL';
  const profile: Profile = {
    version: 1,
    name: `go differential foreground ${seed}`,
    path: PROBE,
    args: ['proclab_probe'],
    env: [],
    files,
    sys,
    engine: { method: pick(rng, ['vfork', 'fork'] as const), order: pick(rng, ['seed', 'go'] as const) },
    timeoutMs: 10_000,
  };
  return { profile, hosts };
}

/** Fixed remaps run besides the random ones: each swap and cycle shape, and fewer than 3 files. */
const FIXED_REMAPS = [[1, 0, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1], [3, 0, 1, 2], [1, 0], [0], [], [-1, 0], [1, 1, 1], [2, -1, 0, 1]];

function fixed(remapOf: number[], method: 'vfork' | 'fork', w: World): Case {
  const S = Math.max(1, ...remapOf.map((k) => k + 1));
  const hosts = w.hosts.slice(0, S).map((h) => h.fd);
  return {
    profile: {
      version: 1,
      name: `remap ${JSON.stringify(remapOf)}`,
      path: PROBE,
      args: ['proclab_probe'],
      files: remapOf.map((k) => (k < 0 ? { type: 'closed' } : { type: 'inherit', fd: hosts[k]! })),
      engine: { method },
      timeoutMs: 10_000,
    },
    hosts,
  };
}

/** Both launches of one case. */
interface Both {
  lab: { result: RunResult; report: string | undefined };
  go: { launch: GoLaunch; result: GoResult; report: string | null };
}

async function launchBoth(c: Case, w: World, bin: string): Promise<Both> {
  const normalized = ProfileSchema.parse(c.profile);
  const program = normalized.sys.chroot ? '/proclab_probe' : w.probeCopy;
  const run = launchProbe(c.profile);
  const result = await run.result;
  const go = await runGo(bin, w.scratch, normalized, c.hosts, program, w.filler);
  assert.deepEqual({ pgid: go.result.self.pgid, sid: go.result.self.sid }, { pgid: w.launcher.pgid, sid: w.launcher.sid }, "the Go program is in the test's group and session");
  return { lab: { result, report: run.probeReport?.text }, go };
}

function caseText(c: Case, w: World, both: Both): string[] {
  const hostNames = c.hosts.map((fd, k) => `go fd ${k} = test fd ${fd} (${w.hosts.find((h) => h.fd === fd)?.name})`);
  const { result } = both.lab;
  return [
    `lab profile: ${brief(c.profile)}`,
    `hosts: ${hostNames.join(', ')}`,
    `go launch: ${brief(both.go.launch)}`,
    `lab: ${result.execError ? `execError ${brief(result.execError)}` : `status ${brief(result.status)}`}`,
    `go: ${brief(both.go.result)}`,
  ];
}

/**
 * A profile both refuse before any child exists: setctty with ctty past the files. Go checks
 * it in the parent (exec_unix.go, since Go 1.15); the lab refuses the profile, naming the
 * field, where it once started a child whose TIOCSCTTY reached the lab's own descriptor at
 * that number (found by this test).
 */
function refusedByBoth(c: Case): boolean {
  const { sys, files } = c.profile;
  return sys?.setctty === true && (sys.ctty ?? 0) >= (files?.length ?? 0);
}

/** The case with every default, as Go gets it: also one the lab's schema refuses (refusedByBoth). */
function normalized(c: Case): NormalizedProfile {
  if (!refusedByBoth(c)) return ProfileSchema.parse(c.profile);
  const p = ProfileSchema.parse({ ...c.profile, sys: { ...c.profile.sys, setctty: false } });
  return { ...p, sys: { ...p.sys, setctty: true } };
}

/** The case in one line: its files (h<k> for host k) and the fields it sets. */
function describeCase(c: Case): string {
  const p = normalized(c);
  const files = p.files.map((f) => (f.type === 'inherit' ? `h${c.hosts.indexOf(f.fd)}` : f.type === 'closed' ? '-' : f.type));
  const unset = (k: string, v: unknown) =>
    v === false || v === undefined || JSON.stringify(v) === JSON.stringify(SYS_DEFAULTS[k]) || (k === 'pgid' && !p.sys.setpgid && !p.sys.foreground) || (k === 'ctty' && !p.sys.setctty && !p.sys.foreground);
  const sys = Object.entries(p.sys).flatMap(([k, v]) => (unset(k, v) ? [] : [k === 'chroot' ? 'chroot' : typeof v === 'object' ? `${k} ${JSON.stringify(v)}` : v === true ? k : `${k} ${v}`]));
  return [`files [${files.join(' ')}]`, p.dir !== undefined && `dir ${p.dir}`, `env ${p.env.length}`, ...sys, p.engine.method, `${p.engine.order} order`].filter(Boolean).join(', ');
}

/** One line on how the case went, for the test's output. */
function summary(o: Outcome): string {
  return o.launched ? `launched, ${o.status}` : `failed: ${o.errno}`;
}

/**
 * Where Go 1.19 itself is wrong, asserted exactly: the case's outcome on each side, or
 * null when none applies.
 */
function knownGoDifference(p: NormalizedProfile, lab: Outcome, labStep: string | undefined, go: Outcome): string | null {
  // go#57208: Go 1.19's AmbientCaps block declares an err1 of its own (`if _, _, err1 :=
  // RawSyscall(SYS_CAPSET, ...)`, exec_linux.go), so a failed capget or capset reaches the
  // parent as Errno(0): ForkExec fails with "errno 0" (fixed after 1.19). capset fails when
  // a capability is not in the child's permitted set (here, one the launcher lacks); the
  // lab reports its EPERM.
  if (p.sys.ambientCaps.length > 0 && !go.launched && go.errno === '0 (errno 0)') {
    assert.deepEqual({ lab, labStep }, { lab: { launched: false, errno: 'EPERM' }, labStep: 'ambientCaps' }, 'go#57208: Go hides the EPERM of capset');
    return 'go#57208: the capset EPERM reaches Go\'s parent as errno 0';
  }
  return null;
}


/** Launches the case both ways and fails, saying everything, when the children differ. */
async function compare(t: TestContext, label: string, c: Case, w: World, bin: string): Promise<void> {
  t.diagnostic(describeCase(c));
  if (refusedByBoth(c)) {
    t.diagnostic('refused by both: setctty with ctty past the files');
    assert.throws(() => launchProbe(c.profile), (err: Error) => err instanceof InvalidProfileError && /sys\.setctty: ctty is child fd \d+, but files/.test(err.message), label);
    const go = await runGo(bin, w.scratch, normalized(c), c.hosts, w.probeCopy, w.filler);
    assert.deepEqual([go.result.errno, go.result.error], [-1, 'Setctty set but Ctty not valid in child'], label);
    return;
  }
  const both = await launchBoth(c, w, bin);
  const lab = labOutcome(both.lab.result, both.lab.report, w.launcher);
  const go = goOutcome(both.go);
  const step = both.lab.result.execError ? ` at ${both.lab.result.execError.step}` : '';
  t.diagnostic(`${summary(lab)}${step}`);
  const diff = differences(lab, go);
  if (diff.length === 0) return;
  const p = normalized(c);
  const known = knownGoDifference(p, lab, both.lab.result.execError?.step, go);
  if (known) {
    t.diagnostic(`a known Go 1.19 difference: ${known}`);
    return;
  }
  assert.fail([`${label}: the lab's child and Go's differ`, ...diff.map((d) => `  ${d}`), ...caseText(c, w, both)].join('\n'));
}

// Without Go, one skipped test says why (a skipped suite would not be counted as skipped).
if (goMissing) test('the lab against Go 1.19 syscall.ForkExec, probe to probe', { skip: goMissing }, () => {});
else describe('the lab against Go 1.19 syscall.ForkExec, probe to probe', () => {
  let bin = '';
  let world: World;
  const opened: number[] = [];

  before(() => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'proclab-go-'));
    chmodSync(scratch, 0o755);
    if (GO_BIN) {
      bin = GO_BIN; // the terminal run: the outer run built it
    } else {
      // Go's caches and GOPATH inside the scratch folder: nothing is written to the home.
      const build = spawnSync('go', ['build', '-o', path.join(scratch, 'go-forkexec'), GO_SOURCE], {
        env: { PATH: process.env.PATH, HOME: scratch, GO111MODULE: 'off', GOENV: 'off', GOFLAGS: '', GOCACHE: path.join(scratch, 'gocache'), GOPATH: path.join(scratch, 'gopath'), GOTMPDIR: '' },
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, `go build: ${build.stderr}`);
      bin = path.join(scratch, 'go-forkexec');
      rmSync(path.join(scratch, 'gocache'), { recursive: true, force: true });
    }

    const open = path.join(scratch, 'open');
    mkdirSync(open, { mode: 0o755 });
    const probeCopy = path.join(open, 'proclab_probe');
    copyFileSync(PROBE, probeCopy);
    chmodSync(probeCopy, 0o755);
    const priv = path.join(scratch, 'private');
    mkdirSync(priv, { mode: 0o700 });
    const file = path.join(scratch, 'file');
    writeFileSync(file, 'a file, not a directory\n');
    const jail = path.join(scratch, 'jail');
    mkdirSync(jail, { mode: 0o755 });
    copyFileSync(PROBE, path.join(jail, 'proclab_probe'));
    chmodSync(path.join(jail, 'proclab_probe'), 0o755);
    mkdirSync(path.join(jail, 'tmp'));
    chmodSync(path.join(jail, 'tmp'), 0o1777);
    mkdirSync(path.join(jail, 'private'), { mode: 0o700 });
    writeFileSync(path.join(jail, 'file'), '');

    const fifo = path.join(scratch, 'fifo');
    const mkfifo = spawnSync('mkfifo', [fifo]);
    assert.equal(mkfifo.status, 0, 'mkfifo');
    const host = (name: string, at: string, flags: string) => {
      const fd = openSync(at, flags);
      opened.push(fd);
      return { name, fd };
    };
    writeFileSync(path.join(scratch, 'read-only'), 'read me\n');
    const hosts = [
      host('/dev/null r', '/dev/null', 'r'),
      host('/dev/null rw', '/dev/null', 'r+'),
      host('append file', path.join(scratch, 'log'), 'a'),
      host('rw file', path.join(scratch, 'data'), 'w+'),
      host('read-only file', path.join(scratch, 'read-only'), 'r'),
      host('fifo rw', fifo, 'r+'),
      host('directory', scratch, 'r'),
    ];
    // The terminal run: the controlling terminal, opened anew (the same terminal, another open file).
    const terminal = FOREGROUND_ONLY ? host('the terminal', '/dev/tty', 'r+') : undefined;
    if (terminal) hosts.push(terminal);
    const filler = host('filler', '/dev/null', 'r').fd;
    for (const h of hosts) assert.ok(fstatSync(h.fd));
    assert.throws(() => fstatSync(NOT_OPEN_FD), /EBADF/, `fd ${NOT_OPEN_FD} must not be open here`);
    world = { hosts, filler, scratch, open, probeCopy, private: priv, file, jail, launcher: thisProcess(), ...(terminal && { terminal: terminal.fd }) };
  });

  after(() => {
    for (const fd of opened) closeSync(fd);
    if (world) rmSync(world.scratch, { recursive: true, force: true });
  });

  if (FOREGROUND_ONLY) {
    for (let seed = BASE_SEED; seed < BASE_SEED + FOREGROUND_COUNT; seed++) {
      test(`foreground seed ${seed}`, (t) => compare(t, `foreground seed ${seed}`, generateForeground(seed, world), world, bin));
    }
    return;
  }

  if (process.env.PROCLAB_GO_DIFF_SEED === undefined) {
    for (const remapOf of FIXED_REMAPS) {
      for (const method of ['vfork', 'fork'] as const) {
        test(`files ${JSON.stringify(remapOf)} (${method})`, (t) => compare(t, `remap ${JSON.stringify(remapOf)} (${method})`, fixed(remapOf, method, world), world, bin));
      }
    }

    // The lab checks an inherited fd when the profile is checked, and refuses the launch;
    // Go, which checks nothing there, starts the child, whose dup3 fails with EBADF.
    test('a host fd that is not open: the lab refuses the profile, Go\'s child fails with EBADF', async () => {
      const c = fixed([0, 1, 2], 'vfork', world);
      c.profile.files![1] = { type: 'inherit', fd: NOT_OPEN_FD };
      assert.throws(() => launchProbe(c.profile), (err: Error) => err instanceof InvalidProfileError && /files\[1\]\.fd: host fd 900 is not open/.test(err.message));
      const go = await runGo(bin, world.scratch, ProfileSchema.parse(c.profile), c.hosts, world.probeCopy, world.filler);
      assert.deepEqual([go.launch.files, errnoByNumber(go.result.errno)?.code, go.report], [[0, NOT_OPEN_FD, 2], 'EBADF', null]);
    });

    // Go's Ctty is a child fd for Setctty and a parent fd for Foreground, so Go refuses the
    // pair before it forks (exec_unix.go, forkExec: "both Setctty and Foreground set in
    // SysProcAttr"). The lab's ctty has one meaning, but the pair cannot work either way
    // (setctty needs setsid, after which foreground's setpgid is EPERM): the lab refuses it
    // too, at the profile (it once launched such a child; this test found it).
    test('setctty with foreground: both refuse the pair before any child exists', async () => {
      const c = fixed([0, 1, 2], 'vfork', world);
      c.profile.sys = { setsid: true, setctty: true, foreground: true, ctty: 0 };
      assert.throws(() => launchProbe(c.profile), (err: Error) => err instanceof InvalidProfileError && /sys\.foreground: foreground and setctty together cannot work/.test(err.message));
      const p = ProfileSchema.parse({ ...c.profile, sys: { setsid: true, setctty: true, ctty: 0 } });
      const go = await runGo(bin, world.scratch, { ...p, sys: { ...p.sys, foreground: true } }, c.hosts, world.probeCopy, world.filler);
      assert.deepEqual([go.result.errno, go.result.error], [-1, 'both Setctty and Foreground set in SysProcAttr']);
    });

    // uidMappings or gidMappings without CLONE_NEWUSER: the lab writes no map (they are for
    // a new user namespace; the builder warns) and starts the child. Go 1.19 deadlocks:
    // its child waits for the maps on a pipe whenever UidMappings or GidMappings is set,
    // but without CLONE_NEWUSER the clone is a vfork (exec_linux.go, forkAndExecInChild1),
    // which suspends the parent, the writer, until the child execs.
    test('uidMappings without CLONE_NEWUSER: the lab ignores them, Go 1.19 never returns', async (t) => {
      const c = fixed([0, 1, 2], 'vfork', world);
      c.profile.sys = { uidMappings: [{ containerId: 0, hostId: 0, size: 1 }] };
      const run = launchProbe(c.profile);
      const result = await run.result;
      assert.equal(result.execError, null);
      const child = observed(JSON.parse(run.probeReport!.text) as ProbeReport, world.launcher);
      assert.deepEqual([child.uid, child.namespaces.user], [0, "the launcher's"]);
      await assert.rejects(runGo(bin, world.scratch, ProfileSchema.parse(c.profile), c.hosts, world.probeCopy, world.filler, 700), GoTimeout);
      t.diagnostic('Go: no answer after 700 ms');
    });

    // Foreground that succeeds needs a launcher whose controlling terminal the child's slot
    // holds. The test itself has none (or, in a developer's terminal, one it must not
    // take over), so the file runs again as the leader of a new terminal's session
    // (in-terminal.py), with only foreground cases (generateForeground), and must pass there.
    test('foreground, in a terminal of its own: the lab and Go agree', { skip: noTerminalHarness }, async () => {
      const argv = ['env', '-u', 'NODE_TEST_CONTEXT', 'PROCLAB_GO_DIFF_TERMINAL=1', `PROCLAB_GO_DIFF_BIN=${bin}`, process.execPath, '--import', 'tsx', '--test-reporter=tap', __filename];
      const session = await runInTerminal(argv, { rows: 50, cols: 200, timeoutMs: 60_000 });
      const output = session.output.replace(/\r\n/g, '\n');
      assert.equal(session.timedOut, false, output);
      assert.equal(session.status, 0, output);
      assert.match(output, new RegExp(`^# pass ${FOREGROUND_COUNT}$`, 'm'), output);
    });
  }

  for (let seed = BASE_SEED; seed < BASE_SEED + COUNT; seed++) {
    test(`seed ${seed}`, (t) => compare(t, `seed ${seed}`, generate(seed, world), world, bin));
  }
  const namespaceCount = process.env.PROCLAB_GO_DIFF_SEED === undefined ? NAMESPACE_COUNT : COUNT;
  for (let seed = BASE_SEED; isRoot && seed < BASE_SEED + namespaceCount; seed++) {
    test(`namespaces seed ${seed}`, (t) => compare(t, `namespaces seed ${seed}`, generateNamespaces(seed, world), world, bin));
  }
});
