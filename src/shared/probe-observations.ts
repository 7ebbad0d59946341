// The probe report's scalar rows, described once: what each says, where its value is in the
// report and how it reads. The run view renders them in this order, one table per group.
// Adding a scalar observation: the probe prints it (native/probe/probe.c), ProbeReport
// types it, and one row() here shows it (test/shared/probe-observations.test.ts checks
// the rows against a real report).
import type { IdMapping, ProbeReport, RlimitName } from './api';

/** The report's parts shown as sections of their own, not as rows. */
export const PROBE_SECTIONS = ['fds', 'signals', 'capabilities', 'namespaces', 'idMaps', 'rlimits', 'argv', 'env'] as const;

type Scalars = Omit<ProbeReport, (typeof PROBE_SECTIONS)[number]>;

/** Where a value is in the report: a key, or `key.field` inside a nested object (tty.ctty). */
export type ProbePath = {
  [K in keyof Scalars]: Scalars[K] extends readonly unknown[] | null
    ? K
    : Scalars[K] extends object
      ? `${K}.${keyof Scalars[K] & string}`
      : K;
}[keyof Scalars];

type ValueAt<P extends ProbePath> = P extends `${infer K extends keyof Scalars}.${infer F}`
  ? F extends keyof Scalars[K]
    ? Scalars[K][F]
    : never
  : P extends keyof Scalars
    ? Scalars[P]
    : never;

/** A value as shown; null is shown as a muted "none". */
export type ProbeText = string | number | null;

/** One value: its element carries data-testid="probe-<id>". */
export interface ProbeValue {
  id: string;
  label: string;
  key: ProbePath;
  text: (report: ProbeReport) => ProbeText;
}

export interface ProbeRow extends ProbeValue {
  /** The label's title. */
  hint?: string;
  /** A tag beside the value, when `when` holds (leader when the pgid is the pid). */
  tag?: { text: string; when: (report: ProbeReport) => boolean };
  /** A second value in the same row (euid beside uid). */
  also?: ProbeValue;
}

export interface ProbeGroup {
  name: string;
  rows: readonly ProbeRow[];
}

interface Options<P extends ProbePath> {
  /** The testid's suffix; the key by default. */
  id?: string;
  /** The id by default. */
  label?: string;
  hint?: string;
  /** The value as text; the value itself by default. */
  text?: (value: ValueAt<P>) => ProbeText;
  tag?: ProbeRow['tag'];
  also?: ProbeValue;
}

// A value that is not text already (a list) must say how it reads.
type OptionsOf<P extends ProbePath> = ValueAt<P> extends ProbeText
  ? [options?: Options<P>]
  : [options: Options<P> & Required<Pick<Options<P>, 'text'>>];

function valueAt<P extends ProbePath>(report: ProbeReport, key: P): ValueAt<P> {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], report) as ValueAt<P>;
}

function row<P extends ProbePath>(key: P, ...[options = {}]: OptionsOf<P>): ProbeRow {
  const { id = key, label = id, hint, text = (v: ValueAt<P>) => v as ProbeText, tag, also } = options;
  return { id, label, key, text: (report) => text(valueAt(report, key)), hint, tag, also };
}

const leader = (key: 'pgid' | 'sid'): ProbeRow['tag'] => ({ text: 'leader', when: (r) => r[key] === r.pid });

export const PROBE_GROUPS: readonly ProbeGroup[] = [
  {
    name: 'process',
    rows: [
      row('pid'),
      row('ppid'),
      row('pgid', { label: 'process group', hint: 'pgid', tag: leader('pgid') }),
      row('sid', { label: 'session', hint: 'sid', tag: leader('sid') }),
      row('tty.ctty', { id: 'tty', label: 'controlling tty' }),
      row('tty.foregroundPgid', { id: 'foreground', label: 'foreground group', hint: 'tcgetpgrp on the controlling terminal' }),
      // null: /proc unreadable; 0: not traced.
      row('tracer', { hint: 'TracerPid', text: (pid) => pid || null }),
    ],
  },
  {
    name: 'identity',
    rows: [
      row('uid', { also: row('euid') }),
      row('gid', { also: row('egid') }),
      row('groups', { text: (groups) => (groups.length === 0 ? null : groups.join(', ')) }),
      row('cwd'),
      row('root'),
      row('umask', { text: (mask) => mask.toString(8).padStart(4, '0') }),
    ],
  },
  {
    name: 'limits and scheduling',
    rows: [
      row('nice', { hint: 'getpriority: -20 (most CPU) to 19 (least)' }),
      row('cpuAffinity', { id: 'cpus', label: 'CPUs allowed', hint: 'sched_getaffinity', text: cpuList }),
      row('oomScoreAdj', { id: 'oom', label: 'OOM score adjustment', hint: 'oom_score_adj: -1000 (never killed for memory) to 1000 (killed first)' }),
      row('cgroup', { hint: 'cgroup v2 path: the "0::" line of /proc/self/cgroup' }),
      row('pdeathsig', { label: 'parent-death signal', hint: 'PR_GET_PDEATHSIG: sent to it when its parent dies' }),
      row('noNewPrivs', { id: 'no-new-privs', label: 'no new privileges', hint: 'PR_GET_NO_NEW_PRIVS: its execs cannot gain privileges (set-uid bits, file capabilities)', text: (on) => (on ? 'yes' : 'no') }),
    ],
  },
];

/** CPU numbers as ranges: [0, 1, 2, 3, 6] is "0-3, 6"; none is null. */
export function cpuList(cpus: readonly number[]): string | null {
  const ranges: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    ranges.push(j === i ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return ranges.length === 0 ? null : ranges.join(', ');
}

/** A uid or gid map as text: "0 → 1000 (1)" per line, "; " between; empty is "empty", unreadable is null. */
export function idMapText(map: readonly IdMapping[] | null): string | null {
  if (map === null) return null;
  if (map.length === 0) return 'empty';
  return map.map((m) => `${m.containerId} → ${m.hostId} (${m.size})`).join('; ');
}

/** What each resource limit counts, for its title. */
export const RLIMIT_HINTS: Record<RlimitName, string> = {
  CPU: 'CPU time, seconds',
  FSIZE: 'largest file it may write, bytes',
  DATA: 'data segment and heap, bytes',
  STACK: 'main thread stack, bytes',
  CORE: 'largest core dump, bytes (0: none)',
  RSS: 'resident memory, bytes (not enforced)',
  NPROC: "processes and threads of its real uid",
  NOFILE: 'one more than the highest descriptor number it may open',
  MEMLOCK: 'memory it may lock, bytes',
  AS: 'address space, bytes',
  LOCKS: 'file locks (not enforced)',
  SIGPENDING: 'signals queued to its real uid',
  MSGQUEUE: 'POSIX message queue bytes of its real uid',
  NICE: 'how far it may raise its priority: nice 20 - limit',
  RTPRIO: 'highest real-time priority',
  RTTIME: 'CPU time without blocking under real-time scheduling, microseconds',
};
