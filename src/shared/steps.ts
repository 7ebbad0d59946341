// The steps of a launch, in the order they happen: three in the parent, then the child's,
// which follow the seed's ForkExec (the README's "The command line" and docs/architecture.md) plus the lab's own `signals`, `inherit`,
// `closefds`, `report` and `sigmask`. Plans, traces and exec errors name their step with these.
import { CHILD_STEPS, PARENT_STEPS } from './engine-names';
import { fieldStepDescriptions } from './fields';

// Done by the lab before and while it creates the child (PARENT_STEPS), then by the child
// between clone and execve (CHILD_STEPS): their names have one home, native/engine-names.json.
export { CHILD_STEPS, PARENT_STEPS };

export const STEPS = [...PARENT_STEPS, ...CHILD_STEPS] as const;

export type ParentStepName = (typeof PARENT_STEPS)[number];
export type ChildStepName = (typeof CHILD_STEPS)[number];
export type StepName = (typeof STEPS)[number];

/** The steps no field asks for: the parent's, and those the lab adds to every launch. */
export const LAB_STEP_DESCRIPTIONS = {
  lookup: 'find the program: a path without "/" is searched for in PATH of the launch environment, as Go\'s exec.LookPath does',
  cgroup: 'open the cgroup v2 directory the child is to be created in (clone3 takes it as a descriptor)',
  open: 'open a files[] source in the parent (/dev/null, a file, a pipe, the pseudo-terminal) so that the child only has to put it in place',
  clone: 'create the child: clone(CLONE_VM|CLONE_VFORK) in vfork mode, a plain fork in fork mode',
  signals: 'put signal handlers back to SIG_DFL (every one with resetSignals, so the program does not inherit what the lab ignores); every signal stays blocked until sigmask, so that one sent during the setup waits instead of stopping or killing a half-made child',
  inherit: 'the lab\'s own step, in a launch with inherited fds: each must still be the file named when the launch was asked for (the caller may have closed it since; the lab took a copy then), checked with kcmp(KCMP_FILE) and put back from the copy where it is not',
  report: 'the lab\'s own step, in probe launches only: put the memfd the probe writes its report to at a fixed fd, after the close-on-exec sweep so that it survives exec (the probe leaves it out of the table it reports); the report never passes through a file',
  sigmask: 'the lab\'s own step, last before execve: unblock the signals (an empty mask with resetSignals, else the lab\'s own); a signal that arrived during the setup is delivered now',
  execve: 'replace the child with the program; on success the status pipe closes and the parent reads EOF',
} as const satisfies Partial<Record<StepName, string>>;

/**
 * One sentence per step: the lab's own here, the others with the field that asks for them
 * (fields.ts). test/shared/tables.test.ts fails when a step has none, or two.
 */
export const STEP_DESCRIPTIONS = { ...fieldStepDescriptions(), ...LAB_STEP_DESCRIPTIONS } as Readonly<Record<StepName, string>>;

export function isStepName(value: unknown): value is StepName {
  return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}
