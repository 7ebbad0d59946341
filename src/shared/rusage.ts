// A run's max RSS in words, the same in the app and the CLI. The figure is never the
// program's alone: a vfork child shares the lab's memory until its execve, a fork child has
// a copy of it, and Linux keeps the larger of that image's high-water mark (recorded in the
// child's maxrss as execve replaces it) and the program's own. So even /bin/true shows the
// lab's size, tens of MiB.
import type { ExecError } from './result';

/** KiB as people read them: "812 KiB", "64.0 MiB". */
export function kib(n: number): string {
  return n < 10240 ? `${n} KiB` : `${(n / 1024).toFixed(1)} MiB`;
}

/** Why a child's max RSS is at least the lab's size, by how far it got (its exec error, or null: the program ran). */
export function maxRssNote(execError: Pick<ExecError, 'code'> | null): string {
  if (execError === null) return "includes the lab's memory, which the child carried until its execve";
  if (execError.code === 'EXEC_UNKNOWN') return "includes the lab's memory, which the child carried until its execve or its end";
  return "the lab's memory, which the child carried: it ended before its execve";
}

/** "max RSS 64.0 MiB (includes the lab's memory, which the child carried until its execve)" */
export function maxRssText(maxRssKb: number, execError: Pick<ExecError, 'code'> | null): string {
  return `max RSS ${kib(maxRssKb)} (${maxRssNote(execError)})`;
}
