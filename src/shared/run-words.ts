// A run's ending and its streams in a few words, the same in every view that names them
// (the run view, its history, the comparison of two runs).
import { labStdioFdOf } from './lab-stdio';
import type { WaitStatus } from './result';

export function statusText(status: WaitStatus): string {
  if (status.kind === 'exited') return `exited with status ${status.code}`;
  return `killed by ${status.signal} (${status.number})${status.coreDumped ? ', core dumped' : ''}`;
}

/** A captured stream by its output key: "fd 1 (stdout)", "fd 3", "pty", "the lab's fd 1". */
export function streamLabel(key: string): string {
  const labFd = labStdioFdOf(key);
  if (labFd !== null) return `the lab’s fd ${labFd} (${labFd === 1 ? 'stdout' : 'stderr'})`;
  return key === '1' ? 'fd 1 (stdout)' : key === '2' ? 'fd 2 (stderr)' : key === 'pty' ? 'terminal (pty)' : `fd ${key}`;
}

/** Where a key comes in display order: the child's fds by number, then the lab's stand-ins, then the pty. */
const rank = (key: string): number => (key === 'pty' ? 2e9 : labStdioFdOf(key) !== null ? 1e9 + labStdioFdOf(key)! : Number(key));

/** Output keys in display order: "1", "2", …, then "lab-1", "lab-2", then "pty". */
export function sortKeys(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => rank(a) - rank(b));
}
