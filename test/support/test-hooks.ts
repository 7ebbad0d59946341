// The test-only native helpers (native/test/test_hooks.cc).
import { nativeBuildDir } from '../../src/main/lab/engine';

interface TestHooks {
  openWithoutCloexec(path: string): number;
  /** waitpid(pid) here and now, blocking: the pid it reaped, or -errno. */
  reapBehindTheLabsBack(pid: number): number;
  /**
   * Starts `threads` native threads that open `path` and dup it, both without
   * O_CLOEXEC, then close both, in a loop. Throws when `path` cannot be opened or a
   * churn is already running.
   */
  startFdChurn(path: string, threads: number): void;
  /**
   * Stops and joins the churn threads (none of their descriptors is left open) and
   * returns how many descriptors they opened; throws if a thread's open or dup failed.
   */
  stopFdChurn(): number;
}

export const testHooks = require(`${nativeBuildDir()}/proclab_test_hooks.node`) as TestHooks;
