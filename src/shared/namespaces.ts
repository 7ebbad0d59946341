// Namespaces, as the probe and the lab see them: a namespace is known by the inode number of
// /proc/PID/ns/<name> (stat follows the link into nsfs), and two processes share one when
// the numbers match. Which of the child's is the lab's own and which is new is a comparison
// of the two sets.

/** The namespaces the probe reports, in its order. */
export const NAMESPACES = ['user', 'pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'pidForChildren'] as const;

export type NamespaceName = (typeof NAMESPACES)[number];

/** The file of /proc/PID/ns/ each is read from. */
export const NAMESPACE_FILES: Record<NamespaceName, string> = {
  user: 'user',
  pid: 'pid',
  mnt: 'mnt',
  uts: 'uts',
  ipc: 'ipc',
  net: 'net',
  cgroup: 'cgroup',
  pidForChildren: 'pid_for_children',
};

/**
 * Each namespace's inode number, or null when it could not be read (no /proc, as in a
 * chroot; pidForChildren also while a new PID namespace has no process yet).
 */
export type NamespaceIds = Record<NamespaceName, number | null>;

/** "lab": the lab's own namespace; "new": another one (made for the child); "unknown": either id is missing. */
export type NamespaceOrigin = 'lab' | 'new' | 'unknown';

export const NAMESPACE_ORIGIN_TEXT: Record<NamespaceOrigin, string> = { lab: "the lab's", new: 'new', unknown: 'unknown' };

/** For each of the child's namespaces, whether it is the lab's own. */
export function namespaceOrigins(child: NamespaceIds, lab: NamespaceIds): Record<NamespaceName, NamespaceOrigin> {
  return Object.fromEntries(
    NAMESPACES.map((name): [NamespaceName, NamespaceOrigin] => {
      const mine = child[name];
      const labs = lab[name];
      return [name, mine === null || labs === null ? 'unknown' : mine === labs ? 'lab' : 'new'];
    }),
  ) as Record<NamespaceName, NamespaceOrigin>;
}
