// Sandbox mode's inputs and host table: a seed-style `Files []int` typed as text (`1 0 2`,
// `2, 0`, `[]int{-1, 5, 3, 4}`), a sketch of which fds the lab has open, and the host table
// the plan starts from (the sketch's fds, the sources, and both ends of the status pipe).
import type { SandboxPlan } from './api';
import { labFdSource } from './fd-sources';
import { hostTable, type FdTable } from './fd-view';

/** The lab's limits for sandbox lists (api-params.ts checks requests against the same). */
export const SANDBOX_MAX_ENTRIES = 1024;
export const SANDBOX_MAX_FD = 65535;

export type FdListOutcome = { ok: true; fds: number[] } | { ok: false; error: string };

/** `files`: -1 allowed (closed), repeats allowed · `host`: each fd at most once, none negative. */
export type FdListKind = 'files' | 'host';

/**
 * Parses a list of descriptor numbers separated by commas and/or spaces (a trailing comma
 * is fine, as in Go). A Go literal's frame is accepted too: `[]int{1, 0, 2}`, `[1 0 2]`.
 */
export function parseFdList(text: string, kind: FdListKind): FdListOutcome {
  const body = text
    .trim()
    .replace(/^\[\]\s*(?:u?int\w*|uintptr)?\s*\{(.*)\}$/s, '$1')
    .replace(/^\[(.*)\]$/s, '$1')
    .trim();
  if (body === '') return { ok: true, fds: [] };
  const items = body.split(/[\s,]+/).filter((item) => item !== '');
  if (body.startsWith(',') || /,\s*,/.test(body)) return { ok: false, error: 'an empty entry (a leading comma, or two in a row)' };
  if (items.length > SANDBOX_MAX_ENTRIES) return { ok: false, error: `${items.length} entries: at most ${SANDBOX_MAX_ENTRIES}` };
  const fds: number[] = [];
  const seen = new Set<number>();
  for (const [i, item] of items.entries()) {
    const where = kind === 'files' ? `files[${i}]` : `entry ${i + 1}`;
    if (!/^-?\d+$/.test(item)) return { ok: false, error: `${where}: “${item}” is not a whole number` };
    const fd = Number(item);
    if (kind === 'files' && fd < -1) return { ok: false, error: `${where}: ${item} is below -1 (-1 means closed in the child)` };
    if (kind === 'host' && fd < 0) return { ok: false, error: `${where}: ${item} is negative (a descriptor is 0 or more)` };
    if (fd > SANDBOX_MAX_FD) return { ok: false, error: `${where}: ${item} is above ${SANDBOX_MAX_FD}` };
    if (kind === 'host' && seen.has(fd)) return { ok: false, error: `fd ${fd} is listed twice` };
    seen.add(fd);
    fds.push(fd === 0 ? 0 : fd); // no -0
  }
  return { ok: true, fds };
}

/** The default sketch: the lab's 0, 1 and 2, and every source the files name. */
export function defaultSketch(files: readonly number[]): number[] {
  return [...new Set([0, 1, 2, ...files.filter((fd) => fd >= 0)])].sort((a, b) => a - b);
}

/** The list as the inputs show it: `0 1 2 3`. */
export const fdListText = (fds: readonly number[]): string => fds.join(' ');

/**
 * The host side of a sandbox plan: each source the sketch has (a source it lacks is left
 * out, so the walk shows its op failing with EBADF, as a launch would), the sketch's other
 * fds, the status pipe's write end (the child's) and its read end (the lab's, also
 * inherited until exec).
 */
export function sandboxHostTable(plan: Pick<SandboxPlan, 'slotFds' | 'statusFd' | 'statusReadFd'>, sketch: readonly number[]): FdTable {
  const open = new Set(sketch);
  const sources = plan.slotFds.map((fd) => (open.has(fd) ? fd : -1));
  const readEnd = { fd: plan.statusReadFd, source: { id: 'status-read', kind: 'status' as const, label: 'the status pipe (read end)' }, cloexec: true };
  return hostTable(sources, plan.statusFd, labFdSource, [...sketch, readEnd]);
}
