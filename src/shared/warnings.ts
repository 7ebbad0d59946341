// Teaching warnings: a valid profile that the kernel will probably refuse, or that sets the
// program up to misbehave. Each one says why, at the field that causes it, and names fields
// as the builder labels them (fields.ts), which the command line's users read too.
import { showBytes } from './bytes';
import { fieldLabel as label } from './fields';
import type { HostFacts } from './host';
import type { Problem } from './problems';
import type { FileSpec, NormalizedProfile } from './profile';

export function teachingWarnings(profile: NormalizedProfile, host: HostFacts): Problem[] {
  return [
    ...programPathWarnings(profile),
    ...execCauseWarnings(profile, host),
    ...argvWarnings(profile),
    ...standardFdWarnings(profile),
    ...privilegeWarnings(profile, host),
    ...sessionWarnings(profile),
    ...terminalWarnings(profile, host),
    ...foregroundWarnings(profile, host),
    ...parentDeathWarnings(profile),
    ...namespaceWarnings(profile, host),
    ...signalWarnings(profile),
  ];
}

function programPathWarnings(profile: NormalizedProfile): Problem[] {
  const { sys } = profile;
  const path = showBytes(profile.path);
  const dir = profile.dir === undefined ? undefined : showBytes(profile.dir);
  if (!sys.chroot || path.startsWith('/')) return [];
  const fix = `Give the program's path as seen inside the new root, starting with '/'.`;
  if (!path.includes('/')) {
    return [{
      path: 'path',
      message: `"${path}" has no '/', so the lab looks it up in PATH on the host before the launch, ` +
        `but execve runs after chroot, so the path it finds is opened inside ${sys.chroot}, where it may not exist. ${fix}`,
    }];
  }
  const base = dir
    ? `dir ("${dir}") inside the new root`
    : `the working directory inherited from the lab, which chroot does not change and which may lie outside the new root`;
  return [{
    path: 'path',
    message: `"${path}" is relative: execve runs after chroot and resolves it against ${base}. ${fix}`,
  }];
}

// What the lab can already see would make the execve fail (exec-cause.ts, run ahead).
function execCauseWarnings(profile: NormalizedProfile, host: HostFacts): Problem[] {
  const found = host.execCause(profile);
  if (!found) return [];
  const at = found.cause.code === 'arg-list-too-long' ? 'args' : 'path';
  return [{ path: at, message: `${found.cause.text}: expect ${found.errno} at execve (${found.cause.code}).` }];
}

function argvWarnings({ args }: NormalizedProfile): Problem[] {
  if (args.length > 0) return [];
  return [{
    path: 'args',
    message: 'There are no arguments, not even argv[0], so the program starts with argc 0 and argv[0] NULL. Many programs assume argv[0] ' +
      'exists (to print their name, or to choose what to do, as busybox does); since Linux 5.18 the kernel ' +
      'passes one empty string instead and logs a warning. Put the program name in args[0].',
  }];
}

const STREAMS = ['input', 'output', 'error'] as const;

function standardFdWarnings({ files }: NormalizedProfile): Problem[] {
  const warnings: Problem[] = [];
  if (files.length < 3) {
    const closed = [0, 1, 2].slice(files.length);
    const fds = closed.length === 1 ? `fd ${closed[0]}` : `fds ${sayList(closed.map(String))}`;
    warnings.push({
      path: 'files',
      message: `${label('files')} has ${files.length} ${files.length === 1 ? 'row' : 'rows'}, so the child closes ${fds} ` +
        `before execve, as the seed does when there are fewer than 3 files: the program starts without standard ` +
        `${sayList(closed.map((fd) => STREAMS[fd]))}. The first file it opens lands on fd ${files.length}, and it may ` +
        `then read or write that file believing it is its standard ${STREAMS[files.length]}.`,
    });
  }
  files.slice(0, 3).forEach((file, fd) => {
    if (file.type !== 'closed') return;
    warnings.push({
      path: `files[${fd}]`,
      message: `fd ${fd}, the program's standard ${STREAMS[fd]}, is closed in the child: the first file the program ` +
        `opens may land on it, and the program may then read or write that file believing it is its standard ${STREAMS[fd]}.`,
    });
  });
  return warnings;
}

function privilegeWarnings({ sys }: NormalizedProfile, host: HostFacts): Problem[] {
  if (host.isRoot) return [];
  const warnings: Problem[] = [];
  if (sys.chroot) {
    warnings.push({
      path: 'sys.chroot',
      message: 'chroot needs CAP_SYS_CHROOT, which the lab does not have when it is not root: expect EPERM.',
    });
  }
  if (sys.credential) {
    const where = sys.credential.noSetGroups
      ? `at setgid or setuid, unless gid and uid are the lab's own IDs`
      : 'at setgroups, which is refused even for an empty group list';
    warnings.push({
      path: 'sys.credential',
      message: 'Changing credentials needs CAP_SETGID and CAP_SETUID, which the lab does not have when it is not ' +
        `root: expect EPERM ${where}.`,
    });
  }
  return warnings;
}

function sessionWarnings({ sys }: NormalizedProfile): Problem[] {
  if (!sys.setsid || !sys.setpgid) return [];
  return [{
    path: 'sys.setpgid',
    message: 'setsid already makes the child the leader of a new session and of a new process group, and the ' +
      'kernel refuses setpgid for a session leader, even setpgid(0, 0): expect EPERM. Drop setpgid: after ' +
      'setsid the child already has a group of its own.',
  }];
}

function terminalWarnings({ files, sys }: NormalizedProfile, host: HostFacts): Problem[] {
  const warnings: Problem[] = [];
  if (sys.noctty) {
    const notTerminal = whyNotATerminal(files, 0, host);
    if (sys.setsid) {
      warnings.push({
        path: 'sys.noctty',
        message: 'TIOCNOTTY only detaches the caller\'s current controlling terminal, and setsid has just left the ' +
          'child without one: expect ENOTTY. setsid already detached the child from the lab\'s terminal, so ' +
          'noctty is not needed.',
      });
    } else if (notTerminal) {
      warnings.push({
        path: 'sys.noctty',
        message: `noctty detaches the controlling terminal on fd 0, but ${notTerminal.what}: TIOCNOTTY only works ` +
          `on the caller's controlling terminal, so expect ${notTerminal.errno}.`,
      });
    } else if (files[0]?.type === 'pty') {
      warnings.push({
        path: 'sys.noctty',
        message: 'fd 0 is this run\'s new pseudo-terminal, which is not the child\'s controlling terminal (the ' +
          'child still shares the lab\'s, if the lab has one); TIOCNOTTY only detaches the current controlling ' +
          'terminal, so expect ENOTTY.',
      });
    }
  }
  if (sys.setctty) {
    if (!sys.setsid) {
      warnings.push({
        path: 'sys.setctty',
        message: 'TIOCSCTTY only gives a controlling terminal to a session leader that has none yet; a freshly ' +
          `cloned child is in the lab's session and is not its leader, so without ${label('sys.setsid')} expect EPERM. Turn on ` +
          `${label('sys.setsid')} as well.`,
      });
    }
    const notTerminal = whyNotATerminal(files, sys.ctty, host);
    if (notTerminal) {
      warnings.push({
        path: 'sys.setctty',
        message: `${label('sys.setctty')} makes fd ${sys.ctty} (${label('sys.ctty')}) the controlling terminal, but ${notTerminal.what}: ` +
          `TIOCSCTTY only works on a terminal, so expect ${notTerminal.errno}. Make fd ${sys.ctty}'s source in ${label('files')} a pty.`,
      });
    }
  }
  return warnings;
}

// Go's Foreground takes a parent fd, its Setctty a child fd (go#29458); here ctty is always a
// child slot, and the lab's fd for it is what TIOCSPGRP gets.
function foregroundWarnings({ files, sys }: NormalizedProfile, host: HostFacts): Problem[] {
  if (!sys.foreground) return [];
  const file = files[sys.ctty];
  if (file?.type === 'pty') {
    return [{
      path: 'sys.foreground',
      message: `foreground makes the child's group the foreground group of the lab's own controlling terminal, but fd ${sys.ctty} is ` +
        `this run's new pty, which is no one's controlling terminal yet: expect ENOTTY. For a shell in a new pty, turn on ` +
        `${label('sys.setsid')} and ${label('sys.setctty')} instead (the child then leads the pty's session, in the foreground).`,
    }];
  }
  const notTerminal = whyNotATerminal(files, sys.ctty, host);
  if (!notTerminal) return [];
  return [{
    path: 'sys.foreground',
    message: `foreground needs the lab's controlling terminal at fd ${sys.ctty} (${label('sys.ctty')}), but ${notTerminal.what}: ` +
      `expect ${notTerminal.errno}. Inherit the lab's terminal there (e.g. its fd 0).`,
  }];
}

function parentDeathWarnings({ sys }: NormalizedProfile): Problem[] {
  if (!sys.pdeathsig) return [];
  return [{
    path: 'sys.pdeathsig',
    message: `${sys.pdeathsig} is sent when the thread that created the child ends, not the process (prctl(2), go#27505). Here that ` +
      `thread is the lab's spawner, which lives as long as the lab. In a Go program it is whichever OS thread ran ForkExec: ` +
      `without runtime.LockOSThread the child may get the signal while its parent is still running.`,
  }];
}

const ownIdsOnly = (maps: readonly { containerId: number; hostId: number; size: number }[], id: number) =>
  maps.every((m) => m.hostId === id && m.size === 1);

function namespaceWarnings({ sys }: NormalizedProfile, host: HostFacts): Problem[] {
  const warnings: Problem[] = [];
  const byClone = sys.cloneflags.includes('CLONE_NEWUSER');
  const byUnshare = sys.unshareflags.includes('CLONE_NEWUSER');
  for (const key of ['uidMappings', 'gidMappings'] as const) {
    if (sys[key].length > 0 && !byClone && !byUnshare) {
      warnings.push({
        path: `sys.${key}`,
        message: `${label(`sys.${key}`)} are written only for a new user namespace: add CLONE_NEWUSER to ${label('sys.cloneflags')} ` +
          `(the lab writes the maps) or to ${label('sys.unshareflags')} (the child writes its own). Without it they are not used.`,
      });
    }
  }
  // The child maps itself after unshare: only its own ids, whoever it is (user_namespaces(7)).
  if (byUnshare && !ownIdsOnly(sys.uidMappings, host.uid)) {
    warnings.push({
      path: 'sys.uidMappings',
      message: `The child writes its own uid_map after unshare, and may then map only its own uid (${host.uid}) with size 1, ` +
        `even as root: expect EPERM. Put CLONE_NEWUSER in ${label('sys.cloneflags')} to have the lab write it.`,
    });
  }
  if (byUnshare && (!ownIdsOnly(sys.gidMappings, host.gid) || (sys.gidMappings.length > 0 && sys.gidMappingsEnableSetgroups))) {
    warnings.push({
      path: 'sys.gidMappings',
      message: `The child writes its own gid_map after unshare: it may map only its own gid (${host.gid}) with size 1, and only ` +
        `after denying setgroups (${label('sys.gidMappingsEnableSetgroups')} off): expect EPERM otherwise (go#10626).`,
    });
  }
  if (byClone && !host.isRoot) {
    if (!ownIdsOnly(sys.uidMappings, host.uid)) {
      warnings.push({ path: 'sys.uidMappings', message: `A lab that is not root may map only its own uid (${host.uid}), with size 1: expect EPERM at userns.` });
    }
    if (!ownIdsOnly(sys.gidMappings, host.gid) || (sys.gidMappings.length > 0 && sys.gidMappingsEnableSetgroups)) {
      warnings.push({
        path: 'sys.gidMappings',
        message: `A lab that is not root may map only its own gid (${host.gid}), with size 1, and only after denying setgroups ` +
          `(${label('sys.gidMappingsEnableSetgroups')} off): expect EPERM at userns (go#10626).`,
      });
    }
  }
  // setgroups "deny" is written before gid_map unless asked otherwise, and then setgroups(2)
  // fails in that namespace (user_namespaces(7)), as runc met with Go 1.5 (opencontainers/runc#125).
  // An empty list is skipped there, as Go skips it; a list of groups is not.
  const { credential } = sys;
  if ((byClone || byUnshare) && sys.gidMappings.length > 0 && !sys.gidMappingsEnableSetgroups && credential && !credential.noSetGroups && credential.groups.length > 0) {
    warnings.push({
      path: 'sys.credential',
      message: 'The credential sets supplementary groups, which the new user namespace denies (its setgroups is "deny", ' +
        `written before gid_map): expect EPERM at setgroups. Leave the groups empty (setgroups is then skipped, as Go does), ` +
        `or turn on ${label('sys.gidMappingsEnableSetgroups')} (root only).`,
    });
  }
  if (sys.unshareflags.includes('CLONE_NEWPID')) {
    warnings.push({
      path: 'sys.unshareflags',
      message: 'unshare(CLONE_NEWPID) does not move the caller: only the children the program creates go into the new PID ' +
        'namespace, the first of them as its pid 1 (go#19716). To run the program itself as pid 1, put CLONE_NEWPID in ' +
        `${label('sys.cloneflags')}.`,
    });
  }
  if (sys.cloneflags.includes('CLONE_NEWNS')) {
    warnings.push({
      path: 'sys.cloneflags',
      message: 'A mount namespace made by clone still shares the mounts that are marked shared (systemd marks / so): what the ' +
        'program mounts may show in the lab\'s namespace too. Go and unshare(1) make / private after unshare; put ' +
        `CLONE_NEWNS in ${label('sys.unshareflags')} to have the lab do so.`,
    });
  }
  if (sys.ambientCaps.length > 0 && !host.isRoot) {
    warnings.push({
      path: 'sys.ambientCaps',
      message: 'A capability can be made ambient only if the lab holds it in its permitted and bounding sets, which a lab ' +
        'that is not root usually does not: expect EPERM at ambientCaps.',
    });
  }
  return warnings;
}

// An ignored signal stays ignored across execve (signal(7)); Node ignores SIGPIPE and SIGXFSZ.
function signalWarnings({ engine }: NormalizedProfile): Problem[] {
  if (engine.resetSignals) return [];
  return [{
    path: 'engine.resetSignals',
    message: 'Signals the lab ignores stay ignored in the program, across execve: Node ignores SIGPIPE, so a program writing ' +
      'to a closed pipe gets EPIPE instead of dying quietly, as it would from a shell. Turn resetSignals on to give the ' +
      'program default dispositions.',
  }];
}

/** Why the child's fd is not a terminal (and the errno an ioctl on it gives), or undefined if it is one. */
function whyNotATerminal(files: readonly FileSpec[], fd: number, host: HostFacts): { what: string; errno: string } | undefined {
  const file = files[fd];
  if (file === undefined) {
    // The seed closes 0..2 when there are fewer than 3 files; a higher fd is whatever the lab
    // happened to have open there (still open until execve), or nothing.
    return { what: `${label('files')} has no fd ${fd}`, errno: fd < 3 ? 'EBADF' : 'EBADF or ENOTTY' };
  }
  switch (file.type) {
    case 'pty':
      return undefined;
    case 'inherit':
      return host.hostFd(file.fd).terminal
        ? undefined
        : { what: `fd ${fd} inherits the lab's fd ${file.fd}, which is not a terminal`, errno: 'ENOTTY' };
    case 'file':
      // The lab cannot tell from here whether a device file is a terminal, so it gives those the benefit of the doubt.
      return /^\/dev\/(tty|pts\/|console)/.test(showBytes(file.path))
        ? undefined
        : { what: `fd ${fd} is the file "${showBytes(file.path)}"`, errno: 'ENOTTY' };
    case 'closed':
      return { what: `fd ${fd} is closed`, errno: 'EBADF' };
    case 'null':
      return { what: `fd ${fd} is /dev/null`, errno: 'ENOTTY' };
    case 'pipe':
      return { what: `fd ${fd} is a pipe`, errno: 'ENOTTY' };
  }
}

/** ['a'] -> "a"; ['a', 'b', 'c'] -> "a, b and c". */
function sayList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
