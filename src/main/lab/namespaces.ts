// The lab's own namespaces, to tell which of a child's are the lab's and which are new
// (src/shared/namespaces.ts compares them).
import { statSync } from 'node:fs';

import { NAMESPACE_FILES, NAMESPACES, type NamespaceIds } from '../../shared/namespaces';

/** The inode number of each of this process's namespaces (stat /proc/self/ns/*); null where it cannot be read. */
export function labNamespaceIds(): NamespaceIds {
  return namespaceIdsOf('self');
}

/** The same for any process we may read (proclab inspect). */
export function namespaceIdsOf(pid: number | 'self'): NamespaceIds {
  return Object.fromEntries(
    NAMESPACES.map((name) => {
      try {
        return [name, statSync(`/proc/${pid}/ns/${NAMESPACE_FILES[name]}`).ino];
      } catch {
        return [name, null];
      }
    }),
  ) as NamespaceIds;
}
