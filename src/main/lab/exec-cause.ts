// Why an execve failed, from what the lab checks after the failure (contract section 3,
// execError.cause), never from the errno alone: the program as the child saw it, inside its
// root (openat2 RESOLVE_IN_ROOT: an absolute symlink cannot lead out of a jail), from its
// working directory, with its credentials. The lab may be root while the child is not, so
// permissions are read from the mode bits against the child's ids, not asked of access(2).
import { closeSync, constants, fstatSync, readFileSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

import type { NormalizedProfile } from '../../shared/profile';
import type { ExecCause, ExecError } from '../../shared/result';
import { engine, O_PATH, type NativeSpec } from './engine';
import { shown, type NativeBytes } from './native-bytes';
import { commOf, descriptorFlags, openDescriptors } from './proc-fds';

/** The child as it was at its execve. */
export interface ChildView {
  root: string; // its root directory, as the lab names it ("/" without chroot)
  dir: NativeBytes | undefined; // its working directory inside the root (undefined: the lab's own)
  program: NativeBytes; // the path it exec'd
  uid: number;
  gid: number;
  groups: readonly number[];
  argv: readonly NativeBytes[];
  envp: readonly NativeBytes[];
  stackLimit: number | 'unlimited'; // its RLIMIT_STACK soft limit
}

// execve(2): one string at most MAX_ARG_STRLEN (32 pages) with its NUL; all of them, with a
// pointer each, at most a quarter of RLIMIT_STACK, and never more than 3/4 of _STK_LIM (6 MiB).
const MAX_ARG_STRLEN = 131_072;
const MAX_ARG_TOTAL = 6 * 1024 * 1024;
const POINTER = 8;
const ERRNO = osConstants.errno;

// e_machine of the ELF header (elf(5)) for the machines Node runs on here.
const HOST_MACHINES: Record<string, number> = { x64: 62, arm64: 183, ia32: 3, arm: 40, riscv64: 243, ppc64: 21, s390x: 22 };
const MACHINE_NAMES: Record<number, string> = { 3: 'i386', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC 64', 22: 's390', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V' };

export function execCause(code: string, child: ChildView): ExecCause {
  switch (code) {
    case 'ENOENT':
      return missing(child);
    case 'EACCES':
      return denied(child);
    case 'ENOEXEC':
      return notRunnable(child);
    case 'ETXTBSY':
      return textBusy(child);
    case 'E2BIG':
      return tooLong(child);
    case 'ELOOP':
      return symlinkLoop(child);
    case 'EISDIR':
      return { code: 'unknown', text: 'the program names an ELF interpreter that is a directory' };
    default:
      return unknown(code);
  }
}

const symlinkLoop = (child: ChildView): ExecCause => ({
  code: 'symlink-loop',
  path: shown(child.program),
  text: `${where(child)} leads through too many symbolic links (more than 40): probably a loop`,
});

const unknown = (code: string): ExecCause => ({ code: 'unknown', text: `no check of the lab's explains ${code} here` });

// -------------------------------------------------------------- the child's view of a file

/** Where the child resolves paths: its root, and its working directory inside it. */
type ChildPlace = Pick<ChildView, 'root' | 'dir'>;

/** The program's path as the child resolves it: relative to its working directory. */
function childPath(child: ChildPlace, file: NativeBytes): NativeBytes {
  if (file.indexOf('/') === 0 || child.dir === undefined) return file;
  const dir = typeof child.dir === 'string' ? Buffer.from(child.dir) : child.dir;
  return Buffer.concat([dir, Buffer.from('/'), typeof file === 'string' ? Buffer.from(file) : file]);
}

const where = (child: ChildView, file: NativeBytes = child.program) =>
  `${shown(file)}${child.root === '/' ? '' : ` (inside ${child.root})`}`;

interface Opened {
  fd: number;
  stats: Stats;
}

/** The file at `file` in the child's root: open (O_PATH), or the errno why not. */
function openInChildRoot(child: ChildPlace, file: NativeBytes, flags = constants.O_RDONLY | constants.O_NONBLOCK): Opened | { errno: number } {
  const fd = engine().openInRoot(child.root, childPath(child, file), flags);
  if (fd < 0) return { errno: -fd };
  return { fd, stats: fstatSync(fd) };
}

/** Why the child cannot reach `file` in its root (ENOENT, ELOOP, ENOTDIR...); undefined when it can. */
function unreachable(child: ChildPlace, file: NativeBytes): number | undefined {
  const opened = openInChildRoot(child, file, O_PATH);
  if ('errno' in opened) return opened.errno;
  closeSync(opened.fd);
  return undefined;
}

/** Whether `file` exists in the child's root (a dangling symlink does not). */
const exists = (child: ChildPlace, file: NativeBytes): boolean => unreachable(child, file) === undefined;

function withFile<T>(child: ChildPlace, file: NativeBytes, use: (opened: Opened) => T, flags?: number): T | { errno: number } {
  const opened = openInChildRoot(child, file, flags);
  if ('errno' in opened) return opened;
  try {
    return use(opened);
  } finally {
    closeSync(opened.fd);
  }
}

/** The first bytes of a regular file (never a FIFO or device, whose open or read could wait). */
function head(child: ChildPlace, file: NativeBytes, bytes: number): Buffer | null {
  const out = withFile(child, file, ({ fd, stats }) => {
    if (!stats.isFile()) return null;
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  });
  return out && !('errno' in out) ? out : null;
}

/** Whether the child's ids may do `bit` (1 execute/search) on a file of these stats. */
function allowed(child: ChildView, stats: Stats, bit: number): boolean {
  if (child.uid === 0) return stats.isDirectory() || (stats.mode & 0o111) !== 0;
  const shift = stats.uid === child.uid ? 6 : stats.gid === child.gid || child.groups.includes(stats.gid) ? 3 : 0;
  return ((stats.mode >> shift) & bit) !== 0;
}

const ids = (child: ChildView) => `uid ${child.uid}, gid ${child.gid}${child.groups.length ? `, groups ${child.groups.join(' ')}` : ''}`;

// ------------------------------------------------------------------------------ ENOENT

function missing(child: ChildView): ExecCause {
  const notReached = unreachable(child, child.program);
  if (notReached === ERRNO.ENOENT) {
    return { code: 'program-missing', path: shown(child.program), text: `${where(child)} does not exist` };
  }
  if (notReached !== undefined) return unknown('ENOENT');
  // Enough for a #! line, and for an ELF's program headers and its PT_INTERP string.
  const start = head(child, child.program, 64 * 1024);
  if (start && start.subarray(0, 2).toString('latin1') === '#!') return missingInterpreter(child, start);
  if (start && isElf(start)) {
    const loader = elfInterpreter(start);
    if (loader && !exists(child, loader)) {
      return {
        code: 'elf-interpreter-missing',
        path: loader,
        text: `${where(child)} is a dynamically linked ELF whose loader (PT_INTERP) is ${loader}, which does not exist${child.root === '/' ? '' : ' in that root'}: a binary built for another libc (musl's ld-musl, say) or a root without the loader`,
      };
    }
  }
  return unknown('ENOENT');
}

/** A script's #! line: its interpreter, and whether it ends in \r (a file saved on Windows). */
function shebang(start: Buffer): { interpreter: string; crlf: boolean } {
  const line = start.subarray(2, start.indexOf(0x0a) < 0 ? start.length : start.indexOf(0x0a)).toString('latin1');
  // Split as the kernel does (binfmt_script): at blanks only, so a trailing \r stays in the name.
  const interpreter = line.replace(/^[ \t]+/, '').split(/[ \t]+/)[0] ?? '';
  return { interpreter, crlf: line.endsWith('\r') && interpreter.endsWith('\r') };
}

/**
 * For the builder: the interpreter a script's #! line names (without a trailing \r), whether
 * it exists in `root` as the child resolves it, and whether the line ends in \r; null when
 * the program is no script (or cannot be read).
 */
export function scriptInterpreter(root: string, program: NativeBytes): { path: string; exists: boolean; crlf: boolean } | null {
  const place = { root, dir: undefined };
  const start = head(place, program, 256);
  if (!start || start.subarray(0, 2).toString('latin1') !== '#!') return null;
  const { interpreter, crlf } = shebang(start);
  return { path: crlf ? interpreter.slice(0, -1) : interpreter, exists: !crlf && exists(place, interpreter), crlf };
}

function missingInterpreter(child: ChildView, start: Buffer): ExecCause {
  const { interpreter, crlf } = shebang(start);
  if (crlf) {
    return {
      code: 'interpreter-crlf',
      path: interpreter.slice(0, -1),
      text: `the #! line of ${where(child)} ends in a carriage return (\\r: the file has Windows line ends), so the kernel looks for an interpreter named "${interpreter.slice(0, -1)}\\r", which does not exist; convert the file to \\n line ends (dos2unix)`,
    };
  }
  if (!exists(child, interpreter)) {
    return { code: 'interpreter-missing', path: interpreter, text: `the #! line of ${where(child)} names ${interpreter}, which does not exist${child.root === '/' ? '' : ' in that root'}` };
  }
  return unknown('ENOENT');
}

// ------------------------------------------------------------------------------ EACCES

function denied(child: ChildView): ExecCause {
  // Each directory on the way must be searchable by the child.
  const full = shown(childPath(child, child.program));
  const parts = full.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const dir = `${full.startsWith('/') ? '/' : ''}${parts.slice(0, i).join('/')}`;
    const checked = withFile(child, dir, ({ stats }) => stats.isDirectory() && !allowed(child, stats, 1), O_PATH);
    if (checked === true) {
      return { code: 'dir-not-searchable', path: dir, text: `the directory ${dir}${child.root === '/' ? '' : ` (inside ${child.root})`} is not searchable (no x permission) for the child (${ids(child)}), checked from its mode bits` };
    }
  }
  const program = withFile(child, child.program, ({ fd, stats }) => ({ stats, real: readlinkSync(`/proc/self/fd/${fd}`) }), O_PATH);
  if ('errno' in program) return unknown('EACCES');
  if (program.stats.isDirectory()) return { code: 'is-directory', path: shown(child.program), text: `${where(child)} is a directory` };
  if (!program.stats.isFile()) return { code: 'not-executable', path: shown(child.program), text: `${where(child)} is not a regular file, and only a regular file can be executed` };
  const mount = noexecMount(program.real);
  if (mount) return { code: 'noexec-mount', path: mount, text: `${where(child)} lies on the filesystem mounted at ${mount} with noexec: nothing on it may be executed, whatever its mode` };
  if (!allowed(child, program.stats, 1)) {
    const mode = (program.stats.mode & 0o777).toString(8).padStart(4, '0');
    return { code: 'not-executable', path: shown(child.program), text: `${where(child)} (mode ${mode}, owner ${program.stats.uid}, group ${program.stats.gid}) has no execute permission for the child (${ids(child)}), checked from its mode bits` };
  }
  return unknown('EACCES');
}

/** The mount point of the mount holding `file` (a path in the lab's view), when it is noexec. */
function noexecMount(file: string): string | null {
  let best: { point: string; noexec: boolean } | null = null;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" (proc(5))
    const fields = line.split(' ');
    if (fields.length < 6) continue;
    const point = fields[4]!.replace(/\\040/g, ' ');
    const inside = file === point || file.startsWith(point === '/' ? '/' : `${point}/`);
    if (inside && (!best || point.length >= best.point.length)) best = { point, noexec: fields[5]!.split(',').includes('noexec') };
  }
  return best?.noexec ? best.point : null;
}

// ----------------------------------------------------------------------------- ENOEXEC

const isElf = (start: Buffer) => start.length >= 20 && start.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));

function notRunnable(child: ChildView): ExecCause {
  const start = head(child, child.program, 64);
  if (!start) return unknown('ENOEXEC');
  if (isElf(start)) {
    const machine = start.readUInt16LE(18);
    const host = HOST_MACHINES[process.arch];
    if (host !== undefined && machine !== host) {
      const name = (m: number | undefined) => (m === undefined ? 'unknown' : (MACHINE_NAMES[m] ?? `machine ${m}`));
      return { code: 'wrong-architecture', path: shown(child.program), text: `${where(child)} is an ELF for ${name(machine)} (e_machine ${machine}); this machine is ${name(host)} (${host})` };
    }
    return unknown('ENOEXEC');
  }
  if (start.subarray(0, 2).toString('latin1') !== '#!') {
    return {
      code: 'no-shebang',
      path: shown(child.program),
      text: `${where(child)} is neither an ELF binary nor a script with a #! line. execve does not guess; execvp(3), a shell and libuv would run such a file with /bin/sh, but the lab, like Go and posix_spawn, does not: add a #! line (#!/bin/sh)`,
    };
  }
  return unknown('ENOEXEC');
}

/** The loader an ELF names in its PT_INTERP program header (64-bit little-endian ELFs). */
function elfInterpreter(header: Buffer): string | null {
  if (header[4] !== 2 || header[5] !== 1) return null;
  const phoff = Number(header.readBigUInt64LE(0x20));
  const phentsize = header.readUInt16LE(0x36);
  const phnum = header.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 40 > header.length) return null;
    if (header.readUInt32LE(at) !== 3) continue; // PT_INTERP
    const offset = Number(header.readBigUInt64LE(at + 8));
    const size = Number(header.readBigUInt64LE(at + 32));
    if (offset + size > header.length) return null;
    return header.subarray(offset, offset + size).toString('latin1').replace(/\0.*$/, '');
  }
  return null;
}

// ----------------------------------------------------------------------------- ETXTBSY

/** Who holds the program open for writing, when it can be seen in /proc. */
function textBusy(child: ChildView): ExecCause {
  const real = withFile(child, child.program, ({ fd }) => readlinkSync(`/proc/self/fd/${fd}`), O_PATH);
  const target = typeof real === 'string' ? real : null;
  const holder = target ? writerOf(target) : null;
  const text = holder
    ? `${where(child)} is open for writing by pid ${holder.pid} (${holder.comm}), and the kernel refuses to run a file being written`
    : `${where(child)} was open for writing when the child exec'd it, and the kernel refuses to run a file being written; the writer was not seen (often a short-lived fork elsewhere that held it for a moment, golang/go#22315)`;
  return { code: 'text-busy', path: shown(child.program), text };
}

function writerOf(target: string): { pid: number; comm: string } | null {
  for (const d of openDescriptors()) {
    // O_WRONLY or O_RDWR (the low two bits of its open flags)
    if (d.target === target && ((descriptorFlags(d.pid, d.fd) ?? 0) & 3) !== 0) return { pid: d.pid, comm: commOf(d.pid) };
  }
  return null;
}

// -------------------------------------------------------------------------------- E2BIG

const size = (s: NativeBytes) => (typeof s === 'string' ? Buffer.byteLength(s) : s.length) + 1;

const stringsOf = (child: ChildView) => [...child.argv.map((s, i) => ({ s, name: `argv[${i}]` })), ...child.envp.map((s, i) => ({ s, name: `envp[${i}]` }))];
const totalOf = (strings: { s: NativeBytes }[]) => strings.reduce((sum, { s }) => sum + size(s) + POINTER, 0) + 2 * POINTER;
const limitOf = (child: ChildView) =>
  child.stackLimit === 'unlimited' ? MAX_ARG_TOTAL : Math.min(MAX_ARG_TOTAL, Math.max(MAX_ARG_STRLEN, Math.floor(child.stackLimit / 4)));

function overLimit(child: ChildView): boolean {
  const strings = stringsOf(child);
  return strings.some(({ s }) => size(s) > MAX_ARG_STRLEN) || totalOf(strings) > limitOf(child);
}

function tooLong(child: ChildView): ExecCause {
  const strings = stringsOf(child);
  const big = strings.find(({ s }) => size(s) > MAX_ARG_STRLEN);
  if (big) {
    return { code: 'arg-list-too-long', text: `${big.name} is ${size(big.s).toLocaleString('en')} bytes with its NUL, over MAX_ARG_STRLEN (${MAX_ARG_STRLEN.toLocaleString('en')} bytes): no single argument or environment string may be longer` };
  }
  const total = totalOf(strings);
  const limit = limitOf(child);
  return {
    code: 'arg-list-too-long',
    text: `argv and envp take ${total.toLocaleString('en')} bytes (${strings.length} strings, each with its NUL and a pointer), over the limit of ${limit.toLocaleString('en')}: a quarter of the child's RLIMIT_STACK (${child.stackLimit === 'unlimited' ? 'unlimited' : child.stackLimit.toLocaleString('en')}), at most ${MAX_ARG_TOTAL.toLocaleString('en')}`,
  };
}

/** The lab's own RLIMIT_STACK soft limit (what a child inherits unless its profile sets one). */
export function labStackLimit(): number | 'unlimited' {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max stack size'));
  const soft = line?.slice(26).trim().split(/\s+/)[0];
  return soft === undefined || soft === 'unlimited' ? 'unlimited' : Number(soft);
}

/**
 * What would make the execve fail, known before the launch: the same checks as after a
 * failure, run ahead (the program, its interpreter or loader, the directories on its way,
 * its mount, its mode, its kind), and the sizes of argv and envp. A file open for writing
 * now (ETXTBSY) may be closed by then: not predicted. Null when nothing is found.
 */
export function predictCause(child: ChildView): { errno: string; cause: ExecCause } | null {
  if (unreachable(child, child.program) === ERRNO.ELOOP) return { errno: 'ELOOP', cause: symlinkLoop(child) };
  const checks: [string, (c: ChildView) => ExecCause][] = [['ENOENT', missing], ['EACCES', denied], ['ENOEXEC', notRunnable]];
  for (const [errno, check] of checks) {
    const cause = check(child);
    if (cause.code !== 'unknown') return { errno, cause };
  }
  return overLimit(child) ? { errno: 'E2BIG', cause: tooLong(child) } : null;
}

/** The child of `profile`, launched as `spec`, as it was at its execve. */
export function childViewOf(profile: NormalizedProfile, spec: NativeSpec): ChildView {
  const { sys } = profile;
  const stack = sys.rlimits.STACK?.soft;
  return {
    // chroot resolves against the lab's working directory, which the child still had then.
    root: sys.chroot ? path.resolve(sys.chroot) : '/',
    // Without chdir a relative program resolves against the lab's own directory.
    dir: spec.dir ?? (sys.chroot ? undefined : process.cwd()),
    program: spec.path,
    uid: sys.credential?.uid ?? process.getuid!(),
    gid: sys.credential?.gid ?? process.getgid!(),
    groups: sys.credential ? (sys.credential.noSetGroups ? process.getgroups!() : sys.credential.groups) : process.getgroups!(),
    argv: spec.argv,
    envp: spec.envp,
    stackLimit: stack ?? labStackLimit(),
  };
}

/** An execve's error with its cause, from the checks above; any other error as it is. */
export function withCause(error: ExecError | null, profile: NormalizedProfile, spec: NativeSpec): ExecError | null {
  if (!error || error.step !== 'execve' || error.errno === 0 || spec.execByFd) return error;
  return { ...error, cause: execCause(error.code, childViewOf(profile, spec)) };
}
