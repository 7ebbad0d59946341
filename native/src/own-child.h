// What the lab does to a child it started, from any thread of ours: ask for its next
// state change and signal it. By its pidfd where there is one (Linux 5.4 waitid P_PIDFD,
// pidfd_send_signal 5.1): it names exactly that child whatever becomes of its pid, and
// once the child has been reaped it answers ECHILD/ESRCH instead of some later process's
// news. Only our own children: never wait(-1), Node's child_process reaps its own beside us.
#pragma once

#include <sys/types.h>

#include "generated/engine-names.h"

namespace proclab {

struct OwnChild {
  pid_t pid;
  int pidfd;  // -1: by pid (see the spawner's stop poll)
};

struct ChildChange {
  enum class Kind { None, Stopped, Continued, Exited, Gone } kind = Kind::None;
  int signal = 0;      // Stopped: the stop signal
  int waitStatus = 0;  // Exited: the status word as wait(2) returns it
  double userMs = 0, systemMs = 0;
  long maxRssKb = 0;
};

// options: WEXITED and/or WSTOPPED | WCONTINUED, plus WNOWAIT to only look. Never blocks.
// Gone: already reaped (ECHILD).
ChildChange nextChange(const OwnChild& child, int options);

// kStatusLost (generated/engine-names.h): the exit's status word when something else in
// the process reaped the child first (a wait(-1), a waitpid of its pid): the run ends all
// the same, its status unknown.

// kill(2) for the child alone, or with group for its whole process group. Returns 0, an
// errno, or kSharesLabGroup. The child must not have been reaped yet (group: its pid).
int signalChild(const OwnChild& child, int signal, bool group);
// kSharesLabGroup (generated/engine-names.h): a group signal was refused, the child is in
// the lab's own process group.

}  // namespace proclab
