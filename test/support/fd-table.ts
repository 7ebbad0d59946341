// A process's descriptor table, simulated: an independent oracle for the planner's fd
// ops. It knows only what the kernel does with each call, nothing about how plans are made.
import type { NativePlanEntry } from '../../src/main/lab/engine';

interface Slot {
  object: string; // what the descriptor refers to (e.g. 'host:5')
  cloexec: boolean;
}

export interface FdError {
  call: string;
  errno: 'EBADF';
}

export class FdTable {
  private readonly fds = new Map<number, Slot>();
  // Failed dup2/fcntl calls (each would end the real child). close() on a closed fd is
  // not recorded: the plan ignores close errors.
  readonly errors: FdError[] = [];

  // A table where each listed host fd refers to its own object, `host:<fd>`.
  static host(fds: { fd: number; cloexec: boolean }[]): FdTable {
    const table = new FdTable();
    for (const { fd, cloexec } of fds) table.fds.set(fd, { object: `host:${fd}`, cloexec });
    return table;
  }

  objectAt(fd: number): string | undefined {
    return this.fds.get(fd)?.object;
  }

  dup2(from: number, to: number, call = `dup2(${from}, ${to})`): void {
    const source = this.fds.get(from);
    if (!source) return this.fail(call);
    if (from === to) return; // the kernel changes nothing, close-on-exec included
    this.fds.set(to, { object: source.object, cloexec: false });
  }

  setCloexec(fd: number, on: boolean, call = `fcntl(${fd}, F_SETFD, ${on ? 1 : 0})`): void {
    const slot = this.fds.get(fd);
    if (!slot) return this.fail(call);
    slot.cloexec = on;
  }

  close(fd: number): void {
    this.fds.delete(fd);
  }

  // close_range(from, ~0U, CLOSE_RANGE_CLOEXEC)
  cloexecFrom(from: number): void {
    for (const [fd, slot] of this.fds) if (fd >= from) slot.cloexec = true;
  }

  // Every fd op and the closefds step of a plan, in order; other steps change no descriptor.
  apply(plan: NativePlanEntry[]): this {
    for (const entry of plan) {
      if (entry.step === 'closefds') this.cloexecFrom(closeRangeStart(entry));
      if (entry.step !== 'fd') continue;
      const args = entry.args ?? [];
      if (entry.op === 'dup2') this.dup2(args[0], args[1], entry.call);
      else if (entry.op === 'fcntl') this.setCloexec(args[0], args[1] === 1, entry.call);
      else if (entry.op === 'close') this.close(args[0]);
      else throw new Error(`unknown fd op in ${JSON.stringify(entry)}`);
    }
    return this;
  }

  // execve: close-on-exec descriptors go; the rest, fd -> object, in fd order.
  exec(): Map<number, string> {
    const kept = [...this.fds].filter(([, slot]) => !slot.cloexec).sort(([a], [b]) => a - b);
    return new Map(kept.map(([fd, slot]) => [fd, slot.object]));
  }

  private fail(call: string): void {
    this.errors.push({ call, errno: 'EBADF' });
  }
}

// close_range's first fd, and its call text saying the same.
function closeRangeStart(entry: NativePlanEntry): number {
  const [from] = entry.args ?? [];
  if (entry.op !== 'close_range' || entry.call !== `close_range(${from}, ~0U, CLOSE_RANGE_CLOEXEC)`) {
    throw new Error(`unexpected closefds entry ${JSON.stringify(entry)}`);
  }
  return from;
}
