// The test-only native helpers (native/test/test_hooks.cc).
import { nativeBuildDir } from '../../src/main/lab/engine';

interface TestHooks {
  openWithoutCloexec(path: string): number;
}

export const testHooks = require(`${nativeBuildDir()}/proclab_test_hooks.node`) as TestHooks;
