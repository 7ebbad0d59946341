// The spawner is woken by the JS thread for every launch. As an ordinary (SCHED_OTHER)
// thread it is usually run at once on the JS thread's own CPU, preempting the JS thread in
// the middle of launch() while the other CPU idles (measured: docs/performance.md). A
// SCHED_BATCH thread never preempts another on wake-up (sched(7): "a small scheduling
// penalty with respect to wakeup behavior"). So the spawner waits and prepares as
// SCHED_BATCH and clones under the lab's own policy, which the child inherits.
// Only when the lab runs as SCHED_OTHER (the default): any other policy is left alone.
#pragma once

#include <sched.h>

namespace proclab {

class BatchWhileWaiting {
 public:
  // On the spawner thread, which it then turns to SCHED_BATCH.
  BatchWhileWaiting() : enabled_(sched_getscheduler(0) == SCHED_OTHER) { set(SCHED_BATCH); }

  // Around a clone: the child is born with the lab's own policy.
  void beforeClone() { set(SCHED_OTHER); }
  void afterClone() { set(SCHED_BATCH); }

 private:
  void set(int policy) {
    if (!enabled_) return;
    struct sched_param none {};
    // Between the normal policies, allowed to any thread (sched_setscheduler(2)); nice is kept.
    sched_setscheduler(0, policy, &none);
  }
  bool enabled_;
};

}  // namespace proclab
