#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "own-child.h"
#include "planner.h"
#include "wakeable-epoll.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

namespace proclab {
namespace {

using Clock = std::chrono::steady_clock;

// pidfds become readable only on exit; stops and continues (ptrace, SIGSTOP, SIGCONT)
// show up only in waitid, so live children are polled this often as well.
constexpr int kStopPollMs = 10;
constexpr size_t kChildStackSize = 256 * 1024;
constexpr size_t kTraceAreaBytes = 64 * 1024;  // 8,192 ops; a longer plan maps its own

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Launch {
  uint32_t id;
  Clock::time_point start;
  std::unique_ptr<ChildSpec> spec;
  std::unique_ptr<RunSink> sink;
};

struct Request {
  uint32_t runId;
  std::unique_ptr<Launch> launch;  // or a control for runId, or forget it
  Control control{};
  bool forget = false;
};

struct LiveRun {
  // The JS thread waits for the exit of a child without ptrace (it owns the pidfd:
  // Spawned::exitFd), and signals it; this thread only polls its stops and continues, by
  // pid (pidfd -1). A ptraced child is this thread's alone: its stops need it anyway.
  OwnChild child;
  Clock::time_point start;
  std::unique_ptr<RunSink> sink;
  bool jsReapsExit() const { return child.pidfd < 0; }
};

// argv/envp as the NULL-terminated arrays execve wants, pointing into the spec.
std::vector<char*> cStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::optional<FdIdentity> identityOf(int fd) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return std::nullopt;
  return FdIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

class Spawner {
 public:
  Spawner() {
    KernelFds::openDevNullOnce();
    devNullId_ = identityOf(KernelFds::devNullFd());
    // The vfork child runs on its own stack (CLONE_VM shares ours); one clone at a time.
    stack_ = static_cast<char*>(mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE,
                                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0));
    // The trace area, shared with the child (MAP_SHARED: a forked child writes it too).
    // One clone at a time, so one area serves every launch that fits in it.
    traceArea_ = mmap(nullptr, kTraceAreaBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (traceArea_ == MAP_FAILED) traceArea_ = nullptr;
    std::thread([this] { loop(); }).detach();
  }

  uint32_t submit(std::unique_ptr<ChildSpec> spec, std::unique_ptr<RunSink> sink) {
    uint32_t id;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      id = ++lastId_;
      sink->runId = id;
      auto launch = std::make_unique<Launch>(Launch{id, Clock::now(), std::move(spec), std::move(sink)});
      queue_.push_back(Request{id, std::move(launch)});
    }
    // Woken after the lock is released: a spawner scheduled at once on this CPU would
    // otherwise find the lock still held and sleep again.
    loop_.wake();
    return id;
  }

  void submit(uint32_t runId, Control control) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(Request{runId, nullptr, control});
    }
    loop_.wake();
  }

  void forget(uint32_t runId) {
    std::lock_guard<std::mutex> lock(mutex_);
    Request r{runId, nullptr};
    r.forget = true;
    queue_.push_back(std::move(r));
  }

 private:
  void loop() {
    epoll_event events[64];
    Clock::time_point lastSweep = Clock::now();
    for (;;) {
      int timeout = -1;
      if (!runs_.empty()) {
        auto sinceSweep = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastSweep).count();
        timeout = sinceSweep >= kStopPollMs ? 0 : static_cast<int>(kStopPollMs - sinceSweep);
      }
      int n = loop_.wait(events, 64, timeout);
      for (int i = 0; i < n; i++) {
        if (events[i].data.u32 == WakeableEpoll::kWakeId) {
          loop_.takeWake();
          continue;
        }
        // A pidfd is readable: that child has exited. Reap just that one.
        auto it = runs_.find(events[i].data.u32);
        if (it != runs_.end() && reapOne(it->second)) runs_.erase(it);
      }
      // Every time round, woken or not: forgetRun queues without waking.
      std::deque<Request> batch;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
      }
      for (auto& req : batch) {
        if (req.launch)
          launch(*req.launch);
        else if (req.forget)
          drop(req.runId);
        else
          control(req.runId, req.control);
      }
      // Stops and continues show only in waitid: every live run is asked every
      // kStopPollMs, not after each launch or exit.
      if (!runs_.empty() && Clock::now() - lastSweep >= std::chrono::milliseconds(kStopPollMs)) {
        reap();
        lastSweep = Clock::now();
      } else if (runs_.empty()) {
        lastSweep = Clock::now();
      }
    }
  }

  void launch(Launch& l) {
    ChildSpec& spec = *l.spec;
    auto msg = std::make_unique<Spawned>();
    KernelFds kernel;
    OpenedFiles files = openFiles(spec.files, kernel);
    if (files.failedSlot >= 0) return failBeforeChild(l, std::move(msg), {"open", files.err, files.failedSlot});

    auto closeFiles = [&] {
      closeAll(files.childSide, kernel);
      for (const auto& end : files.parentEnds) close(end.fd);
    };
    int status[2];
    // vfork: non-blocking, see the read below. (The child's end shares the flag; its one
    // small write into an empty pipe never blocks.)
    bool vfork = spec.method == Method::Vfork;
    if (pipe2(status, O_CLOEXEC | (vfork ? O_NONBLOCK : 0)) < 0) {
      int err = errno;
      closeFiles();
      return failBeforeChild(l, std::move(msg), {"clone", err, -1});
    }

    Plan plan = planChild(spec, files.slotFds, status[1], PassOneStart::AboveEverySource);
    std::vector<char*> argv = cStrings(spec.argv);
    std::vector<char*> envp = cStrings(spec.envp);
    size_t traceBytes = plan.ops.size() * sizeof(TraceSlot);
    bool ownMap = traceArea_ == nullptr || traceBytes > kTraceAreaBytes;
    void* traceMap = ownMap ? mmap(nullptr, traceBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                            : traceArea_;
    if (!ownMap) memset(traceMap, 0, traceBytes);  // every op kNotRun
    if (traceMap == MAP_FAILED) {
      int err = errno;
      closeFiles();
      close(status[0]);
      close(status[1]);
      return failBeforeChild(l, std::move(msg), {"clone", err, -1});
    }
    auto* trace = static_cast<TraceSlot*>(traceMap);

    ChildImage image{plan.ops.data(), static_cast<int>(plan.ops.size()), trace, status[1], 0,
                     spec.path.c_str(), argv.data(), envp.data()};

    // What each source is, as the child will receive it: one fstat per slot.
    // A null slot is a duplicate of the engine's one /dev/null: its identity is known.
    msg->sourceIds.reserve(files.slotFds.size());
    for (size_t i = 0; i < files.slotFds.size(); i++) {
      bool null = spec.files[i].kind == FileSource::Kind::Null;
      msg->sourceIds.push_back(null && devNullId_ ? devNullId_ : identityOf(files.slotFds[i]));
    }
    msg->statusId = identityOf(status[1]);

    // Block every signal around the clone: the child starts with them blocked and
    // unblocks only after its handlers are back to SIG_DFL (op "signals").
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    memcpy(&image.parentSigmask, &saved, sizeof image.parentSigmask);
    int pidfd = -1;
    pid_t pid;
    if (vfork) {
      pid = clone(childEntry, stack_ + kChildStackSize, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
                  &image, &pidfd);
    } else {
      pid = static_cast<pid_t>(syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0));
      if (pid == 0) runChild(image);
    }
    int cloneErr = errno;
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);

    closeAll(files.childSide, kernel);
    close(status[1]);
    if (pid < 0) {
      close(status[0]);
      if (ownMap) munmap(trace, traceBytes);
      for (const auto& end : files.parentEnds) close(end.fd);
      return failBeforeChild(l, std::move(msg), {"clone", cloneErr, -1});
    }

    // A report: the step that failed. EOF: a successful execve closed the pipe. With
    // vfork, clone() returns only once the child has let go of our memory, in execve past
    // its point of no return (execve(2): a failure after it kills the process) or in
    // _exit after writing its report; so an empty pipe already means success. Waiting for
    // the EOF would wait for execve to close its close-on-exec descriptors, a wake-up
    // more of this thread, on the exec'ing child's CPU, every launch.
    StatusReport report{};
    ssize_t n;
    do n = read(status[0], &report, sizeof report);
    while (n < 0 && errno == EINTR);
    close(status[0]);
    if (n == sizeof report) {
      msg->failedOp = report.op;
      msg->failedErr = report.err;
    }

    msg->pid = pid;
    msg->atMs = msSince(l.start);
    msg->trace.assign(trace, trace + plan.ops.size());
    if (ownMap) munmap(trace, traceBytes);
    msg->plan = std::move(plan.entries);
    msg->firstFreshFd = plan.firstFreshFd;
    msg->slotFds = files.slotFds;
    msg->statusFd = status[1];
    msg->parentEnds = files.parentEnds;
    msg->ptyName = files.ptyName;
    msg->start = l.start;
    // Without ptrace the JS thread waits for the exit on the pidfd: the news reaches JS
    // without a hop through this thread.
    if (!spec.ptrace) {
      msg->exitFd = pidfd;
      pidfd = -1;
    }
    l.sink->spawned(std::move(msg));

    if (pidfd >= 0) loop_.add(pidfd, l.id);
    runs_.emplace(l.id, LiveRun{{pid, pidfd}, l.start, std::move(l.sink)});
  }

  // A run the JS thread has reaped: nothing more will happen to it.
  void drop(uint32_t runId) { runs_.erase(runId); }

  void failBeforeChild(Launch& l, std::unique_ptr<Spawned> msg, ParentFailure failure) {
    msg->parentFailed = true;
    msg->parentFailure = failure;
    msg->atMs = msSince(l.start);
    l.sink->spawned(std::move(msg));
    l.sink->close();
  }

  void control(uint32_t runId, const Control& c) {
    auto it = runs_.find(runId);
    if (it == runs_.end()) return;  // already reaped: the JS side answers ESRCH itself
    LiveRun& run = it->second;
    int err = 0;
    switch (c.kind) {
      case Control::Kind::Signal:
      case Control::Kind::SignalGroup:
        // Those of a child the JS thread waits for are sent from there (it knows when
        // the child is reaped); a request for one is late: it has been reaped.
        err = run.jsReapsExit() ? ESRCH : signalChild(run.child, c.signal, c.kind == Control::Kind::SignalGroup);
        break;
      case Control::Kind::PtraceCont:
      case Control::Kind::PtraceDetach: {
        bool detach = c.kind == Control::Kind::PtraceDetach;
        long rc = ptrace(detach ? PTRACE_DETACH : PTRACE_CONT, run.child.pid, nullptr,
                         reinterpret_cast<void*>(static_cast<long>(c.signal)));
        if (rc < 0)
          err = errno;
        else
          run.sink->event({detach ? ChildEvent::Kind::Detached : ChildEvent::Kind::Continued, msSince(run.start),
                           c.signal, true});
        break;
      }
    }
    run.sink->controlDone({c.requestId, err});
  }

  // Collects every state change of every live child.
  void reap() {
    for (auto it = runs_.begin(); it != runs_.end();) {
      if (reapOne(it->second))
        it = runs_.erase(it);
      else
        ++it;
    }
  }

  // Reports the child's state changes; true once the run is over for this thread: it has
  // exited and been reaped here, or the JS thread reaped it.
  bool reapOne(LiveRun& run) {
    int options = WSTOPPED | WCONTINUED | (run.jsReapsExit() ? 0 : WEXITED);
    for (;;) {
      // By pid for a child the JS thread reaps: after its exit and before its forgetRun
      // arrives (the next round of this loop), the pid is gone (ECHILD); it could be
      // another child's only after the kernel has handed out every other pid.
      ChildChange change = nextChange(run.child, options);
      double at = msSince(run.start);
      switch (change.kind) {
        case ChildChange::Kind::None:
          return false;
        case ChildChange::Kind::Stopped:
          run.sink->event({ChildEvent::Kind::Stopped, at, change.signal, false});
          break;
        case ChildChange::Kind::Continued:
          run.sink->event({ChildEvent::Kind::Continued, at, SIGCONT, false});
          break;
        case ChildChange::Kind::Gone:
          // Reaped by the JS thread (its forgetRun is on the way); or, for our own, by
          // something else in the process first: the run ends, its status unknown.
          if (run.jsReapsExit()) return true;
          change.waitStatus = kStatusLost;
          [[fallthrough]];
        case ChildChange::Kind::Exited:
          // Closed before the exit is reported: once JS hears of it, the run holds nothing.
          loop_.remove(run.child.pidfd);
          close(run.child.pidfd);
          run.sink->exited({at, change.waitStatus, change.userMs, change.systemMs, change.maxRssKb});
          run.sink->close();
          return true;
      }
    }
  }

  WakeableEpoll loop_;
  char* stack_ = nullptr;
  void* traceArea_ = nullptr;
  std::optional<FdIdentity> devNullId_;
  std::mutex mutex_;
  std::deque<Request> queue_;
  uint32_t lastId_ = 0;
  std::unordered_map<uint32_t, LiveRun> runs_;  // spawner thread only
};

// Never destroyed: its thread runs until the process exits.
Spawner& spawner() {
  static Spawner* instance = new Spawner();
  return *instance;
}

}  // namespace

void startSpawner() { spawner(); }

uint32_t submitLaunch(std::unique_ptr<ChildSpec> spec, std::unique_ptr<RunSink> sink) {
  return spawner().submit(std::move(spec), std::move(sink));
}

void submitControl(uint32_t runId, Control control) { spawner().submit(runId, control); }

void forgetRun(uint32_t runId) { spawner().forget(runId); }

}  // namespace proclab
