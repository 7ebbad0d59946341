// The steps of a launch, in the order they happen: three in the parent, then the child's,
// which follow the seed's ForkExec (the README's "The command line" and docs/architecture.md) plus the lab's own `signals`, `inherit`,
// `closefds`, `report` and `sigmask`. Plans, traces and exec errors name their step with these.
import { CHILD_STEPS, PARENT_STEPS } from './engine-names';

// Done by the lab before and while it creates the child (PARENT_STEPS), then by the child
// between clone and execve (CHILD_STEPS): their names have one home, native/engine-names.json.
export { CHILD_STEPS, PARENT_STEPS };

export const STEPS = [...PARENT_STEPS, ...CHILD_STEPS] as const;

export type ParentStepName = (typeof PARENT_STEPS)[number];
export type ChildStepName = (typeof CHILD_STEPS)[number];
export type StepName = (typeof STEPS)[number];

export const STEP_DESCRIPTIONS: Readonly<Record<StepName, string>> = {
  lookup: 'find the program: a path without "/" is searched for in PATH of the launch environment, as Go\'s exec.LookPath does',
  open: 'open a files[] source in the parent (/dev/null, a file, a pipe, the pseudo-terminal) so that the child only has to put it in place',
  clone: 'create the child: clone(CLONE_VM|CLONE_VFORK) in vfork mode, a plain fork in fork mode',
  signals: 'put signal handlers back to SIG_DFL (every one with resetSignals, so the program does not inherit what the lab ignores); every signal stays blocked until sigmask, so that one sent during the setup waits instead of stopping or killing a half-made child',
  ptrace: 'PTRACE_TRACEME: let the lab trace the child, which then stops with SIGTRAP at execve',
  setsid: 'create a new session; the child becomes session and group leader, with no controlling terminal',
  setpgid: 'move the child into a process group: a new one led by the child when pgid is 0, otherwise the existing group pgid',
  chroot: 'change the root directory; every later path (chdir, execve) resolves inside it',
  setgroups: 'set the supplementary groups to credential.groups (skipped with noSetGroups)',
  setgid: 'set the real, effective and saved group IDs to credential.gid',
  setuid: 'set the real, effective and saved user IDs to credential.uid; last, because it gives up the right to change the others',
  chdir: 'change the working directory to dir (inside the new root after a chroot)',
  inherit: 'the lab\'s own step, in a launch with inherited fds: each must still be the file named when the launch was asked for (the caller may have closed it since; the lab took a copy then), checked with kcmp(KCMP_FILE) and put back from the copy where it is not',
  fd: 'arrange the descriptors: move sources out of the way, dup each files[i] onto fd i, close the slots marked closed',
  closefds: 'mark every descriptor above the child\'s files close-on-exec, so that the program gets only its files',
  report: 'the lab\'s own step, in probe launches only: put the memfd the probe writes its report to at a fixed fd, after the close-on-exec sweep so that it survives exec (the probe leaves it out of the table it reports); the report never passes through a file',
  noctty: 'TIOCNOTTY on fd 0: give up the controlling terminal, which fd 0 must be',
  setctty: 'TIOCSCTTY on fd ctty: make that terminal the controlling terminal of the child\'s new session',
  sigmask: 'the lab\'s own step, last before execve: unblock the signals (an empty mask with resetSignals, else the lab\'s own); a signal that arrived during the setup is delivered now',
  execve: 'replace the child with the program; on success the status pipe closes and the parent reads EOF',
};

export function isStepName(value: unknown): value is StepName {
  return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}
