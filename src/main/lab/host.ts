// What checking a profile needs to know about this process (src/shared's HostFacts).
import type { HostFacts } from '../../shared/host';
import { engine } from './engine';
import { childViewOf, predictCause } from './exec-cause';
import { lookPath } from './lookup';
import { toNative } from './native-bytes';
import { launchEnvironment, nativeSpec } from './spec';

// One object: its getters and calls read this process's state when asked, and a launch
// checks its profile with it every time.
const facts: HostFacts = {
  // Asked only when something reads it (the teaching warnings do; a launch does not).
  get isRoot() {
    return process.getuid?.() === 0;
  },
  get uid() {
    return process.getuid?.() ?? 0;
  },
  get gid() {
    return process.getgid?.() ?? 0;
  },
  execCause: (profile) => {
    const envp = launchEnvironment(profile, profile.secrets.map((secret) => `${secret.name}=`));
    const found = lookPath(toNative(profile.path), envp);
    if (!found.ok) return null; // the lookup's own error says so
    return predictCause(childViewOf(profile, nativeSpec(profile, found.path, envp)));
  },
  hostFd: (fd) => {
    const { open, terminal } = engine().hostFd(fd);
    return { open, terminal };
  },
};

export const hostFacts = (): HostFacts => facts;
