// Runs in the child between clone and execve. It shares memory with the lab (CLONE_VM):
// in vfork mode its parent thread is suspended, but a traced vfork child runs beside the
// spawner thread (spawner.cc: its tracer must stay free to answer its stops). So: raw
// system calls only, no malloc, no locks, no C++ objects, no glibc wrappers that keep
// process-wide state (glibc's setuid() signals every thread of the lab to keep credentials
// in sync), and not even errno, which is the spawner thread's own TLS slot.
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace proclab {
namespace {

// A system call that returns -errno instead of setting errno.
long sys(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
#if defined(__x86_64__)
  long rc;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  __asm__ volatile("syscall" : "=a"(rc) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
  return rc;
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
  return x0;
#else
#error "the child's raw system calls are written for x86_64 and aarch64"
#endif
}

// 0 on success, else errno.
long check(long rc) { return rc < 0 ? -rc : 0; }

template <typename T>
long arg(T value) {
  return (long)value;  // NOLINT: pointers and integers alike, as the kernel takes them
}

// The kernel's struct sigaction (not glibc's): rt_sigaction(2) takes this layout.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};

constexpr int kMaxSignal = 64;

// Every caught handler goes back to SIG_DFL first: with CLONE_VM a handler of the lab
// running here would corrupt the lab's memory, and after exec it would be reset anyway.
// resetAll also resets ignored signals (Node ignores SIGPIPE and SIGXFSZ, and an
// ignored disposition survives exec). The mask stays full (every signal blocked since the
// clone) until the sigmask op: a signal that arrives during the setup waits, pending,
// instead of stopping a traced child whose tracer may be busy (issue 10).
long resetHandlers(bool resetAll) {
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    KernelSigaction old{};
    if (sys(SYS_rt_sigaction, sig, 0, arg(&old), sizeof(uint64_t)) < 0) continue;
    bool caught = old.handler != SIG_DFL && old.handler != SIG_IGN;
    if (caught || (resetAll && old.handler == SIG_IGN)) {
      KernelSigaction dfl{};
      dfl.handler = SIG_DFL;
      sys(SYS_rt_sigaction, sig, arg(&dfl), 0, sizeof(uint64_t));
    }
  }
  return 0;
}

// Each inherited fd as named at launch(): the caller may have closed it (or the number
// may name something else) since the check before the clone (issue 10). kcmp(2) with
// the copy taken then; where they differ, the copy is put back under the named number.
long keepInherited(const Op& op) {
  long self = sys(SYS_getpid);
  for (int i = 0; i < op.a; i++) {
    const int* entry = op.inherited + 3 * i;
    if (sys(SYS_kcmp, self, self, KCMP_FILE, entry[0], entry[1]) == 0) continue;
    long rc = sys(SYS_dup3, entry[1], entry[0], entry[2] ? O_CLOEXEC : 0);
    if (rc < 0) return -rc;
  }
  return 0;
}

// open, write, close: one write, as /proc's map and oom files want it (user_namespaces(7)).
long writeFile(const char* path, const char* text) {
  long fd = sys(SYS_openat, AT_FDCWD, arg(path), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -fd;
  long len = 0;
  while (text[len]) len++;
  long rc = sys(SYS_write, fd, arg(text), len);
  sys(SYS_close, fd);
  if (rc < 0) return -rc;
  return rc == len ? 0 : EIO;
}

// The lab writes the maps of the child's new user namespace, then the outcome: 0, or the
// errno of the write the kernel refused, which this step then fails with (as Go's child
// does). EOF without it: the lab could not say (ECANCELED).
long waitForMaps(int fd) {
  int32_t err = 0;
  long rc;
  do rc = sys(SYS_read, fd, arg(&err), sizeof err);
  while (rc == -EINTR);
  sys(SYS_close, fd);
  if (rc < 0) return -rc;
  return rc == sizeof err ? err : ECANCELED;
}

// Ambient capabilities (capabilities(7)): each must be permitted and inheritable first, so
// they are added to both (capset refuses what the bounding set or the permitted set lacks),
// then raised one by one. After a credential drop only PR_SET_KEEPCAPS kept them permitted.
long raiseAmbient(const uint32_t* caps, int count) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (long rc = sys(SYS_capget, arg(&header), arg(data)); rc < 0) return -rc;
  for (int i = 0; i < count; i++) {
    data[caps[i] / 32].permitted |= 1U << (caps[i] % 32);
    data[caps[i] / 32].inheritable |= 1U << (caps[i] % 32);
  }
  if (long rc = sys(SYS_capset, arg(&header), arg(data)); rc < 0) return -rc;
  for (int i = 0; i < count; i++)
    if (long rc = sys(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, caps[i], 0, 0); rc < 0) return -rc;
  return 0;
}

// Go's check: the parent may have died before the prctl, and then no signal will come. In a
// new PID namespace getppid() is 0 (the parent is outside it): nothing to compare.
long setPdeathsig(int sig, int labPid) {
  if (long rc = sys(SYS_prctl, PR_SET_PDEATHSIG, sig, 0, 0, 0); rc < 0) return -rc;
  long ppid = sys(SYS_getppid);
  if (ppid != 0 && ppid != labPid) sys(SYS_kill, sys(SYS_getpid), sig);  // blocked until sigmask
  return 0;
}

long setForeground(int fd, int pgid) {
  int pgrp = pgid ? pgid : static_cast<int>(sys(SYS_getpid));
  return check(sys(SYS_ioctl, fd, TIOCSPGRP, arg(&pgrp)));
}

long runOp(const Op& op, const ChildImage& image) {
  switch (op.kind) {
    case OpKind::Signals: return resetHandlers(op.a != 0);
    case OpKind::SigMask: {
      uint64_t mask = op.a ? 0 : image.parentSigmask;
      return check(sys(SYS_rt_sigprocmask, SIG_SETMASK, arg(&mask), 0, sizeof(uint64_t)));
    }
    case OpKind::TraceMe: return check(sys(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
    case OpKind::ByLab: return 0;  // runSteps never gets here
    case OpKind::WaitMaps: return waitForMaps(op.a);
    case OpKind::Setsid: return check(sys(SYS_setsid));
    case OpKind::Setpgid: return check(sys(SYS_setpgid, 0, op.a));
    case OpKind::Foreground: return setForeground(op.a, op.b);
    case OpKind::Unshare: return check(sys(SYS_unshare, static_cast<unsigned>(op.a)));
    case OpKind::MountPrivate: return check(sys(SYS_mount, arg("none"), arg("/"), 0, MS_REC | MS_PRIVATE, 0));
    case OpKind::WriteFile: return writeFile(op.str, op.text);
    case OpKind::Chroot: return check(sys(SYS_chroot, arg(op.str)));
    case OpKind::KeepCaps: return check(sys(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0, 0));
    case OpKind::Setgroups: return check(sys(SYS_setgroups, op.a, arg(op.ids)));
    case OpKind::Setgid: return check(sys(SYS_setgid, op.a));
    case OpKind::Setuid: return check(sys(SYS_setuid, op.a));
    case OpKind::AmbientCaps: return raiseAmbient(op.ids, op.a);
    case OpKind::Chdir: return check(sys(SYS_chdir, arg(op.str)));
    case OpKind::Pdeathsig: return setPdeathsig(op.a, op.b);
    case OpKind::KeepInherited: return keepInherited(op);
    // dup3 with no flags is dup2 for distinct fds (aarch64 has no dup2 syscall); the
    // planner never asks for dup2(fd, fd).
    case OpKind::Dup2: return check(sys(SYS_dup3, op.a, op.b, 0));
    case OpKind::SetCloexec: return check(sys(SYS_fcntl, op.a, F_SETFD, op.b ? FD_CLOEXEC : 0));
    case OpKind::Close: return check(sys(SYS_close, op.a));
    case OpKind::CloseFrom: return check(sys(SYS_close_range, op.a, ~0U, CLOSE_RANGE_CLOEXEC));
    case OpKind::Noctty: return check(sys(SYS_ioctl, 0, TIOCNOTTY, 0));
    case OpKind::Setctty: return check(sys(SYS_ioctl, op.a, TIOCSCTTY, 0));
    case OpKind::PlaceReport: return check(sys(SYS_dup3, op.a, op.b, 0));
    case OpKind::Umask: return check(sys(SYS_umask, op.a));
    case OpKind::Nice: return check(sys(SYS_setpriority, PRIO_PROCESS, 0, op.a));
    case OpKind::CpuAffinity: return check(sys(SYS_sched_setaffinity, 0, op.a, arg(op.data)));
    case OpKind::NoNewPrivs: return check(sys(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    case OpKind::Rlimit: return check(sys(SYS_prlimit64, 0, op.a, arg(op.data), 0));
    case OpKind::Execve:
      if (op.a >= 0) return check(sys(SYS_execveat, op.a, arg(""), arg(image.argv), arg(image.envp), AT_EMPTY_PATH));
      return check(sys(SYS_execve, arg(image.path), arg(image.argv), arg(image.envp)));
  }
  return EINVAL;
}

}  // namespace

StepFailure runSteps(const ChildImage& image) {
  StepFailure failure{-1, 0, image.statusFd};
  for (int i = 0; i < image.opCount; i++) {
    const Op& op = image.ops[i];
    if (op.kind == OpKind::ByLab) continue;  // the lab records these itself
    image.trace[i].state = kEntered;
    long err = runOp(op, image);
    image.trace[i].state = err ? kFailed : kOk;
    image.trace[i].err = static_cast<int32_t>(err);
    if (err == 0 && op.movesStatusPipe) failure.statusFd = op.b;
    if (err && op.fatal) {
      failure.op = i;
      failure.err = static_cast<int32_t>(err);
      break;
    }
  }
  // Only reached when a step failed (execve does not return on success).
  return failure;
}

void runChild(const ChildImage& image) {
  StepFailure failure = runSteps(image);
  StatusReport report{failure.op, failure.err};
  sys(SYS_write, failure.statusFd, arg(&report), sizeof report);
  for (;;) sys(SYS_exit_group, 253);
}

int childEntry(void* image) { runChild(*static_cast<const ChildImage*>(image)); }

}  // namespace proclab
