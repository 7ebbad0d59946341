// Sandbox mode: a seed-style `Files []int` planned against a sketch of the host's open
// descriptors, without launching. The planner is the engine's (the only one); this only
// places the status pipe and says what a real launch would trip over.
import type { SandboxPlan } from '../../shared/api';
import type { Problem } from '../../shared/problems';
import { ProfileSchema, type NormalizedProfile } from '../../shared/profile';
import { engine, type NativeSpec } from './engine';
import { nativeSpec } from './spec';

// The smallest launch there is: every sys and engine field at its default, so no sys step.
// Parsed at the first sandbox plan, not when the library loads (issue 17).
let smallest: NormalizedProfile | undefined;
const smallestLaunch = (): NormalizedProfile => (smallest ??= ProfileSchema.parse({ version: 1, name: 'sandbox', path: '/bin/true', args: ['true'] }));

// Only the number of files matters to the planner when the host fds are given; the rest
// is the smallest launch (the plan is the fd step and its frame).
export function sandboxSpec(slots: number, closeOtherFds = true): NativeSpec {
  return {
    ...nativeSpec(smallestLaunch(), '/bin/true', []),
    closeOtherFds,
    files: Array.from({ length: slots }, () => ({ type: 'closed' as const })),
  };
}

/**
 * Plans `files` (host fd per child slot, -1: closed) in a process whose open fds are
 * `hostFds` plus every source in `files`. The status pipe goes where pipe2() would put it
 * there: read end at the lowest free number, write end (the child's) at the next free one.
 * Both plans are returned: the corrected one and the seed's.
 */
export function sandboxPlan(files: readonly number[], hostFds: readonly number[]): SandboxPlan {
  const open = new Set(hostFds);
  for (const fd of files) if (fd >= 0) open.add(fd);
  const lowestFree = (): number => {
    let fd = 0;
    while (open.has(fd)) fd++;
    open.add(fd);
    return fd;
  };
  const statusReadFd = lowestFree();
  const statusFd = lowestFree();

  const sketched = new Set(hostFds);
  const problems: Problem[] = [];
  files.forEach((fd, i) => {
    // A real launch would fail at this slot's dup2 or fcntl (EBADF).
    if (fd >= 0 && !sketched.has(fd)) problems.push({ path: `files[${i}]`, message: `host fd ${fd} does not exist in the sketch` });
  });

  const spec = sandboxSpec(files.length);
  const corrected = engine().plan(spec, [...files], statusFd, false);
  const seed = engine().plan(spec, [...files], statusFd, true);
  return {
    slotFds: [...files],
    statusReadFd,
    statusFd,
    plan: corrected.plan,
    seedPlan: seed.plan,
    problems,
  };
}
