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
// umask, signal dispositions and mask, the tracer, env, argv, and how it ended (exit
// status); when the launch fails, the errno (Go's ForkExec error, the lab's
// execError.code). Not compared: pids themselves, pipe and pty numbers.
//
// Generated over what the lab has today: files (remaps with swaps and cycles, duplicates,
// closed slots, fewer than 3 files, slots above 2, a pty, a host fd that is not open), dir
// (none, existing, relative, missing, a file, root-only), env, setsid, setpgid (pgid 0,
// the launcher's group, a group that does not exist), setctty/ctty and noctty (with and
// without a pty), the engine's method; as root also credential (65534 and others, groups,
// noSetGroups) and chroot (a jail holding a copy of the probe). Not generated: ptrace (a
// traced child stops at exec; nothing in the Go program resumes it), inheritEnv (not a
// ForkExec notion: os/exec's), and the engine options closeOtherFds and resetSignals, kept
// at their defaults: a Go program's own fds are close-on-exec, and Go's child starts with
// default dispositions and an empty mask, which is what the defaults give.
//
// Replay: PROCLAB_GO_DIFF_SEED=N PROCLAB_GO_DIFF_COUNT=1 node --import tsx --test
// test/differential/go-forkexec.test.ts runs seed N alone; a failure prints the seed, the
// lab profile, the Go launch and every difference.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { after, before, describe, test, type TestContext } from 'node:test';

import { InvalidProfileError, launchProbe } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import { errnoByNumber } from '../../src/shared/errno';
import type { NormalizedProfile, Profile, SysAttr } from '../../src/shared/profile';
import { ProfileSchema } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
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

interface GoResult {
  self: { pid: number; pgid: number; sid: number };
  pid: number;
  status: { exited: boolean; code: number; signaled: boolean; signal: number } | null;
  errno: number;
  error: string;
}

/** Where the case's descriptors are on the Go side. */
interface GoPlacement {
  /** The Go program's fd for the test's host fd (an fd the test does not have maps to itself). */
  fdOf(testFd: number): number;
  /** The Go program's fd of its pty slave, when the case has a pty. */
  ptyFd: number | null;
  /** The probe as the Go program execs it (inside the jail when chrooted). */
  program: string;
}

/**
 * Go's SysProcAttr for each lab `sys` field: [Go's name, value], or undefined when the
 * field adds nothing (false, unset). One line per field: a field the lab gains gets its
 * line here (the Go program already takes every SysProcAttr field of Go 1.19 but Ptrace);
 * until then a case that sets it fails, naming it (goLaunchOf). Note for Foreground: Go's
 * Ctty is then a descriptor of the parent (the Go program: at.fdOf), not a child slot.
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
  ctty: (s) => ['Ctty', s.ctty],
} satisfies Partial<Record<keyof SysAttr, GoField>>;

/** The `sys` of a profile that sets nothing: what an unmapped field must be left at. */
const SYS_DEFAULTS: Record<string, unknown> = ProfileSchema.parse({ version: 1, name: 'defaults', path: '/x', args: [] }).sys;

/** The lab profile (normalized) as the Go program's launch: the one place the two meet. */
function goLaunchOf(p: NormalizedProfile, at: GoPlacement): GoLaunch {
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
  const sys = Object.fromEntries(
    Object.values(GO_SYS).flatMap((field: GoField) => {
      const entry = field(p.sys, at);
      return entry ? [entry] : [];
    }),
  );
  return {
    path: at.program,
    argv: ['proclab_probe', '--report-fd', String(reportFd)],
    env: p.env,
    dir: p.dir ?? '',
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

/**
 * Runs the Go program with `hosts[k]` (the test's fds) at its fd k; returns its result and
 * the probe's report (null when the probe never ran).
 */
async function runGo(bin: string, scratch: string, p: NormalizedProfile, hosts: number[], program: string, filler: number): Promise<{ launch: GoLaunch; result: GoResult; report: string | null }> {
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
    const child = spawn(bin, ['-in', String(inFd), '-out', String(outFd)], { stdio, env: {}, timeout: 10_000 });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    (child.stdio[inFd] as Writable).end(JSON.stringify(launch));
    const text = await readAll(child.stdio[outFd] as Readable);
    const code = await exited;
    assert.equal(code, 0, `the Go program failed (${code}): ${text}`);
    const result = JSON.parse(text) as GoResult;
    const written = readFileSync(reportPath, 'utf8');
    return { launch, result, report: written === '' ? null : written };
  } finally {
    closeSync(report);
    unlinkSync(reportPath);
  }
}

// ---- what must be equal -----------------------------------------------------------------

interface Launcher {
  pid: number;
  pgid: number;
  sid: number;
}

/** The test process's pgid and sid (Node has no getsid): fields 5 and 6 of /proc/self/stat. */
function thisProcess(): Launcher {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const [pgid, sid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(2, 4).map(Number);
  return { pid: process.pid, pgid: pgid!, sid: sid! };
}

const isPts = (target: string | null) => target !== null && target.startsWith('/dev/pts/');

/** A report with every number that differs between launchers by nature named by its relation. */
function observed(report: ProbeReport, launcher: Launcher) {
  const rel = (n: number | null) => {
    if (n === null) return null;
    if (n === report.pid) return 'the child';
    if (n === launcher.pid) return 'the launcher';
    if (n === launcher.pgid) return "the launcher's group";
    if (n === launcher.sid) return "the launcher's session";
    return `another (${n})`;
  };
  return {
    ppid: rel(report.ppid),
    pgid: rel(report.pgid),
    sid: rel(report.sid),
    ctty: isPts(report.tty.ctty) ? 'a pty' : report.tty.ctty,
    foregroundPgid: rel(report.tty.foregroundPgid),
    uid: report.uid,
    euid: report.euid,
    gid: report.gid,
    egid: report.egid,
    groups: report.groups,
    cwd: report.cwd,
    root: report.root,
    umask: report.umask,
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
  if (result.errno !== 0) return { launched: false, errno: errnoByNumber(result.errno)?.code ?? `${result.errno} (${result.error})` };
  const s = result.status!;
  const status = s.exited ? `exited ${s.code}` : `signaled ${s.signal}`;
  return { launched: true, status, child: report ? observed(JSON.parse(report) as ProbeReport, result.self) : 'no report' };
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
  const profile: Profile = {
    version: 1,
    name: `go differential ${seed}`,
    path: PROBE,
    args: ['proclab_probe'],
    ...(dir !== undefined && { dir }),
    env: shuffled(rng, ENV_POOL).slice(0, int(rng, 5)),
    files,
    sys,
    engine: { method: pick(rng, ['vfork', 'fork'] as const) },
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
  const sys = Object.entries(p.sys).flatMap(([k, v]) => (v === false || v === undefined || (k === 'pgid' && !p.sys.setpgid) || (k === 'ctty' && !p.sys.setctty) ? [] : [k === 'chroot' ? 'chroot' : typeof v === 'object' ? `${k} ${JSON.stringify(v)}` : v === true ? k : `${k} ${v}`]));
  return [`files [${files.join(' ')}]`, p.dir !== undefined && `dir ${p.dir}`, `env ${p.env.length}`, ...sys, p.engine.method].filter(Boolean).join(', ');
}

/** One line on how the case went, for the test's output. */
function summary(o: Outcome): string {
  return o.launched ? `launched, ${o.status}` : `failed: ${o.errno}`;
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
    // Go's caches and GOPATH inside the scratch folder: nothing is written to the home.
    const build = spawnSync('go', ['build', '-o', path.join(scratch, 'go-forkexec'), GO_SOURCE], {
      env: { PATH: process.env.PATH, HOME: scratch, GO111MODULE: 'off', GOENV: 'off', GOFLAGS: '', GOCACHE: path.join(scratch, 'gocache'), GOPATH: path.join(scratch, 'gopath'), GOTMPDIR: '' },
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `go build: ${build.stderr}`);
    bin = path.join(scratch, 'go-forkexec');
    rmSync(path.join(scratch, 'gocache'), { recursive: true, force: true });

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
    const filler = host('filler', '/dev/null', 'r').fd;
    for (const h of hosts) assert.ok(fstatSync(h.fd));
    assert.throws(() => fstatSync(NOT_OPEN_FD), /EBADF/, `fd ${NOT_OPEN_FD} must not be open here`);
    world = { hosts, filler, scratch, open, probeCopy, private: priv, file, jail, launcher: thisProcess() };
  });

  after(() => {
    for (const fd of opened) closeSync(fd);
    if (world) rmSync(world.scratch, { recursive: true, force: true });
  });

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
  }

  for (let seed = BASE_SEED; seed < BASE_SEED + COUNT; seed++) {
    test(`seed ${seed}`, (t) => compare(t, `seed ${seed}`, generate(seed, world), world, bin));
  }
});
