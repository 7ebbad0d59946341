import type { NormalizedProfile } from './profile';
import type { ExecCause } from './result';

/** What checking a profile needs to know about the host that will launch it. */
export interface HostFacts {
  /** Whether the lab runs as root (and so holds CAP_SETUID, CAP_SETGID, CAP_SYS_CHROOT). */
  isRoot: boolean;
  /** The lab's own uid and gid: what an unprivileged user namespace may map. */
  uid: number;
  gid: number;
  /**
   * What would make the profile's execve fail, when the lab can tell before the launch
   * (the program or its interpreter missing, no x permission for the child...), or null.
   */
  execCause(profile: NormalizedProfile): { errno: string; cause: ExecCause } | null;
  /** The state of one of the lab's own descriptors, the source of an `inherit` file. */
  hostFd(fd: number): { open: boolean; terminal: boolean };
}
