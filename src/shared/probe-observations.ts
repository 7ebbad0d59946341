// The probe report's scalar rows, described once: what each says, where its value is in the
// report and how it reads. The run view renders them in this order, one table per group.
// Adding a scalar observation: the probe prints it (native/probe/probe.c), ProbeReport
// types it, and one row() here shows it (test/shared/probe-observations.test.ts checks
// the rows against a real report).
import type { ProbeReport } from './api';

/** The report's parts shown as sections of their own, not as rows. */
export const PROBE_SECTIONS = ['fds', 'signals', 'argv', 'env'] as const;

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
];
