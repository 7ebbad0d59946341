// The processes this user may import (the Import dialog's picker): those whose program
// /proc lets it read (the same ptrace access check guards exe, environ, cwd and fds), with
// their user and command line. Kernel threads, which have no program, are left out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

import type { ProcessEntry } from '../../../shared/import';
import { statusOf } from '../inspect';

/** uid -> user name, from /etc/passwd (name:password:uid:...). */
function userNames(): Map<number, string> {
  try {
    return new Map(
      readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .map((line) => line.split(':'))
        .filter((fields) => fields.length >= 3 && /^\d+$/.test(fields[2]!))
        .map((fields) => [Number(fields[2]), fields[0]!]),
    );
  } catch {
    return new Map();
  }
}

function entryOf(pid: number, users: Map<number, string>): ProcessEntry | null {
  try {
    readlinkSync(`/proc/${pid}/exe`);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    if (argv.length === 0) return null;
    const uid = Number(statusOf(readFileSync(`/proc/${pid}/status`, 'utf8')).get('Uid')?.split(/\s+/)[0]);
    return { pid, uid, user: users.get(uid) ?? String(uid), command: argv.join(' ') };
  } catch {
    return null; // gone, a kernel thread, or not this user's to read
  }
}

export function listProcesses(): ProcessEntry[] {
  const users = userNames();
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((pid) => entryOf(pid, users) ?? []);
}
