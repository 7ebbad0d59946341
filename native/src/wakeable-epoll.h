// An epoll set with a wake-up eventfd in it: the event loop of the engine's own threads
// (the spawner, the reader). Other threads queue work and call wake(); the loop sees an
// event whose data.u32 is kWakeId and calls takeWake().
#pragma once

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace proclab {

class WakeableEpoll {
 public:
  static constexpr uint32_t kWakeId = 0;  // ids of other entries start at 1

  WakeableEpoll() : epoll_(epoll_create1(EPOLL_CLOEXEC)), wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    add(wake_, kWakeId);
  }

  int add(int fd, uint32_t id, uint32_t events = EPOLLIN) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u32 = id;
    return epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  void remove(int fd) { epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr); }
  int wait(epoll_event* events, int max, int timeoutMs) { return epoll_wait(epoll_, events, max, timeoutMs); }

  // From any thread.
  void wake() {
    uint64_t one = 1;
    ssize_t n = write(wake_, &one, sizeof one);
    (void)n;  // a full counter already means "wake up"
  }
  // On the loop's thread, after a kWakeId event: one read empties an eventfd counter.
  void takeWake() {
    uint64_t count;
    ssize_t n = read(wake_, &count, sizeof count);
    (void)n;
  }

 private:
  int epoll_;
  int wake_;
};

}  // namespace proclab
