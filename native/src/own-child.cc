#include "own-child.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace proclab {

namespace {
double ms(const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }
}  // namespace

ChildChange nextChange(const OwnChild& child, int options) {
  siginfo_t info{};
  struct rusage usage{};
  bool byFd = child.pidfd >= 0;
  // The raw system call: its fifth argument, the child's rusage, is not in glibc's wrapper.
  long rc;
  do rc = syscall(SYS_waitid, byFd ? P_PIDFD : P_PID, byFd ? child.pidfd : child.pid, &info,
                  options | WNOHANG | __WALL, &usage);
  while (rc < 0 && errno == EINTR);
  ChildChange change;
  if (rc < 0) {
    change.kind = ChildChange::Kind::Gone;
    return change;
  }
  if (info.si_pid == 0) return change;  // WNOHANG: nothing to report yet
  switch (info.si_code) {
    case CLD_STOPPED:
    case CLD_TRAPPED:  // a ptrace stop
      change.kind = ChildChange::Kind::Stopped;
      change.signal = info.si_status;
      return change;
    case CLD_CONTINUED:
      change.kind = ChildChange::Kind::Continued;
      return change;
    default:
      break;
  }
  // The status word wait(2)'s macros decode: exit code in bits 8-15; a signal in bits
  // 0-6, with 0x80 when it dumped core.
  change.kind = ChildChange::Kind::Exited;
  if (info.si_code == CLD_EXITED)
    change.waitStatus = (info.si_status & 0xff) << 8;
  else
    change.waitStatus = (info.si_status & 0x7f) | (info.si_code == CLD_DUMPED ? 0x80 : 0);
  change.userMs = ms(usage.ru_utime);
  change.systemMs = ms(usage.ru_stime);
  change.maxRssKb = usage.ru_maxrss;
  return change;
}

int signalChild(const OwnChild& child, int signal, bool group) {
  if (!group) {
    long rc = child.pidfd >= 0 ? syscall(SYS_pidfd_send_signal, child.pidfd, signal, nullptr, 0)
                               : kill(child.pid, signal);
    return rc < 0 ? errno : 0;
  }
  pid_t pgid = getpgid(child.pid);
  if (pgid < 0) return errno;
  if (pgid == getpgrp()) return kSharesLabGroup;  // kill(-pgid) would signal the lab itself
  return kill(-pgid, signal) < 0 ? errno : 0;
}

}  // namespace proclab
