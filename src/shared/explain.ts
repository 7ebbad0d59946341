// Plain-words explanations of an exec error: the usual cause of an errno at a given step.
// Pure (no Node, no DOM): used by the app's exec error card, usable by the CLI as well.
import type { RunResult } from './result';
import type { StepName } from './steps';

export interface ExecErrorContext {
  /** The profile asked for setsid (the child is a session leader by the time of setpgid/setctty). */
  setsid?: boolean;
  /** The profile's chroot, when it has one: later paths resolve inside it. */
  chroot?: string;
  /** The profile asked for credentials (the child may have dropped privileges before chdir/execve). */
  credential?: boolean;
  /** The profile's cgroup: clone3 fails on it, before any child exists. */
  cgroup?: string;
  /** New namespaces were asked of clone itself. */
  cloneflags?: boolean;
}

/** What of a profile (as launched) explains its exec error. */
export function execErrorContextOf(profile: { sys?: unknown }): ExecErrorContext {
  const sys = profile.sys && typeof profile.sys === 'object' ? (profile.sys as { setsid?: unknown; credential?: unknown; chroot?: unknown; cgroup?: unknown; cloneflags?: unknown }) : {};
  const context: ExecErrorContext = { setsid: sys.setsid === true, credential: !!sys.credential };
  if (typeof sys.chroot === 'string' && sys.chroot) context.chroot = sys.chroot;
  if (typeof sys.cgroup === 'string' && sys.cgroup) context.cgroup = sys.cgroup;
  if (Array.isArray(sys.cloneflags) && sys.cloneflags.length > 0) context.cloneflags = true;
  return context;
}

const CRED_STEPS: readonly string[] = ['setgroups', 'setgid', 'setuid'];

/** A short explanation of the usual cause, or a generic one when nothing specific is known. */
export function explainExecError(step: StepName | string, code: string, context: ExecErrorContext = {}): string {
  const inRoot = context.chroot ? ` (inside the new root ${context.chroot})` : '';
  const asChild = context.credential ? ', checked with the child\'s new uid and gid' : '';
  switch (`${step}:${code}`) {
    case 'lookup:ENOENT':
      return 'The program has no "/" in its name, so it was searched for in PATH of the launch environment, and no directory there holds an executable file of that name. With inheritEnv off, that PATH is only what env sets. Give a full path, or set PATH in env.';
    case 'lookup:EACCES':
      return 'A file of that name was found in PATH but it is not executable for the lab. Check its permissions, or give another path.';
    case 'execve:ENOENT':
      return `The program does not exist at that path${inRoot}, or it does but something it needs does not: a script's interpreter from its #! line (e.g. #!/usr/bin/python3 where there is none), or, for a dynamically linked binary, its loader (ld-linux), which is often missing inside a chroot.`;
    case 'chdir:ENOENT':
      return `The directory in dir does not exist${inRoot}. The program was never started: chdir comes before execve.`;
    case 'chroot:ENOENT':
      return 'The new root directory does not exist.';
    case 'execve:EACCES':
      return `The kernel refused to run the file${asChild}: it has no execute permission, it lies on a filesystem mounted noexec, it is not a regular file (a directory, say), or a directory on its path is not searchable (no x permission).`;
    case 'chdir:EACCES':
      return `A directory on the path of dir is not searchable (no x permission)${asChild}.`;
    case 'chroot:EACCES':
      return 'A directory on the path of the new root is not searchable (no x permission).';
    case 'execve:ENOEXEC':
      return 'The file is not in a format the kernel can run (not an ELF binary for this machine) and does not start with a #! line. A shell would run such a file as a shell script; execve does not. Add a #! line (e.g. #!/bin/sh), or run it through its interpreter.';
    case 'execve:E2BIG':
      return 'The argument list and environment are too large together (over the kernel\'s limit, a quarter of the stack size limit: see `getconf ARG_MAX`), or one single argument or environment string is over 128 KiB (MAX_ARG_STRLEN).';
    case 'execve:ETXTBSY':
      return 'The program file is open for writing by some process (still being written or copied); the kernel refuses to run a file in that state.';
    case 'execve:ENOTDIR':
    case 'chdir:ENOTDIR':
      return 'A component of the path that should be a directory is not one.';
    case 'execve:ELOOP':
    case 'chdir:ELOOP':
      return 'Too many symbolic links while resolving the path: probably a link loop.';
    case 'execve:EISDIR':
      return 'The ELF interpreter named by the program is a directory.';
    case 'execve:ELIBBAD':
      return 'The program\'s ELF interpreter (loader) is not in a format this machine can run.';
    case 'setpgid:EPERM':
      return context.setsid
        ? 'setsid made the child a session leader, and a session leader cannot move to another process group (not even setpgid(0, 0)). Drop setpgid: after setsid the child already leads a group of its own.'
        : 'The process group named by pgid is in another session, or the child is a session leader. Use pgid 0 for a new group led by the child, or the id of a group in the lab\'s session.';
    case 'setpgid:ESRCH':
    case 'setpgid:EINVAL':
      return 'pgid names no process group that the child could join.';
    case 'setctty:EPERM':
      return context.setsid
        ? 'The terminal is already the controlling terminal of another session: a terminal belongs to one session at a time.'
        : 'Only a session leader without a controlling terminal may acquire one, and without setsid the child is still in the lab\'s session and not its leader. Turn on setsid.';
    case 'setctty:ENOTTY':
    case 'noctty:ENOTTY':
      return step === 'noctty'
        ? 'fd 0 is not the child\'s controlling terminal (or not a terminal at all), so TIOCNOTTY has nothing to detach. After setsid the child has no controlling terminal anyway.'
        : 'The fd named by ctty is not a terminal. Make it a pty in files.';
    case 'setctty:EBADF':
    case 'noctty:EBADF':
      return `The fd is not open in the child at that step: ${step === 'noctty' ? 'fd 0' : 'the fd named by ctty'} has no entry in files, or its entry is closed.`;
    case 'fd:EBADF':
      return 'The fd is not open in the child at that step: an inherited host fd that is not open, or a descriptor an earlier fd operation already closed or overwrote.';
    case 'fd:EMFILE':
      return 'The child ran out of descriptors (RLIMIT_NOFILE) while moving its files into place.';
    case 'chroot:EPERM':
      return 'chroot needs CAP_SYS_CHROOT: run the lab as root.';
    case 'ptrace:EPERM':
      return 'The child is already being traced, or a security module (Yama ptrace_scope) refuses tracing here.';
    case 'clone:EAGAIN':
      return 'The kernel refused a new process: the user\'s process limit (RLIMIT_NPROC) or the system\'s is reached.';
    case 'clone:ENOMEM':
      return 'Not enough memory for a new process.';
    case 'open:ENOENT':
      return 'A files[] source does not exist: the file (with create off) or a directory on its path.';
    case 'open:EACCES':
      return 'A files[] source cannot be opened with the mode asked for: the lab has no permission for it.';
    case 'open:EISDIR':
      return 'A files[] source is a directory; it can only be opened read-only.';
    case 'open:EBADF':
      return 'An inherited host fd was not open in the lab when the launch was asked for.';
    case 'cgroup:ENOENT':
    case 'cgroup:ENOTDIR':
      return 'The cgroup directory does not exist (cgroup v2 directories live where cgroup2 is mounted, often /sys/fs/cgroup).';
    case 'cgroup:EACCES':
      return 'A directory on the path of the cgroup is not searchable by the lab.';
    case 'clone:EBADF':
      return context.cgroup
        ? `${context.cgroup} is not a cgroup v2 directory: clone3 (CLONE_INTO_CGROUP) takes only cgroup2 (on a machine with the controllers on cgroup v1, as this one, mount a cgroup2 hierarchy). No child was created.`
        : 'clone was given a bad descriptor.';
    case 'clone:EBUSY':
      return `${context.cgroup ?? 'The cgroup'} has domain controllers enabled in its cgroup.subtree_control, and a cgroup that hands controllers to its children may hold no processes itself (cgroups(7), "no internal processes"). Use a leaf cgroup. No child was created.`;
    case 'clone:EOPNOTSUPP':
      return `${context.cgroup ?? 'The cgroup'} is in an invalid state for new processes (a domain-invalid cgroup of a threaded subtree, cgroups(7)). No child was created.`;
    case 'clone:EPERM':
      return context.cloneflags
        ? 'Creating a namespace other than a user namespace needs CAP_SYS_ADMIN; a lab that is not root can add CLONE_NEWUSER, which gives the child that capability inside. No child was created.'
        : 'The kernel refused to create the child (a security module, or the cgroup\'s permissions for CLONE_INTO_CGROUP).';
    case 'clone:EINVAL':
      return context.cloneflags || context.cgroup
        ? 'The kernel refused this combination of clone flags (e.g. CLONE_NEWPID from a process whose namespaces no longer allow it, or a namespace type the kernel was built without). No child was created.'
        : 'The kernel refused the clone call.';
    case 'userns:EPERM':
      return 'The lab wrote the ID map of the child\'s new user namespace, and the kernel refused it: a lab that is not root may map only its own uid, and its own gid only after writing "deny" to setgroups (go#10626); a root lab may map any ids. The child was killed before its setup went on.';
    case 'userns:EINVAL':
      return 'The kernel refused a map line: lines that overlap, a size that runs past the id range, or more than 340 lines.';
    case 'uidMappings:EPERM':
      return 'The child maps its own new user namespace (from unshareflags), and then it may map only its own uid: root mapping 0 to 1000 this way is EPERM, in Go too. Put CLONE_NEWUSER in cloneflags instead, where the lab writes the map with its own privileges.';
    case 'gidMappings:EPERM':
      return 'The child maps its own new user namespace (from unshareflags): it may map only its own gid, and only after "deny" to setgroups (leave gidMappingsEnableSetgroups off): go#10626.';
    case 'uidMappings:EINVAL':
    case 'gidMappings:EINVAL':
      return 'The kernel refused the map: lines that overlap, a size past the id range, or a map written twice.';
    case 'unshare:EPERM':
      return 'unshare of a namespace other than a user namespace needs CAP_SYS_ADMIN: run the lab as root, or add CLONE_NEWUSER to unshareflags (the child then holds every capability inside).';
    case 'ambientCaps:EPERM':
      return 'A capability can be made ambient only when it is in the child\'s permitted and inheritable sets, so the lab must hold it in its permitted and bounding sets; after a credential drop only PR_SET_KEEPCAPS (step keepcaps) kept the permitted set.';
    case 'foreground:ENOTTY':
      return 'TIOCSPGRP works only on the caller\'s controlling terminal: the lab\'s fd for child slot ctty must be the lab\'s own controlling terminal, and a pty made for this run is not one. For a shell in a new pty, use setsid and setctty instead.';
    case 'foreground:EPERM':
      return 'The process group is in another session than the terminal\'s.';
    case 'foreground:EBADF':
      return 'The lab has no open descriptor for child slot ctty.';
    case 'nice:EACCES':
    case 'nice:EPERM':
      return 'A nice value below the current one needs CAP_SYS_NICE (or a high enough RLIMIT_NICE).';
    case 'oomScoreAdj:EACCES':
      return 'An oom_score_adj below the lab\'s own needs CAP_SYS_RESOURCE, which root lacks on some machines (this one).';
    case 'oomScoreAdj:ENOENT':
      return `/proc/self/oom_score_adj is not there${inRoot}: /proc is not mounted where the child looks.`;
    case 'rlimits:EPERM':
      return 'Raising a hard limit needs CAP_SYS_RESOURCE, which root lacks on some machines (this one).';
    case 'rlimits:EINVAL':
      return 'The soft limit is above the hard one, or RLIMIT_NOFILE is above the kernel\'s nr_open (fs.nr_open).';
    case 'cpuAffinity:EINVAL':
      return 'None of the CPUs given exists or is allowed to the child (its cpuset).';
    case 'open:ECANCELED':
      return 'Opening a files[] source waits when it is a FIFO: open(2) of a FIFO returns only once another process opens its other end. The launch was stopped (its timeout, a kill, or the lab shutting down) before that happened, and no child was ever started. Open the other end (a writer for mode r, a reader for mode w), or use mode rw, which never waits.';
  }
  if (code === 'DIED_IN_SETUP') {
    return 'The child was killed (by a signal: a kill from the lab or from anywhere else, a timeout) while it was still setting itself up, between clone and execve. The trace shows which steps it finished; the rest never ran, and neither did the program.';
  }
  if (code === 'EXEC_UNKNOWN') {
    return 'The child went into execve and then died, and what could tell whether the program had started (its exit status, or its name in /proc, which execve changes) was not there to see. The lab does not guess.';
  }
  if (code === 'EPERM' && CRED_STEPS.includes(step)) {
    return `Changing credentials needs privilege: ${step} requires ${step === 'setuid' ? 'CAP_SETUID' : 'CAP_SETGID'}, which the lab only has when it runs as root. Run the lab as root, or remove the credential (or set noSetGroups and keep the lab's own uid and gid).`;
  }
  if (code === 'EINVAL' && CRED_STEPS.includes(step)) {
    return 'The id is not valid in the lab\'s user namespace (it has no mapping there).';
  }
  if (code === 'ENAMETOOLONG') return 'A path, or one of its components, is longer than the kernel allows.';
  if (code === 'ENOMEM') return 'The kernel ran out of memory for this step.';
  if (code === 'EFAULT') return 'A pointer passed to the kernel was invalid: a bug in the lab, please report it.';
  return `The ${step} step failed with ${code}; see the errno's manual page for ${step === 'fd' ? 'dup2(2), fcntl(2) or close(2)' : step === 'execve' ? 'execve(2)' : `the call in the trace`}.`;
}

/** What a timeout did: SIGKILL to the child, or to the group or cgroup the profile's stopScope named. */
export function timedOutMessage(timeoutMs: number | undefined, killed?: RunResult['timeoutKilled']): string {
  const after = timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`;
  if (!killed) return `timed out: the lab sent SIGKILL${after}`;
  const how = killed.scope === 'cgroup' ? 'through cgroup.kill' : 'with kill(-pgid)';
  const sent = `timed out: the lab sent SIGKILL to ${killed.target}${after}, ${how}`;
  return killed.error ? `${sent}, which failed: ${killed.error}` : sent;
}

/** For a result's outputHeldOpen key ("1", "pty"), naming who was seen holding it (outputHolders). */
export function heldOpenMessage(key: string, holders?: readonly { pid: number; comm: string }[]): string {
  const what = key === 'pty' ? 'the terminal' : `the pipe on fd ${key}`;
  const who = holders === undefined ? 'descendants' : holders.length === 0 ? 'descendants (not seen in /proc)' : holders.map((h) => `pid ${h.pid} (${h.comm})`).join(', ');
  return `child exited; ${who} still hold${holders?.length === 1 ? 's' : ''} ${what}, so the lab stopped waiting for its end`;
}
