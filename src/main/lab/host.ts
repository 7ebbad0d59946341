// What checking a profile needs to know about this process (src/shared's HostFacts).
import type { HostFacts } from '../../shared/host';
import { engine } from './engine';

export function hostFacts(): HostFacts {
  return {
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
    hostFd: (fd) => {
      const { open, terminal } = engine().hostFd(fd);
      return { open, terminal };
    },
  };
}
