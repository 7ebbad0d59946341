// A running process's descriptors -> the profile's files[]: what it holds open now, each by
// its /proc link and open flags (proc(5): /proc/PID/fd, fdinfo). A regular file or a device
// is opened again by path, with the same access; /dev/null is null. What cannot be opened
// again (a pipe, a socket, someone's terminal, an anonymous inode, a deleted file) gets the
// nearest source the lab has (a pipe it captures, its own pseudo-terminal) or stays closed,
// each with a warning and a line for the profile's description.
import { constants, statSync } from 'node:fs';

import type { InspectedFd } from '../../../shared/inspect';
import type { Profile } from '../../../shared/profile';
import { descriptorInfo } from '../proc-fds';

type FileSpec = NonNullable<Profile['files']>[number];

export interface ProcessFiles {
  files: FileSpec[];
  /** Sentences for the warnings and the profile's description. */
  notes: string[];
}

/** The access bits of open flags (fcntl.h; Node's constants leave it out). */
const O_ACCMODE = 3;

const TERMINAL = /^\/dev\/(pts\/\d+|tty\w*|console)$/;

function accessMode(flags: number): 'r' | 'w' | 'a' | 'rw' {
  const access = flags & O_ACCMODE;
  if (access === constants.O_RDONLY) return 'r';
  if (access === constants.O_RDWR) return 'rw';
  return flags & constants.O_APPEND ? 'a' : 'w';
}

function peersOf(fd: InspectedFd): string {
  const peers = (fd.peers ?? []).map((p) => `pid ${p.pid} (${p.comm}) fd ${p.fd}`);
  return peers.length > 0 ? `shared with ${peers.join(', ')}` : 'no other process holds it';
}

function slotOf(pid: number, fd: InspectedFd): { spec: FileSpec; note?: string } {
  const { target } = fd;
  const at = `fd ${fd.fd}`;
  if (target === null) return { spec: { type: 'closed' }, note: `${at}: its target could not be read: closed` };
  if (target === '/dev/null') return { spec: { type: 'null' } };
  if (target.startsWith('pipe:')) return { spec: { type: 'pipe' }, note: `${at} is a pipe (${target}, ${peersOf(fd)}) that cannot be opened again: the lab gives a pipe of its own, which it captures` };
  if (target.startsWith('socket:')) {
    return { spec: { type: 'pipe' }, note: `${at} is a socket (${fd.address ?? target}, ${peersOf(fd)}) that cannot be opened again: the lab gives a pipe of its own, which it captures` };
  }
  if (TERMINAL.test(target)) return { spec: { type: 'pty' }, note: `${at} is the terminal ${target}, someone else's: the lab gives it the run's own pseudo-terminal` };
  if (!target.startsWith('/') || target.endsWith(' (deleted)')) {
    return { spec: { type: 'closed' }, note: `${at} is ${target}, which has no path to open again: closed` };
  }
  const info = descriptorInfo(pid, fd.fd);
  if (info === null) return { spec: { type: 'closed' }, note: `${at}: its open flags could not be read: closed` };
  const mode = accessMode(info.flags);
  let regular = false;
  try {
    regular = statSync(target).isFile();
  } catch {
    return { spec: { type: 'closed' }, note: `${at} is ${target}, which this user cannot see now: closed` };
  }
  const spec: FileSpec = { type: 'file', path: target, mode };
  if (regular && info.pos > 0 && mode !== 'a') return { spec, note: `${at}: ${target} is at offset ${info.pos} in the process; the lab opens it at the start` };
  if (mode === 'rw' && info.flags & constants.O_APPEND) return { spec, note: `${at}: ${target} is open read-write and appending, which a profile's mode cannot say: read-write` };
  return { spec };
}

/** The slots of a process's descriptors, from 0 to its highest one that survives an exec. */
export function processFiles(pid: number, fds: readonly InspectedFd[]): ProcessFiles {
  const notes: string[] = [];
  // A close-on-exec descriptor did not come through its exec (it would have been closed):
  // the program opened it, or marked it, itself.
  const cloexec = fds.filter((fd) => fd.cloexec !== false).map((fd) => fd.fd);
  if (cloexec.length > 0) notes.push(`fds ${cloexec.join(', ')} are close-on-exec, so the program opened (or marked) them itself after its exec: left out`);
  const kept = new Map(fds.filter((fd) => fd.cloexec === false).map((fd) => [fd.fd, fd]));
  const last = Math.max(-1, ...kept.keys());
  const files: FileSpec[] = [];
  for (let n = 0; n <= last; n++) {
    const fd = kept.get(n);
    if (!fd) {
      files.push({ type: 'closed' });
      continue;
    }
    const { spec, note } = slotOf(pid, fd);
    files.push(spec);
    if (note) notes.push(note);
  }
  return { files, notes };
}
