// The launch as Rust's std::process::Command with CommandExt. Child fds 0 to 2 are its
// stdin, stdout and stderr; the rest, and every step Command has no stable method for
// (setsid, groups: CommandExt::groups is unstable, and uid() calls setgroups itself), run
// in a pre_exec closure over libc functions declared with extern "C" (no crates).
import { bytesOf } from '../bytes';
import type { NormalizedProfile } from '../profile';
import { CLONE_FLAG_VALUES, gapComments, header, highestFd, MS_REC_PRIVATE, rlimitValue, signalNumber, slotsOf, stdinBytes, unsupported, xEscaped, type ExportedCode, type Feature, type Slot, unshareInChild } from './common';

const SUPPORTED: Feature[] = [
  'sys.setsid', 'sys.setpgid', 'sys.cloneflags', 'sys.unshareflags', 'sys.chroot', 'sys.credential', 'sys.pdeathsig', 'sys.noNewPrivs', 'sys.umask', 'sys.rlimits', 'sys.nice',
  'sys.cpuAffinity', 'sys.oomScoreAdj',
];

const REASONS: Partial<Record<Feature, string>> = {
  timeoutMs: 'no timeout in the Rust export: kill the child from a thread if you need one',
};

const b = (value: Parameters<typeof xEscaped>[0]) => `b${xEscaped(value)}`;
/** A NUL-terminated byte string's pointer, for a libc path argument. */
const cPath = (value: Parameters<typeof bytesOf>[0]) => `${b(new Uint8Array([...bytesOf(value), 0]))}.as_ptr()`;
const os = (value: Parameters<typeof xEscaped>[0]) => `OsStr::from_bytes(${b(value)})`;

// Linux's numbers (x86_64 and arm64 alike).
const O_FLAGS = { O_APPEND: 0o2000, O_CREAT: 0o100, O_TRUNC: 0o1000 } as const;
const RLIMIT_NUMBERS = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'];

// The OwnedFd (or Stdio) a child fd comes from.
function sourceExpr(slot: Slot): string {
  const s = slot.source;
  switch (s.kind) {
    case 'null':
      return 'OwnedFd::from(must(OpenOptions::new().read(true).write(true).open("/dev/null")))';
    case 'file': {
      const custom = s.flags.reduce((n, f) => n | O_FLAGS[f], 0);
      return `OwnedFd::from(must(OpenOptions::new().read(${s.access !== 'O_WRONLY'}).write(${s.access !== 'O_RDONLY'}).custom_flags(0o${custom.toString(8)}).mode(0o666).open(${os(s.path)})))`;
    }
    case 'inherit':
      // A copy (close-on-exec): std's dup2 of stdio would otherwise clobber a swap's source.
      return `must(unsafe { BorrowedFd::borrow_raw(${s.fd}) }.try_clone_to_owned())`;
    case 'closed':
      return '';
    case 'pipe':
      return '';
  }
}

function preExec(p: NormalizedProfile, chdirHere: boolean): string[] {
  const { sys } = p;
  const steps: string[] = [];
  if (sys.setsid) steps.push('check(setsid())?;');
  const { flags } = unshareInChild(p);
  if (flags.length > 0) steps.push(`check(unshare(0x${flags.reduce((n, f) => n | CLONE_FLAG_VALUES[f], 0).toString(16)}))?; // ${flags.join(' | ')}`);
  if (flags.includes('CLONE_NEWNS')) steps.push(`check(mount(${cPath('none')}, ${cPath('/')}, std::ptr::null(), 0x${MS_REC_PRIVATE.toString(16)}, std::ptr::null()))?; // MS_REC | MS_PRIVATE, as Go does`);
  if (sys.chroot) steps.push(`check(chroot(${cPath(sys.chroot)}))?;`);
  const cred = sys.credential;
  if (cred) {
    steps.push("// The credential here: CommandExt::groups is unstable, and uid() calls setgroups itself.");
    if (!cred.noSetGroups) {
      const list = cred.groups.length > 0 ? `[${cred.groups.map((g) => `${g}u32`).join(', ')}]` : '[0u32; 0]';
      steps.push(`check(setgroups(${cred.groups.length}, ${list}.as_ptr()))?;`);
    }
    steps.push(`check(setgid(${cred.gid}))?;`, `check(setuid(${cred.uid}))?;`);
  }
  if (chdirHere && p.dir) steps.push(`check(chdir(${cPath(p.dir)}))?;`);
  if (sys.pdeathsig) steps.push(`check(prctl(1, ${signalNumber(sys.pdeathsig)}, 0, 0, 0))?; // PR_SET_PDEATHSIG, ${sys.pdeathsig}`);
  steps.push('place_fds()?;');
  if (sys.umask !== undefined) steps.push(`umask(0o${parseInt(sys.umask, 8).toString(8)});`);
  if (sys.nice !== undefined) steps.push(`check(setpriority(0, 0, ${sys.nice}))?; // PRIO_PROCESS, itself`);
  if (sys.cpuAffinity.length > 0) {
    // A cpu_set_t: 1024 bits, CPU n at bit n % 64 of word n / 64.
    const words = Array.from({ length: 16 }, (_, w) => sys.cpuAffinity.filter((c) => Math.floor(c / 64) === w).reduce((n, c) => n | (1n << BigInt(c % 64)), 0n));
    steps.push(`check(sched_setaffinity(0, 128, [${words.map((w) => `0x${w.toString(16)}u64`).join(', ')}].as_ptr()))?; // CPUs ${sys.cpuAffinity.join(', ')}`);
  }
  if (sys.oomScoreAdj !== undefined) {
    const value = String(sys.oomScoreAdj);
    steps.push(`let oom = open(${cPath('/proc/self/oom_score_adj')}, 1); // O_WRONLY`, 'check(oom)?;', `check(write(oom, b"${value}".as_ptr(), ${value.length}) as i64)?;`, 'close(oom);');
  }
  if (sys.noNewPrivs) steps.push('check(prctl(38, 1, 0, 0, 0))?; // PR_SET_NO_NEW_PRIVS');
  for (const [name, l] of Object.entries(sys.rlimits)) {
    steps.push(`check(setrlimit(${RLIMIT_NUMBERS.indexOf(name)}, &[${rlimitValue(l.soft, 'u64::MAX')}, ${rlimitValue(l.hard, 'u64::MAX')}]))?; // RLIMIT_${name}`);
  }
  return steps;
}

export function exportRust(p: NormalizedProfile): ExportedCode {
  const gaps = [...unsupported(p, SUPPORTED, REASONS, 'rust'), ...unshareInChild(p).gaps];
  const slots = slotsOf(p);
  const { sys } = p;
  // The lab changes directory after the chroot and the credential: then so does pre_exec.
  const chdirHere = !!sys.chroot || !!sys.credential;
  const stdioNames = ['stdin', 'stdout', 'stderr'] as const;
  const stdio = [0, 1, 2].map((fd) => {
    const slot = slots[fd];
    if (!slot || slot.source.kind === 'closed') return `cmd.${stdioNames[fd]}(Stdio::null()); // closed in pre_exec`;
    if (slot.source.kind === 'pipe') return `cmd.${stdioNames[fd]}(Stdio::piped());`;
    return `cmd.${stdioNames[fd]}(Stdio::from(${sourceExpr(slot)}));`;
  });
  const high = slots.filter((s) => s.fd >= 3 && s.source.kind !== 'closed');
  const closed = [0, 1, 2, ...slots.filter((s) => s.fd >= 3).map((s) => s.fd)].filter((fd) => !slots[fd] || slots[fd].source.kind === 'closed');
  const highSources = high.map((s) =>
    s.source.kind === 'pipe'
      ? `let (r${s.fd}, w${s.fd}) = must(std::io::pipe());\n    let src${s.fd} = OwnedFd::from(w${s.fd});`
      : `let src${s.fd} = ${sourceExpr(s)};`,
  );
  const outputs = slots.filter((s) => s.source.kind === 'pipe' && s.source.role !== 'stdin');
  const externs = [
    'fn fcntl(fd: i32, cmd: i32, ...) -> i32;',
    'fn dup2(old: i32, new: i32) -> i32;',
    'fn close(fd: i32) -> i32;',
    'fn syscall(number: i64, ...) -> i64;',
    ...(sys.setsid ? ['fn setsid() -> i32;'] : []),
    ...(unshareInChild(p).flags.length > 0 ? ['fn unshare(flags: i32) -> i32;', 'fn mount(source: *const u8, target: *const u8, fstype: *const u8, flags: u64, data: *const u8) -> i32;'] : []),
    ...(sys.chroot ? ['fn chroot(path: *const u8) -> i32;'] : []),
    ...(chdirHere && p.dir ? ['fn chdir(path: *const u8) -> i32;'] : []),
    ...(sys.credential ? ['fn setgroups(n: usize, groups: *const u32) -> i32;', 'fn setgid(gid: u32) -> i32;', 'fn setuid(uid: u32) -> i32;'] : []),
    ...(sys.pdeathsig || sys.noNewPrivs ? ['fn prctl(option: i32, a: u64, b: u64, c: u64, d: u64) -> i32;'] : []),
    ...(sys.umask !== undefined ? ['fn umask(mask: u32) -> u32;'] : []),
    ...(sys.nice !== undefined ? ['fn setpriority(which: i32, who: u32, prio: i32) -> i32;'] : []),
    ...(Object.keys(sys.rlimits).length > 0 ? ['fn setrlimit(resource: i32, limits: *const [u64; 2]) -> i32;'] : []),
    ...(sys.cpuAffinity.length > 0 ? ['fn sched_setaffinity(pid: i32, size: usize, mask: *const u64) -> i32;'] : []),
    ...(sys.oomScoreAdj !== undefined ? ['fn open(path: *const u8, flags: i32, ...) -> i32;', 'fn write(fd: i32, buf: *const u8, len: usize) -> isize;'] : []),
  ];
  const env = p.env.map((entry) => {
    const bytes = bytesOf(entry);
    const eq = bytes.indexOf(0x3d);
    return `cmd.env(${os(bytes.slice(0, eq))}, ${os(bytes.slice(eq + 1))});`;
  });
  const code = `${header(p, '//', [
    'Build: rustc -O -o launch main.rs (Rust 1.87 or newer: std::io::pipe; no crates). Run: ./launch',
    "It spawns the program with the profile's setup, copies the pipes the lab would capture to its",
    "own stdout and stderr, and exits with the child's status (a child killed by signal n: 128+n).",
    'A launch that fails before the exec exits 253, as the lab\'s child.',
  ])}
use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io::{self${p.files[0]?.type === 'pipe' ? ', Write' : ''}};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::thread;

extern "C" {
${externs.map((e) => `    ${e}`).join('\n')}
}

const NFILES: i32 = ${slots.length};
const ABOVE_EVERY_FD: i32 = ${highestFd(slots) + 1};
const F_DUPFD_CLOEXEC: i32 = 1030;
const SYS_CLOSE_RANGE: i64 = 436;
const CLOSE_RANGE_CLOEXEC: u32 = 4;

fn must<T>(r: io::Result<T>) -> T {
    r.unwrap_or_else(|e| {
        eprintln!("launch: {e}");
        std::process::exit(1)
    })
}

fn check<N: Into<i64>>(rc: N) -> io::Result<()> {
    if rc.into() < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

fn main() {
    let mut cmd = Command::new(${os(p.path)});
    cmd.arg0(${os(p.args[0] ?? '')});
${p.args.slice(1).map((a) => `    cmd.arg(${os(a)});`).join('\n')}
${p.inheritEnv ? '' : '    cmd.env_clear(); // exactly the profile\'s env\n'}${env.map((l) => `    ${l}`).join('\n')}
${p.dir && !chdirHere ? `    cmd.current_dir(${os(p.dir)});\n` : ''}${sys.setpgid ? `    cmd.process_group(${sys.pgid});\n` : ''}${stdio.map((l) => `    ${l}`).join('\n')}
    // Child fds from 3 up: each source (close-on-exec) and the slot it goes to.
${highSources.map((l) => `    ${l}`).join('\n')}
    let high: [(i32, i32); ${high.length}] = [${high.map((s) => `(${s.fd}, src${s.fd}.as_raw_fd())`).join(', ')}];
    let closed: [i32; ${closed.length}] = [${closed.join(', ')}];
    let place_fds = move || -> io::Result<()> {
        // Pass 1: every source above every slot, so that no dup2 overwrites a source a later
        // slot still needs (golang/go#61751); pass 2: each onto its slot (dup2's copy is inherited).
        let mut moved = high;
        for m in moved.iter_mut() {
            m.1 = unsafe { fcntl(m.1, F_DUPFD_CLOEXEC, ABOVE_EVERY_FD) };
            check(m.1)?;
        }
        for &(fd, copy) in &moved {
            check(unsafe { dup2(copy, fd) })?;
        }
        for &fd in &closed {
            unsafe { close(fd) };
        }
        // Everything above the slots is closed at exec, as the lab's closeOtherFds.
        check(unsafe { syscall(SYS_CLOSE_RANGE, NFILES as u32, u32::MAX, CLOSE_RANGE_CLOEXEC) })
    };
${gapComments(gaps, '//', '    ')}    // Between fork and exec: async-signal-safe calls only (no allocation).
    unsafe {
        cmd.pre_exec(move || {
${preExec(p, chdirHere).map((l) => `            ${l}`).join('\n')}
            Ok(())
        });
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("launch failed: {e}");
            std::process::exit(253)
        }
    };
    drop(cmd); // our copies of the child's fds
${high.filter((s) => s.source.kind !== 'pipe').map((s) => `    drop(src${s.fd});`).join('\n')}
${high.filter((s) => s.source.kind === 'pipe').map((s) => `    drop(src${s.fd}); // the child has its copy`).join('\n')}
    let mut copies: Vec<thread::JoinHandle<()>> = Vec::new();
${slots[0]?.source.kind === 'pipe' ? `    let mut input = child.stdin.take().unwrap();
    copies.push(thread::spawn(move || {
        let _ = input.write_all(${b(stdinBytes(p))}); // the child may exit without reading
    }));\n` : ''}${outputs.map((s) => {
    const from = s.fd === 1 ? 'child.stdout.take().unwrap()' : s.fd === 2 ? 'child.stderr.take().unwrap()' : `r${s.fd}`;
    const to = s.source.kind === 'pipe' && s.source.role === 'stderr' ? 'io::stderr()' : 'io::stdout()';
    return `    let mut from${s.fd} = ${from};\n    copies.push(thread::spawn(move || {\n        let _ = io::copy(&mut from${s.fd}, &mut ${to});\n    }));`;
  }).join('\n')}
    let status = must(child.wait());
    for c in copies {
        let _ = c.join();
    }
    std::process::exit(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)));
}
`;
  return { lang: 'rust', code, gaps, fileName: 'main.rs' };
}
