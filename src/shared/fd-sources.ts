// What each host descriptor of a launch is, for the fd view's host table (fd-view.ts's
// `sourceOf`), and which file (dev/ino) each source is, to match the child's real table.
// Two sources share an id only when they are the same open file: every source the lab opens
// (/dev/null, a file, a pipe end) is its own, an inherit of host fd N is `host:N`, and every
// pty slot shares the run's one pty.
import type { FdSource, FdTable } from './fd-view';
import { isHexBytes, showBytes } from './bytes';
import type { FdIdentity, LaunchFds } from './result';

/** A files[] entry as written, checked or not: the builder's may still hold typed text. */
interface FileEntry {
  type?: unknown;
  fd?: unknown;
  path?: unknown;
  mode?: unknown;
}

const MODE_WORDS: Readonly<Record<string, string>> = { r: 'read', w: 'write', a: 'append', rw: 'read-write' };

/** A descriptor the lab holds that files[] says nothing about (the sandbox's sketch). */
export function labFdSource(fd: number): FdSource {
  return { id: `host:${fd}`, kind: 'host', label: `the lab's fd ${fd}` };
}

/** What the lab's host fd `fd` is when it was opened (or inherited) for child slot `slot`. */
export function fileSource(file: FileEntry | null | undefined, slot: number, fd: number): FdSource {
  const own = `open:${slot}`;
  switch (file?.type) {
    case 'null':
      return { id: own, kind: 'null', label: '/dev/null' };
    case 'pipe':
      return { id: own, kind: 'pipe', label: slot === 0 ? 'pipe from the lab (stdin)' : `pipe to the lab (output ${slot})` };
    case 'file':
      return { id: own, kind: 'file', label: `${isHexBytes(file.path) ? showBytes(file.path) : String(file.path)} (${MODE_WORDS[String(file.mode)] ?? String(file.mode)})` };
    case 'pty':
      return { id: 'pty', kind: 'pty', label: 'the pty slave' };
    case 'inherit':
      return { id: `host:${String(file.fd)}`, kind: 'inherit', label: `the lab's fd ${String(file.fd)}` };
    default:
      return labFdSource(fd);
  }
}

/** `sourceOf` for hostTable() from a profile's files[]. */
export function profileSources(files: readonly (FileEntry | null)[] | undefined): (fd: number, slot: number) => FdSource {
  return (fd, slot) => fileSource(files?.[slot], slot, fd);
}

/**
 * The file (dev/ino) behind each source id of a host table, as the lab saw it just before
 * the clone: the source of slot s is the host entry at slotFds[s], whose file is
 * sourceIds[s]; the status pipe's is statusId. null: the lab could not fstat it.
 */
export function sourceIdentities(host: FdTable, fds: LaunchFds): Map<string, FdIdentity | null> {
  const byFd = new Map(host.map((e) => [e.fd, e.source.id]));
  const out = new Map<string, FdIdentity | null>([['status', fds.statusId ?? null]]);
  fds.slotFds.forEach((fd, slot) => {
    const id = byFd.get(fd);
    if (id === undefined || out.get(id)) return;
    out.set(id, fds.sourceIds[slot] ?? null);
  });
  return out;
}

/** Source id -> the host fd it is at in the lab (the lowest, when several hold it). */
export function hostFdOfSource(host: FdTable): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of host) if (!out.has(e.source.id)) out.set(e.source.id, e.fd);
  return out;
}
