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

/** The open flags of a descriptor (fdinfo's octal "flags:"), or null when it cannot be read. */
export function descriptorFlags(pid: number, fd: number): number | null {
  try {
    const flags = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags === undefined ? null : parseInt(flags, 8);
  } catch {
    return null;
  }
}

/** A process's command name, or "?" when it is gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
