// Which of a child's namespaces are the lab's own (src/shared/namespaces.ts).
// Run: node --import tsx --test test/shared/namespaces.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { NAMESPACES, namespaceOrigins, type NamespaceIds } from '../../src/shared/namespaces';

const lab: NamespaceIds = { user: 1, pid: 2, mnt: 3, uts: 4, ipc: 5, net: 6, cgroup: 7, pidForChildren: 2 };

test("the same inode is the lab's namespace, another is new, a missing one is unknown", () => {
  const child: NamespaceIds = { ...lab, user: 11, pid: 12, pidForChildren: 12, net: null };
  assert.deepEqual(namespaceOrigins(child, lab), {
    user: 'new', pid: 'new', mnt: 'lab', uts: 'lab', ipc: 'lab', net: 'unknown', cgroup: 'lab', pidForChildren: 'new',
  });
});

test("without the lab's ids (its /proc unreadable) every one is unknown", () => {
  const blind = Object.fromEntries(NAMESPACES.map((n) => [n, null])) as NamespaceIds;
  assert.deepEqual(Object.values(namespaceOrigins(lab, blind)), NAMESPACES.map(() => 'unknown'));
});
