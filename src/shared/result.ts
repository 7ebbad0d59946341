// The run result (the README's "The library"): what the lab planned, what the child did, and how it ended.
import type { StepName } from './steps';

/** One operation the engine will perform; each fd operation is its own entry. */
export interface PlanOp {
  step: StepName;
  /** The call as C would spell it: `dup2(5, 1)`, `chdir("/tmp")`. */
  call: string;
  /** For `fd` steps: pass 1 moves sources out of the way, pass 2 puts each files[i] onto i. */
  pass?: 1 | 2;
  /** For `fd` steps: the child fd (files[] index) this operation serves; -1 for the status pipe. */
  slot?: number;
  /** For `fd` and `closefds` steps: the call and its numbers. dup2: from, to · fcntl (F_SETFD): fd, cloexec 0/1 · close: fd · close_range (CLOEXEC, to ~0U): the first fd. */
  op?: 'dup2' | 'fcntl' | 'close' | 'close_range';
  args?: number[];
  /** Seed plan only: slots whose source this operation destroys (golang/go#61751); -2 is the status pipe. */
  clobbers?: number[];
}

/**
 * What became of one operation of the plan, in order, up to the failing one or execve; a
 * child that died during its setup lists every op, those it never reached as not run.
 * `done`: it succeeded (execve: the program runs); `failed`: it returned an error;
 * `not-run`: the child never got to it; `unknown`: the child died in it, or whether it
 * succeeded could not be seen.
 */
export type TraceState = 'done' | 'failed' | 'not-run' | 'unknown';

export interface TraceEntry {
  step: StepName;
  call: string;
  /** true only for state `done` (kept for readers of the first contract). */
  ok: boolean;
  state: TraceState;
  errno?: number;
  code?: string;
  /** The call failed but the step does not stop the launch for it. */
  ignored?: boolean;
}

/** The step that ended the launch before the program ran. */
export interface ExecError {
  step: StepName;
  errno: number;
  code: string;
  /** strerror text. */
  message: string;
  /** For `open` and `fd` steps: the child fd (files[] index) involved. */
  file?: number;
  /**
   * The child never ran its program, and no call failed: it died during its setup (code
   * `DIED_IN_SETUP`, errno 0), in or before plan op `op` (0-based) of `of`; or (code
   * `EXEC_UNKNOWN`) it died around its execve and whether the program started could not be
   * seen.
   */
  died?: { op: number; of: number };
  /** Why an execve failed, from what the lab checked after the failure (never the errno alone). */
  cause?: ExecCause;
}

export const EXEC_CAUSE_CODES = [
  'program-missing',
  'interpreter-missing',
  'interpreter-crlf',
  'elf-interpreter-missing',
  'not-executable',
  'dir-not-searchable',
  'noexec-mount',
  'is-directory',
  'no-shebang',
  'wrong-architecture',
  'text-busy',
  'arg-list-too-long',
  'symlink-loop',
  'unknown',
] as const;

export type ExecCauseCode = (typeof EXEC_CAUSE_CODES)[number];

export interface ExecCause {
  code: ExecCauseCode;
  /** The file the cause is about: the program, its interpreter, a directory, a mount point. */
  path?: string;
  /** In words a user can act on. */
  text: string;
}

export type RunEvent =
  | { atMs: number; kind: 'stopped'; signal: string; number: number }
  /**
   * A traced child stopped for a signal before its execve, and the lab, its tracer,
   * resumed it at once: with the signal delivered (as if untraced), or without it (a
   * signal that would have stopped it before its program ran).
   */
  | { atMs: number; kind: 'answered'; signal: string; number: number; delivered: boolean }
  | { atMs: number; kind: 'continued' }
  | { atMs: number; kind: 'detached' };

export type WaitStatus =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string; number: number; coreDumped: boolean };

export interface Rusage {
  userMs: number;
  systemMs: number;
  maxRssKb: number;
}

/**
 * Which file a descriptor refers to: fstat's st_dev and st_ino (as Node's fs.Stats gives
 * them, numbers). It names the inode, not the open file description: two slots opened on
 * the same path, or every /dev/null, share one identity; the two ends of one pipe share one
 * too. Enough to tell which source a child descriptor came from, whatever its number.
 */
export interface FdIdentity {
  dev: number;
  ino: number;
}

/** The descriptors a launch handed to its child, as the lab had them just before the clone. */
export interface LaunchFds {
  /** The host fd each child slot (files[] index) came from; -1 for a closed slot. */
  slotFds: number[];
  /** The status pipe's write end in the lab (the child moves it out of the way in pass 1). */
  statusFd: number;
  /** fstat of each slot's host fd just before the clone; null for a closed slot, or when fstat failed (an inherited fd that is not open). */
  sourceIds: (FdIdentity | null)[];
  /** fstat of the status pipe's write end; a child that kept it would show this identity. */
  statusId: FdIdentity | null;
}

export interface RunResult {
  version: 1;
  /** null only when fork/clone itself failed. */
  pid: number | null;
  /** The resolved program. */
  path: string;
  plan: PlanOp[];
  trace: TraceEntry[];
  /** null when execve succeeded. */
  execError: ExecError | null;
  events: RunEvent[];
  status: WaitStatus | null;
  rusage: Rusage | null;
  /** Captured text by child fd ("1", "2") and "pty". */
  output: Record<string, string>;
  /**
   * Output keys still open when the run ended: the child exited, but descendants still
   * hold the pipe (its write end was inherited), so the run stopped waiting for the end.
   */
  outputHeldOpen?: string[];
  /** For each key of outputHeldOpen: the processes seen holding it then (pid and command); [] when none could be seen. */
  outputHolders?: Record<string, { pid: number; comm: string }[]>;
  /** Characters dropped from the start of a stream's `output` (it keeps the last 64 Mi); absent when nothing was. */
  outputDropped?: Record<string, number>;
  timedOut: boolean;
  /** When the timeout's SIGKILL went to more than the child (stopScope): what it reached, and why it failed if it did. */
  timeoutKilled?: { scope: 'group' | 'cgroup'; target: string; error?: string };
  durationMs: number;
  /**
   * Added field (the result may grow fields): where each child slot came from, by number
   * and by identity, to match against the table the child really got. Absent when no child
   * was cloned (a lookup or open failure).
   */
  fds?: LaunchFds;
}
