// Whether a child exec'd its program, from what can be seen rather than assumed (issue 10).
// The status pipe's EOF comes from a successful execve and from a death alike, and a
// SIGKILL looks the same in the exit status before and after exec. What tells them apart:
// the child's trace (each op marked entered before its call, done or failed after it),
// and its comm, which execve changes to the program's name (begin_new_exec) and which
// /proc/PID/stat shows even for a zombie.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "child.h"
#include "spec.h"

namespace proclab {

struct SetupVerdict {
  int failedOp = -1;  // a fatal op that failed (from the report, or the trace if the report was lost)
  int failedErr = 0;
  int diedAtOp = -1;  // the child died in its setup, in or before this op, never reaching execve
  bool execEntered = false;  // it called execve and did not come back to say it failed: it
                             // exec'd, unless a signal killed it inside execve (checked at exit)
};

// report: the status pipe's {op, errno}, or nullptr when it held none.
SetupVerdict setupVerdict(const std::vector<Op>& ops, const TraceSlot* trace, const StatusReport* report);

// What the exit says about an execEntered child (ExecSeen, generated/engine-names.h): it
// exited by itself (it exec'd: the lab's child only exits after a report), or was killed,
// and then its comm tells.

// The name execve gives a process running path (comm: its last component, 15 bytes).
std::string commAfterExec(const std::string& path);
// Names the calling thread (the spawner) with the comm a child has until it execs.
void nameSpawnerThread();

// A child's comm now: whether it has exec'd (Unknown when unreadable, or ambiguous).
ExecSeen execSeenInComm(pid_t pid, const std::string& execComm);

// For an execEntered child that has exited and is not reaped yet (WNOWAIT): an exit of
// its own means it exec'd (the lab's child only exits after a report); a death by a
// signal is told by its comm, which a zombie still shows.
ExecSeen execSeenAfter(pid_t pid, int waitStatus, const std::string& execComm);

}  // namespace proclab
