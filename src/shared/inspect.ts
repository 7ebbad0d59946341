// A live process's setup as the lab reads it from /proc (src/main/lab/inspect.ts): the
// shape proclab inspect prints and the run view's Inspect panel shows.
import type { NamespaceIds } from './namespaces';

export interface InspectedFd {
  fd: number;
  target: string | null;
  cloexec: boolean | null;
  /** For a pipe or a socket: the other processes holding it, or the other end of a TCP connection in the same network namespace (pid, command, their fd). */
  peers?: { pid: number; comm: string; fd: number }[];
  /** For a socket: its protocol and addresses ("tcp 127.0.0.1:8080 -> 127.0.0.1:51234 ESTABLISHED", "unix /run/x.sock"). */
  address?: string;
}

export interface InspectedProcess {
  pid: number;
  comm: string;
  argv: string[] | null;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** The foreground process group of its terminal (-1: none). */
  tpgid: number;
  tty: string | null;
  uids: { real: number; effective: number; saved: number } | null;
  gids: { real: number; effective: number; saved: number } | null;
  groups: number[] | null;
  signals: { ignored: string[]; blocked: string[]; caught: string[]; pending: string[] } | null;
  capabilities: { inheritable: string[]; permitted: string[]; effective: string[]; bounding: string[]; ambient: string[] } | null;
  namespaces: Partial<Record<keyof NamespaceIds, { id: number | null; origin: 'lab' | 'new' | 'unknown' }>>;
  cgroup: string | null;
  rlimits: Record<string, { soft: string; hard: string }> | null;
  umask: string | null;
  fds: InspectedFd[] | null;
  children: InspectedProcess[];
  /** What /proc did not let this user see. */
  unreadable: string[];
}
