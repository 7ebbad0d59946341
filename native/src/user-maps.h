// The parent's part of a user namespace made by clone (planner.cc, step userns): used by the
// spawner for launches and by proclab exec's helper when it clones (exec-helper.cc).
#pragma once

#include <sys/types.h>

#include <vector>

#include "child.h"
#include "spec.h"

namespace proclab {

// Writes each ByLab op's text to /proc/PID/<its file>, recording each in trace as the child
// records its own ops, and stops at the first the kernel refuses; then tells the child,
// waiting on the other end of mapsWrite, 0 or that errno (its waiting step fails with it,
// as Go's child does). Does not close mapsWrite.
void writeUserMaps(const std::vector<Op>& ops, TraceSlot* trace, pid_t pid, int mapsWrite);

}  // namespace proclab
