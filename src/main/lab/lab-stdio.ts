// The lab's own fd 1 and fd 2 shown as panes (issue 16): a launch may show what its child
// writes to "the lab's fd 1" and "the lab's fd 2" instead of sending it where the lab's own
// output goes (in browser mode, the server's log, which a student never sees). Each slot
// that inherits the lab's fd 1 or 2 inherits, in its place, the write end of a pipe that
// stands in for it; the lab reads the pipe under the key "lab-1" or "lab-2". The child's
// table has the same shape (a swap stays a swap: its fd 1 is the stand-in for the lab's
// fd 2), and the plan shows the stand-ins' numbers, since those are what the child dup2s.
import { closeSync } from 'node:fs';

import type { FileSpec } from '../../shared/profile';
import { labStdioFdsInherited, labStdioKey } from '../../shared/lab-stdio';
import { engine } from './engine';

export interface StandIns {
  /** The profile's files with each inherited lab fd 1 or 2 replaced by its stand-in. */
  files: FileSpec[];
  /** The read ends, by output key: the run reads them as it reads the child's pipes. */
  outputs: { key: string; fd: number }[];
  /** The write ends: closed in the lab once the child has its copies (after the clone). */
  writeEnds: number[];
}

/** Stand-ins for the lab fds 1 and 2 the files inherit; null when they inherit neither. */
export function standInLabStdio(files: readonly FileSpec[]): StandIns | null {
  const used = labStdioFdsInherited(files);
  if (used.length === 0) return null;
  const pipes = new Map<number, [number, number]>();
  for (const fd of used) {
    const ends = engine().standInPipe();
    if (typeof ends === 'number') {
      for (const made of pipes.values()) made.forEach((end) => closeSync(end));
      throw new Error(`cannot make a pipe to stand in for the lab's fd ${fd} (errno ${-ends})`);
    }
    pipes.set(fd, ends);
  }
  return {
    files: files.map((f) => (f.type === 'inherit' && pipes.has(f.fd) ? { ...f, fd: pipes.get(f.fd)![1] } : f)),
    outputs: used.map((fd) => ({ key: labStdioKey(fd), fd: pipes.get(fd)![0] })),
    writeEnds: used.map((fd) => pipes.get(fd)![1]),
  };
}
