// Runs in the child between clone and execve. In vfork mode it shares memory with the
// lab and its parent thread is suspended (CLONE_VM|CLONE_VFORK), so: raw syscalls only,
// no malloc, no locks, no C++ objects, no glibc wrappers that keep process-wide state
// (glibc's setuid() signals every thread of the lab to keep credentials in sync).
// syscall() writes errno, which is the suspended spawner thread's own TLS slot: harmless.
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace proclab {
namespace {

// The kernel's struct sigaction (not glibc's): rt_sigaction(2) takes this layout.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "KernelSigaction is laid out for x86_64 and aarch64 (both have sa_restorer)"
#endif

constexpr int kMaxSignal = 64;

// 0 on success, else errno.
long check(long rc) { return rc < 0 ? errno : 0; }

// Every caught handler goes back to SIG_DFL first: with CLONE_VM a handler of the lab
// running here would corrupt the lab's memory, and after exec it would be reset anyway.
// resetAll also resets ignored signals (Node ignores SIGPIPE and SIGXFSZ, and an
// ignored disposition survives exec). Then the mask: empty, or the lab's own.
long resetSignals(bool resetAll, uint64_t parentMask) {
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    KernelSigaction old{};
    if (syscall(SYS_rt_sigaction, sig, nullptr, &old, sizeof(uint64_t)) < 0) continue;
    bool caught = old.handler != SIG_DFL && old.handler != SIG_IGN;
    if (caught || (resetAll && old.handler == SIG_IGN)) {
      KernelSigaction dfl{};
      dfl.handler = SIG_DFL;
      syscall(SYS_rt_sigaction, sig, &dfl, nullptr, sizeof(uint64_t));
    }
  }
  uint64_t mask = resetAll ? 0 : parentMask;
  return check(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, sizeof(uint64_t)));
}

long runOp(const Op& op, const ChildImage& image) {
  switch (op.kind) {
    case OpKind::Signals: return resetSignals(op.a != 0, image.parentSigmask);
    case OpKind::TraceMe: return check(syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
    case OpKind::Setsid: return check(syscall(SYS_setsid));
    case OpKind::Setpgid: return check(syscall(SYS_setpgid, 0, op.a));
    case OpKind::Chroot: return check(syscall(SYS_chroot, op.str));
    case OpKind::Setgroups: return check(syscall(SYS_setgroups, op.a, op.groups));
    case OpKind::Setgid: return check(syscall(SYS_setgid, op.a));
    case OpKind::Setuid: return check(syscall(SYS_setuid, op.a));
    case OpKind::Chdir: return check(syscall(SYS_chdir, op.str));
    // dup3 with no flags is dup2 for distinct fds (aarch64 has no dup2 syscall); the
    // planner never asks for dup2(fd, fd).
    case OpKind::Dup2: return check(syscall(SYS_dup3, op.a, op.b, 0));
    case OpKind::SetCloexec: return check(syscall(SYS_fcntl, op.a, F_SETFD, op.b ? FD_CLOEXEC : 0));
    case OpKind::Close: return check(syscall(SYS_close, op.a));
    case OpKind::CloseFrom:
      return check(syscall(SYS_close_range, op.a, ~0U, CLOSE_RANGE_CLOEXEC));
    case OpKind::Noctty: return check(syscall(SYS_ioctl, 0, TIOCNOTTY, 0));
    case OpKind::Setctty: return check(syscall(SYS_ioctl, op.a, TIOCSCTTY, 0));
    case OpKind::Execve: return check(syscall(SYS_execve, image.path, image.argv, image.envp));
  }
  return EINVAL;
}

}  // namespace

void runChild(const ChildImage& image) {
  int statusFd = image.statusFd;
  for (int i = 0; i < image.opCount; i++) {
    const Op& op = image.ops[i];
    long err = runOp(op, image);
    image.trace[i].state = err ? kFailed : kOk;
    image.trace[i].err = static_cast<int32_t>(err);
    if (err == 0 && op.movesStatusPipe) statusFd = op.b;
    if (err && op.fatal) {
      StatusReport report{i, static_cast<int32_t>(err)};
      syscall(SYS_write, statusFd, &report, sizeof report);
      break;
    }
  }
  // Only reached when a step failed (execve does not return on success).
  for (;;) syscall(SYS_exit_group, 253);
}

int childEntry(void* image) { runChild(*static_cast<const ChildImage*>(image)); }

}  // namespace proclab
