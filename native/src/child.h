// The child side of a launch: runs between clone and execve.
#pragma once

#include <cstdint>

#include "generated/engine-names.h"
#include "spec.h"

namespace proclab {

// What the child records for each op, in memory the parent reads after the child has
// exec'd or exited (MAP_SHARED, so it works for both methods).
struct TraceSlot {
  int32_t state;  // kNotRun, kEntered, kOk, kFailed
  int32_t err;    // errno of a failed call (also for failures the seed ignores)
};
// Its state is a TraceState (generated/engine-names.h). kEntered is written before each call
// and replaced by its outcome after it: a slot left at kEntered is the call the child was
// in when it died, or an execve that succeeded (a successful execve never returns to
// record it).

// The status pipe's message when a step fails; EOF instead means execve succeeded.
struct StatusReport {
  int32_t op;
  int32_t err;
};

// Everything the child needs, prepared before the clone (no allocation after it).
struct ChildImage {
  const Op* ops;
  int opCount;
  TraceSlot* trace;
  int statusFd;
  uint64_t parentSigmask;  // the spawner thread's mask before it blocked every signal
  const char* path;
  char* const* argv;
  char* const* envp;
};

// A fatal step that failed: its op, its errno, and where the status pipe is by then (the
// fd step may have moved it).
struct StepFailure {
  int op;
  int32_t err;
  int statusFd;
};

// Runs the ops in order and execs; returns only when a fatal step failed. The caller that
// is not a launch's child (proclab exec's helper, exec-helper.cc) reports it its own way.
StepFailure runSteps(const ChildImage& image);

// Runs the ops in order and execs; on a failing step reports {op, errno} on the status
// pipe and exits with status 253 (the seed's childerror). Never returns.
[[noreturn]] void runChild(const ChildImage& image);

// Entry for clone(2) in vfork mode.
int childEntry(void* image);

}  // namespace proclab
