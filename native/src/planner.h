// The planner: a launch spec plus the host descriptors of its files -> the child's steps.
// The one implementation of the step order (docs/architecture.md); the child executes its output.
#pragma once

#include <vector>

#include "spec.h"

namespace proclab {

enum class PassOneStart {
  // Fresh descriptors start above len(files), every source fd and the status pipe.
  AboveEverySource,
  // The seed: fresh descriptors start at len(files), which can land on a source that a
  // later slot still needs (golang/go#61751). Only for showing the hazard.
  SeedLenFiles,
};

// slotFds[i] is the host fd that becomes child fd i, or -1 to close it.
// The returned ops point into spec's strings: spec must outlive the plan.
Plan planChild(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd,
               PassOneStart start, const LaunchExtras& extras = {});

// A user namespace made by clone whose ID maps the lab writes while the child waits (step
// userns): such a child cannot be a vfork that suspends the lab.
bool mapsByLab(const ChildSpec& spec);

// The lowest fd number above anything the plan's fd ops can touch (pass 1 takes at most
// one fresh fd per slot and one for the status pipe): where a launch's extra descriptors
// go, so that no op overwrites them before they are used.
int firstFdAbovePlan(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd);

}  // namespace proclab
