// The example profiles shipped with the app: each one shows one lesson of fork/exec, and
// its description says what to look at. Written into the profiles folder on the lab's first
// run there, and again whenever the user restores them.
import { existsSync } from 'node:fs';

import type { Profile } from '../../shared/profile';

const CAPTURED_OUTPUT: Profile['files'] = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }];
const SYSTEM_PATH = 'PATH=/usr/local/bin:/usr/bin:/bin';

const swapStdoutAndStderr: Profile = {
  version: 1,
  name: 'swap stdout and stderr',
  description:
    "Go's Files: []uintptr{0, 2, 1} (with /dev/null on fd 0): the child's fd 1 is the lab's own fd 2 and its " +
    "fd 2 the lab's fd 1, so what the program prints as output lands on the lab's error stream and the other " +
    'way round. Look at the plan: the child cannot just dup2(2, 1) and then dup2(1, 2), because the first call ' +
    'destroys fd 1 before the second reads it and both lines would end up on stderr. Pass 1 first moves fd 1 ' +
    'out of the way, onto a descriptor above every slot and source; pass 2 then puts each source in place. ' +
    'Nothing is captured here, since no slot is a pipe (a pipe is keyed by the child fd it is on, so pipes ' +
    "cannot show a swap): the lines appear wherever the lab's own output goes, such as the terminal that " +
    'started it. To see the swap, save the profile to a file and run `npx proclab run swap.json 2>/dev/null`: ' +
    "only the line written to fd 2 shows, because it went to the lab's fd 1.",
  path: '/bin/sh',
  args: ['sh', '-c', "echo 'this line was written to fd 1 (stdout)'; echo 'this line was written to fd 2 (stderr)' >&2"],
  files: [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }],
};

// bash where there is one (a friendlier shell to try job control in); POSIX sh otherwise.
function jobControlShell(): Pick<Profile, 'path' | 'args'> {
  // --norc: the user's ~/.bashrc would set its own prompt over this profile's PS1.
  return existsSync('/bin/bash') ? { path: '/bin/bash', args: ['bash', '--norc', '-i'] } : { path: '/bin/sh', args: ['sh', '-i'] };
}

const ptyShell = (): Profile => ({
  version: 1,
  name: 'shell in a new session with a terminal',
  description:
    'An interactive shell with working job control, set up the way a terminal emulator or sshd does it. ' +
    'All three standard fds are the slave side of a new pseudo-terminal; setsid makes the child the leader of ' +
    'a new session (and of a new process group), and setctty (TIOCSCTTY on fd 0) makes the terminal that ' +
    "session's controlling terminal. Try `sleep 100`, then Ctrl-Z, `jobs`, `bg`, `fg`, and Ctrl-C: the terminal " +
    'turns those keys into SIGTSTP and SIGINT for the foreground process group. Without setctty the shell ' +
    'warns that it has no job control; setctty without setsid fails with EPERM, since only a session leader ' +
    'may take a controlling terminal.',
  ...jobControlShell(),
  inheritEnv: true,
  env: ['TERM=xterm-256color', 'PS1=proclab$ '],
  files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }],
  sys: { setsid: true, setctty: true, ctty: 0 },
});

const chdirError: Profile = {
  version: 1,
  name: 'chdir error',
  description:
    'dir names a folder that does not exist, so the child fails at its chdir step with ENOENT, after fork and ' +
    'before execve: pwd never runs. The child reports {step, errno} to the lab through the close-on-exec status ' +
    'pipe and exits with status 253. Compare with ENOENT at execve (set path to /nonexistent/pwd): the same ' +
    'errno, another step, another cause. The trace shows every step up to the one that failed.',
  path: 'pwd',
  args: ['pwd'],
  dir: '/nonexistent',
  env: [SYSTEM_PATH],
  files: CAPTURED_OUTPUT,
};

const ptraceStop: Profile = {
  version: 1,
  name: 'ptrace stop',
  description:
    'With ptrace the child calls PTRACE_TRACEME first, so the lab becomes its tracer. A traced process that ' +
    'calls execve stops with SIGTRAP once the new program is loaded, before its first instruction: a debugger ' +
    'sets its breakpoints here. The run shows the stop and stays stopped; Continue lets it run on under the ' +
    'tracer, Detach lets it go. /bin/true then exits with status 0.',
  path: '/bin/true',
  args: ['true'],
  files: CAPTURED_OUTPUT,
  sys: { ptrace: true },
};

const credentialDrop: Profile = {
  version: 1,
  name: 'drop to nobody',
  description:
    'Runs id as uid and gid 65534 (nobody/nogroup) with no supplementary groups. The child calls setgroups, ' +
    'then setgid, then setuid: in that order, because after setuid it would no longer have the privilege to ' +
    'change its groups. It needs root (CAP_SETUID and CAP_SETGID): run by a normal user the child fails at ' +
    'setgroups with EPERM. Set noSetGroups to skip setgroups and keep the groups of the lab.',
  path: 'id',
  args: ['id'],
  env: [SYSTEM_PATH],
  files: CAPTURED_OUTPUT,
  sys: { credential: { uid: 65534, gid: 65534, groups: [] } },
};

const ROOT_INSIDE = [{ containerId: 0, hostId: 1000, size: 1 }];

const userNamespace: Profile = {
  version: 1,
  name: 'root in a user namespace',
  description:
    'CLONE_NEWUSER in cloneflags gives the child a new user namespace as it is created. The lab writes its ' +
    'maps while the child waits (so this is no vfork: the plan says why): id 0 inside is 1000 outside. ' +
    'setgid(0) and setuid(0) inside then make the child root there, with every capability in its namespace ' +
    'and none outside it. setgroups is denied in the namespace (gidMappingsEnableSetgroups is off), so the ' +
    'credential skips it (noSetGroups). A lab that is not root may map only its own ids: put yours ' +
    '(id -u, id -g) as hostId.',
  path: 'id',
  args: ['id'],
  env: [SYSTEM_PATH],
  files: CAPTURED_OUTPUT,
  sys: {
    cloneflags: ['CLONE_NEWUSER'],
    uidMappings: ROOT_INSIDE,
    gidMappings: ROOT_INSIDE,
    credential: { uid: 0, gid: 0, groups: [], noSetGroups: true },
  },
};

export function exampleProfiles(): Profile[] {
  return [swapStdoutAndStderr, ptyShell(), chdirError, ptraceStop, credentialDrop, userNamespace];
}
