// A run's ending and its streams in a few words, the same in every view that names them
// (the run view, its history, the comparison of two runs).
import type { WaitStatus } from './result';

export function statusText(status: WaitStatus): string {
  if (status.kind === 'exited') return `exited with status ${status.code}`;
  return `killed by ${status.signal} (${status.number})${status.coreDumped ? ', core dumped' : ''}`;
}

/** A captured stream by its output key: "fd 1 (stdout)", "fd 3", "pty". */
export function streamLabel(key: string): string {
  return key === '1' ? 'fd 1 (stdout)' : key === '2' ? 'fd 2 (stderr)' : key === 'pty' ? 'terminal (pty)' : `fd ${key}`;
}

/** Output keys in display order: "1", "2", …, then "pty". */
export function sortKeys(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => (a === 'pty' ? 1 : b === 'pty' ? -1 : Number(a) - Number(b)));
}
