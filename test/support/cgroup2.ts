// A cgroup2 hierarchy of a test's own: this machine has its controllers on cgroup v1. The
// CLI runs a profile inside a private mount namespace where cgroup2 is mounted, in a group
// of a name of its own that is removed (with what it enabled) when done.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { isRoot } from './probe';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/proclab.js');

export const canMountCgroup2 = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;
export const CGROUP2_ONLY = canMountCgroup2 ? {} : { skip: 'needs root to mount cgroup2 in a private mount namespace' };

/**
 * `proclab run --json` of profile(group) in scratch folder dir; what the run leaves in the
 * group is killed after. withControllers: a domain controller is enabled for the group's
 * children, so no process may live in the group itself.
 */
export function runInCgroup2(dir: string, profile: (group: string) => Profile, withControllers = false): RunResult {
  const mount = path.join(dir, 'cgroup2');
  mkdirSync(mount);
  const group = path.join(mount, `proclab-${randomUUID()}`);
  const file = path.join(dir, 'profile.json');
  writeFileSync(file, JSON.stringify(profile(group)));
  const controllers = withControllers
    ? `mkdir '${group}/leaf' && echo +hugetlb > '${mount}/cgroup.subtree_control' && echo +hugetlb > '${group}/cgroup.subtree_control' && `
    : '';
  // What the run left in the group is killed, so that the group can be removed.
  const leftover = `echo 1 > '${group}/cgroup.kill'; while [ -s '${group}/cgroup.procs' ]; do sleep 0.05; done; `;
  const undo = leftover + (withControllers ? `echo -hugetlb > '${group}/cgroup.subtree_control'; rmdir '${group}/leaf'; ` : '');
  const undoRoot = withControllers ? `; echo -hugetlb > '${mount}/cgroup.subtree_control' 2>/dev/null` : '';
  const script = `mount -t cgroup2 none '${mount}' && mkdir '${group}' && ${controllers}'${process.execPath}' '${CLI}' run '${file}' --json; rc=$?; ${undo}rmdir '${group}'${undoRoot}; exit $rc`;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  assert.ok(r.stdout.trim(), `no result: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunResult;
}
