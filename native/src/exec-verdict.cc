#include "exec-verdict.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

namespace proclab {

namespace {
constexpr char kSpawnerName[] = "proclab-spawner";  // 15 bytes: the most comm holds
constexpr size_t kCommBytes = 15;
}  // namespace

SetupVerdict setupVerdict(const std::vector<Op>& ops, const TraceSlot* trace, const StatusReport* report) {
  SetupVerdict v;
  if (report && report->op >= 0 && static_cast<size_t>(report->op) < ops.size()) {
    v.failedOp = report->op;
    v.failedErr = report->err;
    return v;
  }
  for (size_t i = 0; i < ops.size(); i++) {
    int state = trace[i].state;
    if (state == kOk || (state == kFailed && !ops[i].fatal)) continue;
    if (state == kFailed) {  // killed between recording the failure and reporting it
      v.failedOp = static_cast<int>(i);
      v.failedErr = trace[i].err;
    } else if (state == kEntered && ops[i].kind == OpKind::Execve) {
      v.execEntered = true;
    } else {
      v.diedAtOp = static_cast<int>(i);  // entered and never finished, or never reached
    }
    return v;
  }
  return v;
}

std::string commAfterExec(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return base.substr(0, kCommBytes);
}

void nameSpawnerThread() { pthread_setname_np(pthread_self(), kSpawnerName); }

ExecSeen execSeenInComm(pid_t pid, const std::string& execComm) {
  if (execComm == kSpawnerName) return ExecSeen::Unknown;  // the two names cannot be told apart
  std::string statPath = "/proc/" + std::to_string(pid) + "/stat";
  int fd = open(statPath.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ExecSeen::Unknown;
  char buf[512];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return ExecSeen::Unknown;
  buf[n] = '\0';
  // "pid (comm) state ...": comm may itself hold ')' and spaces; it ends at the last ')'.
  char* open = strchr(buf, '(');
  char* close = strrchr(buf, ')');
  if (!open || !close || close < open) return ExecSeen::Unknown;
  std::string comm(open + 1, close);
  if (comm == execComm) return ExecSeen::Execed;
  if (comm == kSpawnerName) return ExecSeen::NotExeced;
  return ExecSeen::Unknown;
}

ExecSeen execSeenAfter(pid_t pid, int waitStatus, const std::string& execComm) {
  bool signaled = (waitStatus & 0x7f) != 0;
  return signaled ? execSeenInComm(pid, execComm) : ExecSeen::Execed;
}

}  // namespace proclab
