// What every export target shares: the list of targets, the result's shape, how a profile's
// child fd table is described to a generator, byte-exact literals, and the gaps (what a
// target cannot express, said in the code and in the returned list; never dropped).
// Pure functions of the normalized profile (profile.ts).
import { bytesOf, showBytes, type Bytes } from '../bytes';
import type { NormalizedProfile } from '../profile';
import { signalByName } from '../signals';

export const EXPORT_LANGS = ['go', 'go-syscall', 'python', 'node', 'rust', 'c', 'shell'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

export const isExportLang = (value: string): value is ExportLang => (EXPORT_LANGS as readonly string[]).includes(value);

/** One thing the target cannot express: the profile field (its JSON path) and what happens instead. */
export interface ExportGap {
  field: string;
  text: string;
}

export interface ExportedCode {
  lang: ExportLang;
  code: string;
  gaps: ExportGap[];
  /** A name to save it under (main.go, launch.py, ...). */
  fileName: string;
}

export const gapLine = (gap: ExportGap) => `${gap.field}: ${gap.text}`;

// ------------------------------------------------------------------ the child's fd table

/**
 * Where a child fd comes from. A pipe is the lab's capture: on fd 0 the exported program
 * writes the profile's stdin into it and closes it; on any other fd it reads it and copies
 * it to its own stderr (child fd 2) or stdout (every other fd), as the lab shows it.
 */
export type SlotSource =
  | { kind: 'null' }
  | { kind: 'pipe'; role: 'stdin' | 'stdout' | 'stderr' }
  | { kind: 'inherit'; fd: number }
  | { kind: 'file'; path: Bytes; access: 'O_RDONLY' | 'O_WRONLY' | 'O_RDWR'; flags: ('O_APPEND' | 'O_CREAT' | 'O_TRUNC')[] }
  | { kind: 'closed' };

export interface Slot {
  fd: number;
  source: SlotSource;
}

const ACCESS = { r: 'O_RDONLY', w: 'O_WRONLY', a: 'O_WRONLY', rw: 'O_RDWR' } as const;

/** The profile's files as sources, one per child fd. A pty slot becomes /dev/null (ptyGaps says so). */
export function slotsOf(p: NormalizedProfile): Slot[] {
  return p.files.map((file, fd): Slot => {
    switch (file.type) {
      case 'null':
      case 'pty':
        return { fd, source: { kind: 'null' } };
      case 'closed':
        return { fd, source: { kind: 'closed' } };
      case 'inherit':
        return { fd, source: { kind: 'inherit', fd: file.fd } };
      case 'pipe':
        return { fd, source: { kind: 'pipe', role: fd === 0 ? 'stdin' : fd === 2 ? 'stderr' : 'stdout' } };
      case 'file': {
        const flags: ('O_APPEND' | 'O_CREAT' | 'O_TRUNC')[] = [];
        if (file.mode === 'a') flags.push('O_APPEND');
        if (file.create) flags.push('O_CREAT');
        if (file.truncate) flags.push('O_TRUNC');
        return { fd, source: { kind: 'file', path: file.path, access: ACCESS[file.mode], flags } };
      }
    }
  });
}

/** The bytes written into a pipe on fd 0 (the profile's stdin; none when it has no such pipe). */
export function stdinBytes(p: NormalizedProfile): Uint8Array {
  return p.stdin === undefined ? new Uint8Array() : bytesOf(p.stdin);
}

/** A signal's number on Linux (pdeathsig). */
export const signalNumber = (name: string) => signalByName(name)?.number ?? 0;

/** An rlimit value as a C or Go expression: "unlimited" is RLIM_INFINITY. */
export const rlimitValue = (v: number | 'unlimited', infinity: string) => (v === 'unlimited' ? infinity : String(v));

// ------------------------------------------------------------------ namespaces

/** Linux's CLONE_NEW* values (sched.h), for languages that call unshare(2) by number. */
export const CLONE_FLAG_VALUES: Record<NormalizedProfile['sys']['cloneflags'][number], number> = {
  CLONE_NEWNS: 0x20000, CLONE_NEWCGROUP: 0x2000000, CLONE_NEWUTS: 0x4000000, CLONE_NEWIPC: 0x8000000,
  CLONE_NEWUSER: 0x10000000, CLONE_NEWPID: 0x20000000, CLONE_NEWNET: 0x40000000,
};
/** mount(2)'s MS_REC | MS_PRIVATE: every mount below / private, as Go does after unshare(CLONE_NEWNS). */
export const MS_REC_PRIVATE = 0x4000 | 0x40000;

// Namespaces only clone(2) gives the child itself: unshare(CLONE_NEWPID) moves only its
// later children (go#19716), and the lab maps a user namespace of clone's from outside
// while the child waits, which no export does.
const CLONE_ONLY: readonly string[] = ['CLONE_NEWPID', 'CLONE_NEWUSER'];

/**
 * For targets that fork and then unshare(2) in the child: the flags to unshare (the
 * profile's unshareflags, and its cloneflags but those only clone can give), and the gap
 * for the rest.
 */
export function unshareInChild(p: NormalizedProfile): { flags: NormalizedProfile['sys']['cloneflags']; gaps: ExportGap[] } {
  const only = p.sys.cloneflags.filter((f) => CLONE_ONLY.includes(f));
  const flags = [...new Set([...p.sys.cloneflags.filter((f) => !CLONE_ONLY.includes(f)), ...p.sys.unshareflags])];
  const gaps = only.length === 0 ? [] : [{ field: 'sys.cloneflags', text: `a fork cannot give the child itself a new namespace of ${only.join(', ')} (clone(2) can): not made` }];
  return { flags, gaps };
}

// ------------------------------------------------------------------ literals

/**
 * A byte-exact literal: printable ASCII kept (except what `special` lists), every other
 * byte escaped by `escape`. Bytes given in hex stay exact whatever they are.
 */
export function byteLiteral(value: Bytes | Uint8Array, special: string, escape: (byte: number) => string): string {
  const bytes = value instanceof Uint8Array ? value : bytesOf(value);
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out += b >= 0x20 && b < 0x7f && !special.includes(ch) ? ch : escape(b);
  }
  return out;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** "..." with \xNN escapes: a Go string, a Python or Rust byte string's body. */
export const xEscaped = (value: Bytes | Uint8Array) =>
  `"${byteLiteral(value, '"\\', (b) => ({ 0x0a: '\\n', 0x09: '\\t', 0x22: '\\"', 0x5c: '\\\\' })[b] ?? `\\x${hex2(b)}`)}"`;

/** A C string literal; octal escapes, which end after three digits (a \x escape would eat the next hex digit). */
export const cString = (value: Bytes | Uint8Array) =>
  `"${byteLiteral(value, '"\\?', (b) => ({ 0x0a: '\\n', 0x22: '\\"', 0x5c: '\\\\', 0x3f: '\\?' })[b] ?? `\\${b.toString(8).padStart(3, '0')}`)}"`;

/** True when the bytes are UTF-8 text (what a JavaScript string can carry to child_process). */
export function isText(value: Bytes): boolean {
  if (typeof value === 'string') return true;
  // showBytes escapes each byte that is not UTF-8 (one byte becomes four): the text's bytes differ then.
  const [raw, shown] = [bytesOf(value), bytesOf(showBytes(value))];
  return raw.length === shown.length && raw.every((b, i) => b === shown[i]);
}

/** The environment's name, for an inherited environment's merge. */
export const envName = (entry: Bytes) => showBytes(entry).slice(0, showBytes(entry).indexOf('='));

// ------------------------------------------------------------------ gaps

/** Profile fields a target may or may not express, each with when a profile uses it. */
const FEATURES = {
  secrets: (p) => p.secrets.length > 0,
  timeoutMs: (p) => p.timeoutMs !== undefined,
  'sys.chroot': (p) => !!p.sys.chroot,
  'sys.credential': (p) => p.sys.credential !== undefined,
  'sys.ambientCaps': (p) => p.sys.ambientCaps.length > 0,
  'sys.noNewPrivs': (p) => p.sys.noNewPrivs,
  'sys.ptrace': (p) => p.sys.ptrace,
  'sys.setsid': (p) => p.sys.setsid,
  'sys.setpgid': (p) => p.sys.setpgid,
  'sys.pdeathsig': (p) => p.sys.pdeathsig !== undefined,
  'sys.setctty': (p) => p.sys.setctty,
  'sys.noctty': (p) => p.sys.noctty,
  'sys.foreground': (p) => p.sys.foreground,
  'sys.cloneflags': (p) => p.sys.cloneflags.length > 0,
  'sys.unshareflags': (p) => p.sys.unshareflags.length > 0,
  'sys.uidMappings': (p) => p.sys.uidMappings.length > 0 || p.sys.gidMappings.length > 0,
  'sys.umask': (p) => p.sys.umask !== undefined,
  'sys.rlimits': (p) => Object.keys(p.sys.rlimits).length > 0,
  'sys.nice': (p) => p.sys.nice !== undefined,
  'sys.cpuAffinity': (p) => p.sys.cpuAffinity.length > 0,
  'sys.oomScoreAdj': (p) => p.sys.oomScoreAdj !== undefined,
  'sys.cgroup': (p) => !!p.sys.cgroup,
  // Off: the lab's ignored signals and other fds stay; an exported program has its own.
  'engine.closeOtherFds': (p) => !p.engine.closeOtherFds,
  'engine.resetSignals': (p) => !p.engine.resetSignals,
  'files.pty': (p) => p.files.some((f) => f.type === 'pty'),
} satisfies Record<string, (p: NormalizedProfile) => boolean>;

export type Feature = keyof typeof FEATURES;

const GENERIC: Partial<Record<Feature, string>> = {
  secrets: "secret values are never exported: set these variables in the program's environment yourself",
  'files.pty': 'a pseudo-terminal slot is exported as /dev/null: the lab makes the terminal for each run',
  'engine.closeOtherFds': "closeOtherFds off keeps the lab's other fds in the child; the exported program passes only the profile's",
  'engine.resetSignals': "resetSignals off keeps the lab's ignored signals; the exported child gets the exported program's",
};

/**
 * The gaps of a target: every feature the profile uses that the target does not express,
 * with the target's reason (or a generic one).
 */
export function unsupported(p: NormalizedProfile, supported: readonly Feature[], reasons: Partial<Record<Feature, string>>, lang: ExportLang): ExportGap[] {
  const field = (f: Feature) => (f === 'files.pty' ? 'files' : f);
  return (Object.keys(FEATURES) as Feature[])
    .filter((f) => FEATURES[f](p) && !supported.includes(f))
    .map((f) => ({ field: field(f), text: reasons[f] ?? GENERIC[f] ?? `the ${lang} export does not set this: the child runs without it` }));
}

/** Gaps as comment lines, `prefix` being the language's comment marker. */
export function gapComments(gaps: readonly ExportGap[], prefix: string, indent = ''): string {
  if (gaps.length === 0) return '';
  return `${gaps.map((g) => `${indent}${prefix} NOT EXPORTED ${gapLine(g)}`).join('\n')}\n`;
}

/** The first lines of every export: what it is, and which profile. */
export function header(p: NormalizedProfile, prefix: string, lines: readonly string[]): string {
  return [`Exported by Process Lab from the profile ${JSON.stringify(p.name)}.`, ...lines].map((l) => `${prefix} ${l}`.trimEnd()).join('\n');
}

/** The highest fd a profile's table names (its slots and the sources it inherits), for a scratch fd above it. */
export function highestFd(slots: readonly Slot[]): number {
  return Math.max(-1, ...slots.map((s) => Math.max(s.fd, s.source.kind === 'inherit' ? s.source.fd : -1)));
}
