// What changes between the seed's step order and Go's (native/engine-names.json): the steps
// of a plan that move when the order is switched, so the plan view can show them.
import { CHILD_STEPS, GO_ORDER } from './engine-names';

export type StepOrder = 'seed' | 'go';

const ORDERS: Record<StepOrder, readonly string[]> = { seed: CHILD_STEPS, go: GO_ORDER };

/**
 * The steps of `steps` (a plan's, in `from` order) that sit elsewhere relative to the others
 * in the other order: those outside a longest common subsequence of the two sequences (for
 * ptrace with setsid: ptrace, which Go puts last and the seed first).
 */
export function movedSteps(steps: readonly string[], from: StepOrder): string[] {
  const present = [...new Set(steps)];
  const to = ORDERS[from === 'seed' ? 'go' : 'seed'].filter((s) => present.includes(s));
  // lcs[i][j]: the longest common subsequence of present[i..] and to[j..].
  const lcs = present.map(() => new Array<number>(to.length + 1).fill(0));
  lcs.push(new Array<number>(to.length + 1).fill(0));
  for (let i = present.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lcs[i]![j] = present[i] === to[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < present.length && j < to.length; ) {
    if (present[i] === to[j]) {
      kept.add(present[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return present.filter((s) => !kept.has(s));
}

/**
 * Where a child step comes from: the 2014 seed's ForkExec, Go's exec_linux.go since then, or
 * the lab itself (its safety steps, and what CPython and systemd set that Go does not).
 */
export type StepOrigin = 'seed' | 'go' | 'lab';

const SINCE_THE_SEED: readonly string[] = ['userns', 'foreground', 'unshare', 'uidMappings', 'gidMappings', 'keepcaps', 'ambientCaps', 'pdeathsig', 'rlimits'];
const THE_SEEDS: readonly string[] = ['ptrace', 'setsid', 'setpgid', 'chroot', 'setgroups', 'setgid', 'setuid', 'chdir', 'fd', 'noctty', 'setctty', 'execve'];

export function stepOrigin(step: string): StepOrigin {
  if (THE_SEEDS.includes(step)) return 'seed';
  return SINCE_THE_SEED.includes(step) ? 'go' : 'lab';
}
