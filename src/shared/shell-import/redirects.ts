// A shell line's redirections -> the profile's files[] (bash(1), REDIRECTION). bash applies
// them left to right on its own descriptor table; so does this, on a table of slots. fds
// 0, 1 and 2 start as the lab's pipes (a shell's are its terminal: the lab captures them
// instead, and `proclab run` feeds fd 0 from its own input); a slot no redirection names
// between the ones that are named is closed, as `closeOtherFds` leaves it.
//
// `2>&1` makes fd 2 share fd 1's open file: one pipe, one file offset. A profile names a
// source per slot, not "the same open file as slot 1": each slot gets its own, and where
// that differs from the shell the warning says how.
import { showBytes, type Bytes } from '../bytes';
import type { Profile } from '../profile';
import { inDir } from './in-dir';
import { Unsupported, type Redirect } from './shell-command';

type FileSpec = NonNullable<Profile['files']>[number];

interface Slot {
  spec: FileSpec;
  /** Which open file it is: slots with the same id share one in the shell. */
  id: number;
  /** The redirection that made a slot a copy of another (`2>&1`). */
  copiedBy?: string;
}

/** fds past this would make a files list no one reads; a shell line has no need of them. */
const MAX_FD = 255;

const STDIO_PIPES = 3;

function fileSpec(op: Redirect['op'], path: Bytes): FileSpec {
  switch (op) {
    case '<':
      return { type: 'file', path, mode: 'r' };
    case '<>':
      return { type: 'file', path, mode: 'rw', create: true };
    case '>>':
    case '&>>':
      return { type: 'file', path, mode: 'a', create: true };
    default:
      return { type: 'file', path, mode: 'w', create: true, truncate: true };
  }
}

const isFdNumber = (text: string) => /^\d+-?$/.test(text);

function sharingWarning(fds: number[], slot: Slot): string | null {
  const [first, ...rest] = fds;
  const them = `fds ${fds.join(' and ')}`;
  const via = slot.copiedBy ? ` (${slot.copiedBy})` : '';
  switch (slot.spec.type) {
    case 'pipe':
      return `${them} share one pipe in the shell${via}; the lab captures each on a pipe of its own, so their output is kept apart (keys ${fds.map((fd) => `"${fd}"`).join(', ')}) rather than interleaved in one stream`;
    case 'file': {
      const path = showBytes(slot.spec.path);
      const offsets = slot.spec.mode === 'a' ? 'both append, so neither overwrites the other, but they no longer share flags and offset' : `writes through fd ${rest.join(', ')} can overwrite what fd ${first} wrote, and reads do not advance each other`;
      return `${them} share one open file of ${path} in the shell${via} (one offset); the lab opens ${path} once per fd, each with its own offset: ${offsets}`;
    }
    default:
      return null;
  }
}

/**
 * files[] for `redirects`, applied in order, relative paths inside `dir` (the line's cd:
 * bash opens them after it, where the lab opens files before its child's chdir).
 */
export function filesOf(redirects: readonly Redirect[], dir: Bytes | undefined): { files: FileSpec[]; warnings: string[] } {
  const table = new Map<number, Slot | null>();
  for (let fd = 0; fd < STDIO_PIPES; fd++) table.set(fd, { spec: { type: 'pipe' }, id: fd });
  let nextId = STDIO_PIPES;
  const open = (spec: FileSpec): Slot => ({ spec, id: nextId++ });

  for (const r of redirects) {
    const target = r.target === undefined ? undefined : showBytes(r.target);
    const copying = (r.op === '>&' || r.op === '<&') && target !== undefined && isFdNumber(target);
    const fd = r.fd ?? (r.op.startsWith('<') ? 0 : 1);
    if (fd > MAX_FD) throw new Unsupported(`${r.text}: fd ${fd} is past the ${MAX_FD} the importer lays out`);
    if (r.op === '>&-' || r.op === '<&-') {
      table.set(fd, null);
    } else if (copying) {
      const from = parseInt(target!, 10);
      const source = table.get(from);
      if (!source) throw new Unsupported(`${r.text}: fd ${from} is not open there, so bash refuses the redirection (Bad file descriptor) and does not run the command`);
      table.set(fd, { ...source, copiedBy: r.text });
      // `N>&M-` moves M: copy, then close M.
      if (target!.endsWith('-') && from !== fd) table.set(from, null);
    } else if (r.target === undefined) {
      throw new Unsupported(`${r.text}: a redirection without a file`);
    } else if (r.op === '&>' || r.op === '&>>' || ((r.op === '>&' || r.op === '<&') && r.fd === undefined)) {
      // `&>file` and `>&file`: stdout and stderr both to the file, one open file.
      const slot = open(fileSpec(r.op === '&>>' ? '&>>' : '>', inDir(r.target, dir)));
      table.set(1, slot);
      table.set(2, { ...slot, copiedBy: r.text });
    } else if (r.op === '>&' || r.op === '<&') {
      throw new Unsupported(`${r.text}: ${r.op} takes an fd number, not a file name, after a number`);
    } else {
      table.set(fd, open(fileSpec(r.op, inDir(r.target, dir))));
    }
  }

  const last = Math.max(...table.keys());
  const files: FileSpec[] = [];
  const byId = new Map<number, number[]>();
  for (let fd = 0; fd <= last; fd++) {
    const slot = table.get(fd);
    files.push(slot ? slot.spec : { type: 'closed' });
    if (slot) byId.set(slot.id, [...(byId.get(slot.id) ?? []), fd]);
  }
  const warnings: string[] = [];
  for (const fds of byId.values()) {
    if (fds.length < 2) continue;
    const copy = fds.map((fd) => table.get(fd)!).find((slot) => slot.copiedBy) ?? table.get(fds[0]!)!;
    const warning = sharingWarning(fds, copy);
    if (warning) warnings.push(warning);
  }
  return { files, warnings };
}
