// Open descriptors as /proc shows them (proc(5)): every one of every process this user may
// read, and one descriptor's flags. For who holds a pipe's other end (inspect.ts), who keeps
// a run's output open (run.ts), and who has a program open for writing (exec-cause.ts).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface OpenDescriptor {
  pid: number;
  fd: number;
  /** Its /proc link: a path, "pipe:[123]", "socket:[456]"... */
  target: string;
}

/** Every open descriptor of every process we may read; those closing meanwhile are skipped. */
export function* openDescriptors(): Generator<OpenDescriptor> {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        yield { pid: Number(name), fd: Number(fd), target: readlinkSync(`/proc/${name}/fd/${fd}`) };
      } catch {
        // closed meanwhile
      }
    }
  }
}

/** A descriptor's open flags (fdinfo's octal "flags:") and file offset ("pos:"), or null when they cannot be read. */
export function descriptorInfo(pid: number, fd: number): { flags: number; pos: number } | null {
  try {
    const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    const flags = /^flags:\s+(\d+)/m.exec(info)?.[1];
    const pos = /^pos:\s+(\d+)/m.exec(info)?.[1];
    return flags === undefined ? null : { flags: parseInt(flags, 8), pos: Number(pos ?? 0) };
  } catch {
    return null;
  }
}

/** The open flags of a descriptor, or null when they cannot be read. */
export function descriptorFlags(pid: number, fd: number): number | null {
  return descriptorInfo(pid, fd)?.flags ?? null;
}

/** A process's command name, or "?" when it is gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
