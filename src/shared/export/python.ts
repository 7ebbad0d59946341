// The launch as Python's subprocess (3.11 or newer for process_group=). Child fds 0 to 2
// are Popen's stdin, stdout and stderr; pass_fds keeps numbers and cannot move a file to
// another fd, so fds from 3 up are put in place by dup2 in preexec_fn.
import type { NormalizedProfile } from '../profile';
import { bytesOf } from '../bytes';
import { CLONE_FLAG_VALUES, gapComments, header, highestFd, MS_REC_PRIVATE, signalNumber, slotsOf, stdinBytes, unshareInChild, unsupported, xEscaped, type ExportedCode, type Feature, type Slot } from './common';

const SUPPORTED: Feature[] = [
  'timeoutMs', 'sys.setsid', 'sys.setpgid', 'sys.cloneflags', 'sys.unshareflags', 'sys.chroot', 'sys.credential', 'sys.umask', 'sys.rlimits', 'sys.nice', 'sys.cpuAffinity',
  'sys.oomScoreAdj', 'sys.pdeathsig', 'sys.noNewPrivs',
];

const b = (value: Parameters<typeof xEscaped>[0]) => `b${xEscaped(value)}`;

// The source of one child fd as an expression (an fd number, subprocess.PIPE...).
function sourceExpr(slot: Slot): string {
  const s = slot.source;
  switch (s.kind) {
    case 'null':
      return 'os.open("/dev/null", os.O_RDWR)';
    case 'file':
      return `os.open(${b(s.path)}, ${[s.access, ...s.flags].map((f) => `os.${f}`).join(' | ')}, 0o666)`;
    case 'inherit':
      // A low fd that is the source of a higher slot: copied now, before Popen puts the child's stdio there.
      return slot.fd >= 3 && s.fd < 3 ? `os.dup(${s.fd})` : `${s.fd}`;
    case 'closed':
      return 'None';
    case 'pipe':
      return slot.fd < 3 ? 'subprocess.PIPE' : 'os.pipe()';
  }
}

// The steps subprocess has no argument for, run in the child between fork and exec.
function preexecSteps(p: NormalizedProfile, credentialHere: boolean, chdirHere: boolean): string[] {
  const { sys } = p;
  const steps: string[] = [];
  if (sys.setpgid && sys.pgid !== 0) steps.push(`os.setpgid(0, ${sys.pgid})`);
  const { flags } = unshareInChild(p);
  if (flags.length > 0) steps.push(`check(libc.unshare(${flags.map((f) => `0x${CLONE_FLAG_VALUES[f].toString(16)}`).join(' | ')}))  # unshare(${flags.join(' | ')})`);
  if (flags.includes('CLONE_NEWNS')) steps.push(`check(libc.mount(b"none", b"/", None, 0x${MS_REC_PRIVATE.toString(16)}, None))  # MS_REC | MS_PRIVATE, as Go does`);
  if (sys.chroot) steps.push(`os.chroot(${b(sys.chroot)})`);
  const cred = sys.credential;
  if (credentialHere && cred) {
    if (!cred.noSetGroups) steps.push(`os.setgroups([${cred.groups.join(', ')}])`);
    steps.push(`os.setgid(${cred.gid})`, `os.setuid(${cred.uid})`);
  }
  if (chdirHere && p.dir) steps.push(`os.chdir(${b(p.dir)})`);
  if (sys.pdeathsig) steps.push(`check(libc.prctl(1, ${signalNumber(sys.pdeathsig)}, 0, 0, 0))  # PR_SET_PDEATHSIG, ${sys.pdeathsig}`);
  steps.push('place_fds()');
  if (sys.nice !== undefined) steps.push(`os.setpriority(os.PRIO_PROCESS, 0, ${sys.nice})`);
  if (sys.cpuAffinity.length > 0) steps.push(`os.sched_setaffinity(0, {${sys.cpuAffinity.join(', ')}})`);
  if (sys.oomScoreAdj !== undefined) steps.push(`with open("/proc/self/oom_score_adj", "w") as f: f.write("${sys.oomScoreAdj}")`);
  if (sys.noNewPrivs) steps.push('check(libc.prctl(38, 1, 0, 0, 0))  # PR_SET_NO_NEW_PRIVS');
  for (const [name, l] of Object.entries(sys.rlimits)) {
    const v = (x: number | 'unlimited') => (x === 'unlimited' ? 'resource.RLIM_INFINITY' : String(x));
    steps.push(`resource.setrlimit(resource.RLIMIT_${name}, (${v(l.soft)}, ${v(l.hard)}))`);
  }
  return steps;
}

// The lines that close our copy of each source once the child has its own.
function closeOurs(slot: Slot): string[] {
  const s = slot.source;
  if (s.kind === 'null' || s.kind === 'file' || (s.kind === 'inherit' && slot.fd >= 3 && s.fd < 3)) return [`os.close(src[${slot.fd}])`];
  if (s.kind === 'pipe' && slot.fd >= 3) return [`os.close(src[${slot.fd}][1])`];
  return [];
}

// The fd a copying thread reads for an output pipe: Popen's file object for 1 and 2 (a copy
// of its fd, since the object is closed below), our read end from 3 up.
const outputEnd = (slot: Slot) => (slot.fd < 3 ? `os.dup(child.${slot.fd === 1 ? 'stdout' : 'stderr'}.fileno())` : `src[${slot.fd}][0]`);

function envLiteral(p: NormalizedProfile): string {
  return `{${p.env.map((entry) => {
    const bytes = bytesOf(entry);
    const eq = bytes.indexOf(0x3d);
    return `${b(bytes.slice(0, eq))}: ${b(bytes.slice(eq + 1))}`;
  }).join(', ')}}`;
}

// libc through ctypes: what os has no function for in Python 3.11 (prctl, unshare, mount).
const usesLibc = (p: NormalizedProfile) => !!p.sys.pdeathsig || p.sys.noNewPrivs || unshareInChild(p).flags.length > 0;
const LIBC = `libc = ctypes.CDLL(None, use_errno=True)


def check(rc):
    if rc < 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
`;

export function exportPython(p: NormalizedProfile): ExportedCode {
  const gaps = [...unsupported(p, SUPPORTED, {}, 'python'), ...unshareInChild(p).gaps];
  const slots = slotsOf(p);
  const { sys } = p;
  // With a chroot, the credential and dir must follow it, inside preexec_fn: Popen's own
  // user=, group= and cwd= run before preexec_fn (and a chdir before the chroot resolves outside it).
  const credentialHere = !!sys.chroot;
  // The lab changes directory after the credential too (Popen's cwd= comes before user=): then so does preexec_fn.
  const chdirHere = credentialHere || !!sys.credential;
  const high = slots.filter((s) => s.fd >= 3);
  const outputs = slots.filter((s) => s.source.kind === 'pipe' && s.source.role !== 'stdin');
  const stdioArg = (fd: number) => {
    const slot = slots[fd];
    // Closed (or past the profile's files, which the lab closes too): preexec closes it.
    if (!slot || slot.source.kind === 'closed') return 'subprocess.DEVNULL';
    return slot.source.kind === 'pipe' ? 'subprocess.PIPE' : `src[${fd}]`;
  };
  const closed = [0, 1, 2, ...high.map((s) => s.fd)].filter((fd) => !slots[fd] || slots[fd].source.kind === 'closed');
  const cred = sys.credential;
  const kwargs = [
    'executable=PATH',
    `env=${p.inheritEnv ? '{**os.environb, **ENV}' : 'ENV'}`,
    `stdin=${stdioArg(0)}`,
    `stdout=${stdioArg(1)}`,
    `stderr=${stdioArg(2)}`,
    // Our fds stay open through the fork: preexec places them, then marks the rest close-on-exec.
    'close_fds=False',
    'preexec_fn=preexec',
    ...(p.dir && !chdirHere ? [`cwd=${b(p.dir)}`] : []),
    ...(sys.setsid ? ['start_new_session=True'] : []),
    ...(sys.setpgid && sys.pgid === 0 ? ['process_group=0'] : []),
    ...(cred && !credentialHere ? [`user=${cred.uid}`, `group=${cred.gid}`, ...(cred.noSetGroups ? [] : [`extra_groups=[${cred.groups.join(', ')}]`])] : []),
    ...(sys.umask !== undefined ? [`umask=0o${parseInt(sys.umask, 8).toString(8)}`] : []),
  ];
  const imports = ['fcntl', 'os', 'signal', 'subprocess', 'sys', 'threading', ...(usesLibc(p) ? ['ctypes'] : []), ...(Object.keys(sys.rlimits).length > 0 ? ['resource'] : [])].sort();
  const code = `#!/usr/bin/env python3
${header(p, '#', [
  'Run: python3 launch.py (Python 3.11 or newer: process_group=; the standard library only).',
  "It starts the program with the profile's setup through subprocess, copies the pipes the lab",
  "would capture to its own stdout and stderr, and exits with the child's status; a child killed",
  'by a signal is re-raised on this program. A launch that fails before the exec exits 253.',
  'preexec_fn runs Python between fork and exec, which is not safe in a program with threads',
  '(subprocess says so): this one starts its copying threads only after Popen returns.',
])}
${imports.map((m) => `import ${m}`).join('\n')}

PATH = ${b(p.path)}
ARGS = [${p.args.map(b).join(', ')}]
ENV = ${envLiteral(p)}
NFILES = ${slots.length}
${usesLibc(p) ? LIBC : ''}
# The source of each child fd: an fd of ours, subprocess.PIPE, or a pipe (read end, write end).
src = {${slots.filter((s) => s.source.kind !== 'closed').map((s) => `${s.fd}: ${sourceExpr(s)}`).join(', ')}}
# Child fds from 3 up, and the fd of ours that each one gets (pass_fds could only keep numbers).
HIGH = {${high.filter((s) => s.source.kind !== 'closed').map((s) => `${s.fd}: src[${s.fd}]${s.source.kind === 'pipe' ? '[1]' : ''}`).join(', ')}}
CLOSED = [${closed.join(', ')}]
ABOVE_EVERY_FD = ${highestFd(slots) + 1}


def place_fds():
    # Pass 1: every source above every slot, so that no dup2 overwrites a source a later
    # slot still needs (golang/go#61751); pass 2: each onto its slot (dup2's copy is inheritable).
    moved = {fd: fcntl.fcntl(s, fcntl.F_DUPFD_CLOEXEC, ABOVE_EVERY_FD) for fd, s in HIGH.items()}
    for fd, s in moved.items():
        os.dup2(s, fd)
    for fd in CLOSED:
        try:
            os.close(fd)
        except OSError:
            pass
    # Everything else this program holds is closed at exec, as the lab's closeOtherFds.
    for name in os.listdir("/proc/self/fd"):
        if int(name) >= NFILES:
            try:
                os.set_inheritable(int(name), False)
            except OSError:
                pass


def preexec():
${preexecSteps(p, credentialHere, chdirHere).map((l) => `    ${l}`).join('\n')}


def copy(source, to):
    while chunk := os.read(source, 65536):
        to.write(chunk)
        to.flush()
    os.close(source)


def feed(sink, data):
    try:
        os.write(sink, data)
    except BrokenPipeError:
        pass
    os.close(sink)


${gapComments(gaps, '#')}try:
    child = subprocess.Popen(ARGS, ${kwargs.join(', ')})
except (OSError, subprocess.SubprocessError) as err:
    print("launch failed:", err, file=sys.stderr)
    sys.exit(253)
${slots.flatMap(closeOurs).join('\n')}
copies = [${[
    ...outputs.map((s) => `threading.Thread(target=copy, args=(${outputEnd(s)}, sys.${s.source.kind === 'pipe' && s.source.role === 'stderr' ? 'stderr' : 'stdout'}.buffer))`),
    ...(slots[0]?.source.kind === 'pipe' ? [`threading.Thread(target=feed, args=(os.dup(child.stdin.fileno()), ${b(stdinBytes(p))}))`] : []),
  ].join(', ')}]
for c in copies:
    c.start()
for pipe in (child.stdin, child.stdout, child.stderr):
    if pipe:
        pipe.close()
${p.timeoutMs === undefined ? 'status = child.wait()' : `try:
    status = child.wait(timeout=${p.timeoutMs / 1000})
except subprocess.TimeoutExpired:
    child.kill()  # timeoutMs: SIGKILL
    status = child.wait()`}
for c in copies:
    c.join()
if status < 0:
    # Killed by a signal: die of the same signal, so that our parent sees what the child got.
    try:
        signal.signal(-status, signal.SIG_DFL)
    except (OSError, ValueError):
        pass  # SIGKILL and SIGSTOP have no handler to reset
    os.kill(os.getpid(), -status)
    sys.exit(128 - status)
sys.exit(status)
`;
  return { lang: 'python', code, gaps, fileName: 'launch.py' };
}
