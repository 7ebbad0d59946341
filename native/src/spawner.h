// The spawner: one long-lived native thread that opens each launch's files, clones the
// child, reads its status pipe, waits for it (pidfd), and runs every ptrace request.
// Ptrace requests must come from the thread that cloned the tracee, hence one thread
// for both. The JS thread only queues requests and receives messages.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child.h"
#include "sources.h"
#include "spec.h"

namespace proclab {

// A failure before or at the clone: nothing ran in a child.
struct ParentFailure {
  const char* step;  // "open" or "clone"
  int err;
  int slot;  // open: files[slot]
};

// Which file a descriptor refers to (fstat's st_dev and st_ino): what lets a table the
// child reports be matched to the sources it was given, whatever their numbers or names.
struct FdIdentity {
  uint64_t dev;
  uint64_t ino;
};

struct Spawned {
  pid_t pid = -1;
  double atMs = 0;
  std::vector<PlanEntry> plan;
  std::vector<TraceSlot> trace;  // what the child recorded, op by op
  int failedOp = -1;             // a fatal op that failed (exec-verdict.h); -1: none
  int failedErr = 0;
  int diedAtOp = -1;             // the child died in its setup, in or before this op
  bool execEntered = false;      // it went into execve and did not report a failure
  std::string execComm;          // the comm execve gives it (what its exit is checked against)
  int reportFd = -1;             // the report's memfd (ChildSpec::reportFd), now the JS thread's
  std::vector<int> slotFds;
  int statusFd = -1;
  // Taken just before the clone: per slot (nullopt for a closed slot, or when fstat
  // failed, e.g. an inherited fd that is not open), and the status pipe's write end.
  std::vector<std::optional<FdIdentity>> sourceIds;
  std::optional<FdIdentity> statusId;
  int firstFreshFd = 0;
  std::vector<ParentEnd> parentEnds;
  std::string ptyName;
  // The JS thread waits for this child's exit itself and signals it (a run without
  // ptrace): the child's pidfd, now the JS thread's (-1: the spawner keeps the child),
  // and the launch's start for its times.
  int exitFd = -1;
  std::chrono::steady_clock::time_point start;
  bool parentFailed = false;
  ParentFailure parentFailure{};
};

struct ChildEvent {
  // AnsweredBeforeExec: a traced child stopped for a signal before its execve, and the
  // engine, its tracer, resumed it at once (delivered: with the signal; else without).
  enum class Kind { Stopped, Continued, Detached, AnsweredBeforeExec } kind;
  double atMs;
  int signal;  // Stopped: the stop signal; Continued/Detached by ptrace: the signal delivered
  bool byPtrace;
  bool delivered = false;  // AnsweredBeforeExec
};

struct Exited {
  double atMs;
  int waitStatus;
  double userMs, systemMs;
  long maxRssKb;
  int execSeen = 0;  // ExecSeen (exec-verdict.h), for a child that went into execve
};

struct ControlDone {
  uint32_t requestId;
  int err;  // 0, an errno, kSharesLabGroup (own-child.h) or kAskAfterStart
};

// kAskAfterStart (generated/engine-names.h): a control reached the spawner for a run whose
// 'spawned' message is on its way to the JS thread, which signals such a child itself: ask
// again once it has arrived.

// Where a run's messages go (the addon forwards them to JS). Called on the spawner
// thread; close() is the last call. A run whose Spawned carries an exitFd never gets
// exited() or close() from the spawner: the JS thread reaps it and then calls forgetRun.
class RunSink {
 public:
  virtual ~RunSink() = default;
  uint32_t runId = 0;  // set by submitLaunch before any message is sent
  virtual void spawned(std::unique_ptr<Spawned> m) = 0;
  virtual void event(ChildEvent m) = 0;
  virtual void exited(Exited m) = 0;
  virtual void controlDone(ControlDone m) = 0;
  virtual void close() = 0;
};

struct Control {
  enum class Kind { Signal, SignalGroup, PtraceCont, PtraceDetach } kind;
  int signal;
  uint32_t requestId;
};

// Starts the spawner thread (idempotent); launching starts it too.
void startSpawner();

// Queues a launch; every outcome arrives through sink. Returns the run id.
uint32_t submitLaunch(std::unique_ptr<ChildSpec> spec, std::unique_ptr<RunSink> sink);

// Queues a request for a run, at any moment from queued to reaped; its answer arrives as
// sink->controlDone (ESRCH once the run has been reaped). A run still opening its files
// is cancelled by a signal that would end it.
void submitControl(uint32_t runId, Control control);

// From the JS thread: a signal for a run whose child the spawner is cloning right now, in
// a vfork that the child may not end soon (stopped before its execve). Sent at once
// through the child's pidfd: an errno (0: sent), or nullopt when the run is not there.
std::optional<int> signalWhileCloning(uint32_t runId, int signal);

// For a run the JS thread has reaped (Spawned::exitFd): the spawner drops it. Does not
// wake the spawner; it is done with the next request or stop poll.
void forgetRun(uint32_t runId);

}  // namespace proclab
