// The child's real descriptor table, to set beside the predicted one: read from
// /proc/PID/fd while the child runs, or taken from the probe's report.
//
// A program may open, close and move its own descriptors after exec (the dynamic loader
// holds each library open while it maps it; a shell redirects), so a table read from /proc
// is a snapshot at the time it was read, not a record of what exec handed over. It is read
// as soon as the lab knows the exec succeeded, before anything else is done for the run.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

import type { ObservedFd, ProbeReport } from '../../shared/api';
import { describeErrno } from '../../shared/errno';
import type { ExecError } from '../../shared/result';

export interface Observed {
  fds: ObservedFd[];
  /** Why there is no table (fds is then empty). */
  error?: string;
}

export const EXITED_BEFORE_READ = 'the child exited before its descriptors could be read';

const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_CLOEXEC = 0o2000000;

type ProcState = 'alive' | 'exited';

// Alive: /proc/PID is still our child and not a zombie. A reaped child's pid could in
// principle be reused; a process that is not our child is not the run's.
function procState(pid: number): ProcState {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'exited';
  }
  // comm (field 2) may hold spaces and ')': the fields after the last ')' are state, ppid, ...
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (state === 'Z' || state === 'X' || state === 'x') return 'exited';
  return Number(ppid) === process.pid ? 'alive' : 'exited';
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function failure(what: string, err: unknown): string {
  const code = errnoOf(err);
  if (!code) return `${what} could not be read: ${err instanceof Error ? err.message : String(err)}`;
  const errno = (err as NodeJS.ErrnoException).errno;
  const message = errno !== undefined ? describeErrno(-errno).message : undefined;
  return `${what} could not be read: ${code}${message ? ` (${message})` : ''}`;
}

// fdinfo's "flags:" is the open file's flags in octal, with O_CLOEXEC added when the
// descriptor is close-on-exec.
function parseFlags(fdinfo: string): number | null {
  const m = /^flags:\s*([0-7]+)\s*$/m.exec(fdinfo);
  return m ? parseInt(m[1]!, 8) : null;
}

function accessOf(flags: number): ObservedFd['access'] {
  const mode = flags & O_ACCMODE;
  return mode === O_WRONLY ? 'w' : mode === O_RDWR ? 'rw' : 'r';
}

/**
 * Reads the child's table now: per descriptor, readlink of /proc/PID/fd/N, stat through it
 * for dev/ino, and /proc/PID/fdinfo/N for close-on-exec and the access mode. Synchronous on
 * purpose: a few syscalls per descriptor, and nothing runs between exec and the read.
 */
export function readProcFds(pid: number): Observed {
  if (procState(pid) !== 'alive') return { fds: [], error: EXITED_BEFORE_READ };
  const dir = `/proc/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (procState(pid) !== 'alive') return { fds: [], error: EXITED_BEFORE_READ };
    return { fds: [], error: failure(dir, err) };
  }
  const fds: ObservedFd[] = [];
  // A descriptor listed but gone by the time it is read: the child closed it, or exited.
  let vanished = false;
  for (const name of names) {
    const fd = Number(name);
    try {
      const target = readlinkSync(`${dir}/${fd}`);
      const st = statSync(`${dir}/${fd}`);
      const flags = parseFlags(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (flags === null) return { fds: [], error: `/proc/${pid}/fdinfo/${fd} has no flags line` };
      fds.push({ fd, target, dev: st.dev, ino: st.ino, cloexec: (flags & O_CLOEXEC) !== 0, access: accessOf(flags) });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') {
        vanished = true;
        continue;
      }
      return { fds: [], error: failure(`${dir}/${fd}`, err) };
    }
  }
  // An exiting process drops its whole table before it turns zombie: an empty or partial
  // read followed by the exit is the exit's doing, not the child's table.
  if ((vanished || fds.length === 0) && procState(pid) !== 'alive') return { fds: [], error: EXITED_BEFORE_READ };
  fds.sort((a, b) => a.fd - b.fd);
  return { fds };
}

/** The probe's report, as observed descriptors. */
export function probeFds(report: ProbeReport): ObservedFd[] {
  return report.fds.map((f) => ({
    fd: f.fd,
    target: f.target,
    dev: f.dev ?? null,
    ino: f.ino ?? null,
    cloexec: f.cloexec,
    access: f.access === 'w' || f.access === 'rw' ? f.access : 'r',
  }));
}

/** Why a child that never reached execve has no table of its own. */
export function neverRan(execError: ExecError): string {
  return `the program never ran (the ${execError.step} step failed: ${execError.code}), so there is no table to observe`;
}
