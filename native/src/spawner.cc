#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
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

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "generated/engine-names.h"
#include "exec-verdict.h"
#include "opener.h"
#include "own-child.h"
#include "planner.h"
#include "user-maps.h"
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
// Epoll ids: a run's id for its pidfd, with this bit for its status pipe.
constexpr uint32_t kStatusPipeBit = 0x80000000u;
// How long the spawner keeps watching a traced child it has just resumed before its execve,
// and how long one look at such a child may take before the loop serves its requests.
constexpr auto kAnswerWatch = std::chrono::milliseconds(2);
constexpr auto kWatchSlice = std::chrono::microseconds(500);

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Every signal, 32 and 33 (glibc's own, which sigfillset leaves out) included: a child
// cloned from this thread starts with all of them blocked until its sigmask op.
uint64_t blockAllSignals() {
  uint64_t all = ~0ull, old = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof all);
  return old;
}
void restoreSignals(uint64_t mask) { syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, sizeof mask); }

bool isStopSignal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }
// Signals whose default action does not end a process: they do not cancel a launch.
bool endsProcess(int sig) {
  return !isStopSignal(sig) && sig != SIGCHLD && sig != SIGCONT && sig != SIGURG && sig != SIGWINCH && sig != 0;
}

struct Launch {
  uint32_t id;
  Clock::time_point start;
  std::unique_ptr<ChildSpec> spec;
  std::unique_ptr<RunSink> sink;
  ~Launch() { closePins(); }
  // The duplicates launch() took of inherited fds: needed only until the clone.
  void closePins() {
    for (auto& f : spec->files)
      if (f.pinFd >= 0) close(std::exchange(f.pinFd, -1));
  }
};

struct Request {
  enum class Kind { Launch, Opened, Control, Forget } kind;
  uint32_t runId;
  std::unique_ptr<Launch> launch = nullptr;
  OpenedFiles opened = {};
  Control control = {};
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

// What a launch opens beside its files, moved to numbers above anything the plan touches:
// the probe's program (O_PATH) and report memfd, a cgroup's directory, the pipe on which a
// child waits for its maps. Returns 0, or the errno and the step; what was opened is in
// extras either way (LaunchFds closes it).
int openExtras(const ChildSpec& spec, int above, LaunchExtras& extras, const char** step) {
  auto moveAbove = [&](int fd) {
    int high = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, above);
    int err = errno;
    if (fd >= 0) close(fd);
    errno = err;
    if (high >= 0) above = high + 1;
    return high;
  };
  if (spec.execByFd) {
    *step = step::kLookup;
    extras.execFd = moveAbove(open(spec.path.c_str(), O_PATH | O_CLOEXEC));
    if (extras.execFd < 0) return errno;
  }
  if (spec.reportFd >= 0) {
    *step = step::kOpen;
    extras.reportFd = moveAbove(static_cast<int>(syscall(SYS_memfd_create, "proclab-report", MFD_CLOEXEC)));
    if (extras.reportFd < 0) return errno;
  }
  if (spec.cgroup) {
    *step = step::kCgroup;
    extras.cgroupFd = moveAbove(open(spec.cgroup->c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (extras.cgroupFd < 0) return errno;
  }
  if (mapsByLab(spec)) {
    *step = step::kUserns;
    int maps[2];
    if (pipe2(maps, O_CLOEXEC) < 0) return errno;
    extras.mapsFd = moveAbove(maps[0]);
    extras.mapsWrite = moveAbove(maps[1]);
    if (extras.mapsFd < 0 || extras.mapsWrite < 0) return errno;
  }
  extras.labPid = getpid();
  return 0;
}

void closeFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Every descriptor a launch opened, closed on every path but the ones it hands on: the
// child's side once the clone is done (or failed), the lab's side unless handOn() gave it
// to the run.
struct LaunchFds {
  explicit LaunchFds(OpenedFiles opened) : files(std::move(opened)) {}
  LaunchFds(const LaunchFds&) = delete;
  LaunchFds& operator=(const LaunchFds&) = delete;
  ~LaunchFds() {
    closeChildSide();
    closeFd(extras.mapsWrite);  // no child waits on it any more
    if (handedOn) return;
    KernelFds kernel;
    closeOpened(files, kernel);  // the lab's ends (the child's side is closed already)
    closeFd(statusRead);
    closeFd(extras.reportFd);
  }
  // What only the child needed: its sources, the status pipe's write end, the program's fd.
  void closeChildSide() {
    KernelFds kernel;
    closeAll(files.childSide, kernel);
    files.childSide.clear();
    if (statusWriteOpen && statusWrite >= 0) close(statusWrite);  // its number stays: the plan names it
    statusWriteOpen = false;
    closeFd(extras.execFd);
    closeFd(extras.cgroupFd);
    closeFd(extras.mapsFd);
  }
  void handOn() { handedOn = true; }

  OpenedFiles files;
  int statusRead = -1;
  int statusWrite = -1;  // kept after it is closed: a plan and a message name it
  bool statusWriteOpen = true;
  LaunchExtras extras;
  bool handedOn = false;
};

// Everything a child reads of the lab's memory: kept until it has exec'd or exited.
struct ChildMemory {
  Plan plan;
  std::vector<char*> argv, envp;
  ChildImage image{};
  TraceSlot* trace = nullptr;
  size_t traceBytes = 0;
  bool ownTrace = false;
  char* ownStack = nullptr;  // a child's that runs beside this thread (traced vfork)
  char* stackTop = nullptr;  // where its stack starts (it grows down): its own, or the shared one

  ~ChildMemory() {
    if (ownTrace && trace) munmap(trace, traceBytes);
    if (ownStack) munmap(ownStack, kChildStackSize);
  }
  // sharedTrace: the spawner's one area, when the child is done with it before the next
  // clone; else a mapping of its own. false when no memory could be had (errno).
  bool map(void* sharedTrace) {
    traceBytes = plan.ops.size() * sizeof(TraceSlot);
    ownTrace = sharedTrace == nullptr || traceBytes > kTraceAreaBytes;
    void* area = ownTrace ? mmap(nullptr, traceBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                          : sharedTrace;
    if (area == MAP_FAILED) return false;
    trace = static_cast<TraceSlot*>(area);
    if (!ownTrace) memset(trace, 0, traceBytes);  // every op kNotRun
    return true;
  }
  bool mapStack() {
    void* s = mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (s == MAP_FAILED) return false;
    ownStack = static_cast<char*>(s);
    return true;
  }
};

// A child whose exec is not known yet: a fork-mode child, or a traced one (the spawner
// never waits inside a vfork for those: it must stay free to answer their stops). Its
// status pipe and pidfd are in the loop; it settles at the pipe's EOF or at its exit.
struct PendingRun {
  std::unique_ptr<Launch> launch;
  std::unique_ptr<ChildMemory> memory;
  std::unique_ptr<Spawned> msg;
  OwnChild child;
  int statusRead;
  StatusReport report{};
  bool reported = false;
  Clock::time_point watchUntil{};  // answered a stop before its execve: watched closely till then
};

struct LiveRun {
  // The JS thread waits for the exit of a child without ptrace (it owns the pidfd:
  // Spawned::exitFd), and signals it; this thread only polls its stops and continues, by
  // pid (pidfd -1). A ptraced child is this thread's alone: its stops need it anyway.
  OwnChild child;
  Clock::time_point start;
  std::unique_ptr<RunSink> sink;
  bool execEntered;  // its exit says whether it exec'd (exec-verdict.h)
  std::string execComm;
  bool jsReapsExit() const { return child.pidfd < 0; }
};

struct OpeningRun {
  std::unique_ptr<Launch> launch;
  std::shared_ptr<Opening> opening;
};

class Spawner {
 public:
  Spawner() {
    KernelFds::openDevNullOnce();
    devNullId_ = identityOf(KernelFds::devNullFd());
    // The vfork child runs on its own stack (CLONE_VM shares ours); one clone at a time.
    // Without it (no memory), each launch maps a stack of its own (prepare()).
    void* stack = mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    stack_ = stack == MAP_FAILED ? nullptr : static_cast<char*>(stack);
    // The trace area, shared with the child. One vfork at a time, each done with it
    // when clone returns, so one area serves every such launch that fits in it.
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
      Request r{Request::Kind::Launch, id};
      r.launch.reset(new Launch{id, Clock::now(), std::move(spec), std::move(sink)});
      queue_.push_back(std::move(r));
    }
    // Woken after the lock is released: a spawner scheduled at once on this CPU would
    // otherwise find the lock still held and sleep again.
    loop_.wake();
    return id;
  }

  void submit(uint32_t runId, Control control) {
    post(Request{Request::Kind::Control, runId, nullptr, {}, control});
    loop_.wake();
  }

  void forget(uint32_t runId) { post(Request{Request::Kind::Forget, runId}); }

  // While the run is being cloned, its pidfd may not be usable yet: clone() is about to be
  // called or has not written the number, or has written it and not yet installed the
  // descriptor (copy_process: put_user, then fd_install), which answers EBADF. Both pass
  // within the clone call; a kill answered EBADF then was lost (the child ran on).
  std::optional<int> signalWhileCloning(uint32_t runId, int signal) {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(cloningMutex_);
        if (cloningRun_ != runId) return std::nullopt;
        int pidfd = __atomic_load_n(&cloningPidfd_, __ATOMIC_ACQUIRE);  // written by the kernel
        if (pidfd >= 0) {
          if (syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0) return 0;
          if (errno != EBADF) return errno;
        }
      }
      sched_yield();
    }
  }

 private:
  void post(Request r) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(r));
  }

  void loop() {
    nameSpawnerThread();  // what a child's comm says until it execs (exec-verdict.h)
    epoll_event events[64];
    Clock::time_point lastSweep = Clock::now();
    for (;;) {
      bool polling = !runs_.empty() || !pending_.empty();
      bool watching = watchingAny();
      int timeout = -1;
      if (watching) {
        timeout = 0;  // a traced child resumed before its execve may stop again at once
      } else if (polling) {
        auto sinceSweep = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastSweep).count();
        timeout = sinceSweep >= kStopPollMs ? 0 : static_cast<int>(kStopPollMs - sinceSweep);
      }
      int n = loop_.wait(events, 64, timeout);
      for (int i = 0; i < n; i++) {
        uint32_t id = events[i].data.u32;
        if (id == WakeableEpoll::kWakeId) {
          loop_.takeWake();
        } else if (id & kStatusPipeBit) {
          settle(id & ~kStatusPipeBit, false);
        } else if (pending_.count(id)) {
          settle(id, true);  // it exited before its pipe said anything
        } else {
          // A pidfd is readable: that child has exited. Reap just that one.
          auto it = runs_.find(id);
          if (it != runs_.end() && reapOne(it->second)) runs_.erase(it);
        }
      }
      // Every time round, woken or not: forgetRun queues without waking.
      std::deque<Request> batch;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
      }
      for (auto& req : batch) {
        switch (req.kind) {
          case Request::Kind::Launch: launch(std::move(req.launch)); break;
          case Request::Kind::Opened: opened(req.runId, std::move(req.opened)); break;
          case Request::Kind::Forget: runs_.erase(req.runId); break;
          case Request::Kind::Control: control(req.runId, req.control); break;
        }
      }
      // Stops and continues show only in waitid: every live run is asked every
      // kStopPollMs, not after each launch or exit.
      if (watching) {
        sweepWatched();
      } else if (polling && Clock::now() - lastSweep >= std::chrono::milliseconds(kStopPollMs)) {
        sweep();
        lastSweep = Clock::now();
      } else if (!polling) {
        lastSweep = Clock::now();
      }
    }
  }

  void launch(std::unique_ptr<Launch> l) {
    if (!opensPaths(l->spec->files)) {
      KernelFds kernel;
      OpenedFiles files = openFiles(l->spec->files, kernel);
      return start(std::move(l), std::move(files));
    }
    uint32_t id = l->id;
    auto opening = openInBackground(l->spec->files, [this, id](OpenedFiles files) {
      Request r{Request::Kind::Opened, id};
      r.opened = std::move(files);
      post(std::move(r));
      loop_.wake();
    });
    opening_.emplace(id, OpeningRun{std::move(l), std::move(opening)});
  }

  // An opener thread is done with a launch's files.
  void opened(uint32_t id, OpenedFiles files) {
    auto it = opening_.find(id);
    if (it == opening_.end()) {  // cancelled meanwhile: its result has been told
      KernelFds kernel;
      return closeOpened(files, kernel);
    }
    std::unique_ptr<Launch> l = std::move(it->second.launch);
    opening_.erase(it);
    start(std::move(l), std::move(files));
  }

  // A launch whose files are open: prepare, clone (a short critical region), collect.
  void start(std::unique_ptr<Launch> l, OpenedFiles opened) {
    LaunchFds fds(std::move(opened));
    auto msg = std::make_unique<Spawned>();
    ParentFailure failure{};
    std::unique_ptr<ChildMemory> mem = prepare(*l, fds, failure);
    if (!mem) return failBeforeChild(*l, std::move(msg), failure);
    identifySources(*l->spec, fds, *msg);
    OwnChild child = cloneChild(*l, *mem, fds.extras, failure);
    fds.closeChildSide();  // the child has its own copies, or there is no child
    l->closePins();
    if (child.pid < 0) return failBeforeChild(*l, std::move(msg), failure);
    collect(std::move(l), fds, std::move(mem), std::move(msg), child);
  }

  // Everything the child needs, made before the clone; nullptr (and why) when something
  // could not be had. fds gains the status pipe and the probe's descriptors.
  std::unique_ptr<ChildMemory> prepare(Launch& l, LaunchFds& fds, ParentFailure& failure) {
    ChildSpec& spec = *l.spec;
    OpenedFiles& files = fds.files;
    if (files.failedSlot >= 0) {
      failure = {step::kOpen, files.err, files.failedSlot};
      return nullptr;
    }
    int status[2];
    if (pipe2(status, O_CLOEXEC | O_NONBLOCK) < 0) {
      failure = {step::kClone, errno, -1};
      return nullptr;
    }
    fds.statusRead = status[0];
    fds.statusWrite = status[1];
    // An inherited fd is what it was when launch() was called: the number itself while it
    // still refers to the same open file (kcmp(2)), else the copy taken then. After the
    // last descriptor this launch opens: one of ours may have taken a number the caller
    // closed. (A change after this check is undone in the child: op "inherit".)
    for (size_t i = 0; i < spec.files.size(); i++) {
      SlotSource& f = spec.files[i];
      if (f.kind != SlotSource::Kind::Inherit) continue;
      if (f.pinErr) {
        failure = {step::kOpen, f.pinErr, static_cast<int>(i)};
        return nullptr;
      }
      pid_t self = getpid();
      if (syscall(SYS_kcmp, self, self, KCMP_FILE, f.hostFd, f.pinFd) != 0) files.slotFds[i] = f.pinFd;
    }
    const char* extrasStep = step::kOpen;
    if (int err = openExtras(spec, firstFdAbovePlan(spec, files.slotFds, fds.statusWrite), fds.extras, &extrasStep)) {
      failure = {extrasStep, err, -1};
      return nullptr;
    }
    auto mem = std::make_unique<ChildMemory>();
    mem->plan = planChild(spec, files.slotFds, fds.statusWrite, PassOneStart::AboveEverySource, fds.extras);
    mem->argv = cStrings(spec.argv);
    mem->envp = cStrings(spec.envp);
    // The fast path's child is done with the shared trace area and stack when clone returns;
    // any other child runs on beside this thread, on memory of its own.
    bool shared = mem->plan.clone.kind == CloneChoice::Kind::VforkWait && traceArea_ && stack_;
    CloneChoice::Kind kind = mem->plan.clone.kind;
    bool ownStack = kind == CloneChoice::Kind::VmBeside || (kind == CloneChoice::Kind::VforkWait && !shared);
    if (!mem->map(shared ? traceArea_ : nullptr) || (ownStack && !mem->mapStack())) {
      failure = {step::kClone, errno, -1};
      return nullptr;
    }
    mem->stackTop = (mem->ownStack ? mem->ownStack : stack_) + kChildStackSize;
    mem->image = ChildImage{mem->plan.ops.data(), static_cast<int>(mem->plan.ops.size()), mem->trace, fds.statusWrite, 0,
                            spec.path.c_str(), mem->argv.data(), mem->envp.data()};
    return mem;
  }

  // The fast path (CloneChoice::Kind::VforkWait): a vfork whose child nobody traces or maps.
  // Its parent thread is suspended until the child execs or exits, which only the child's
  // own setup can delay.
  static bool waitsInVfork(const ChildMemory& mem) { return mem.plan.clone.kind == CloneChoice::Kind::VforkWait; }

  // What each source is, as the child will receive it: one fstat per slot. A null slot is a
  // duplicate of the engine's one /dev/null: its identity is known.
  void identifySources(const ChildSpec& spec, const LaunchFds& fds, Spawned& msg) {
    const std::vector<int>& slotFds = fds.files.slotFds;
    msg.sourceIds.reserve(slotFds.size());
    for (size_t i = 0; i < slotFds.size(); i++) {
      bool null = spec.files[i].kind == SlotSource::Kind::Null;
      msg.sourceIds.push_back(null && devNullId_ ? devNullId_ : identityOf(slotFds[i]));
    }
    msg.statusId = identityOf(fds.statusWrite);
  }

  // The clone, every signal blocked around it (the child starts with them blocked). pid -1
  // and failure set when there is no child.
  OwnChild cloneChild(Launch& l, ChildMemory& mem, const LaunchExtras& extras, ParentFailure& failure) {
    const ChildSpec& spec = *l.spec;
    const unsigned long ns = static_cast<unsigned long>(spec.cloneflags);
    mem.image.parentSigmask = blockAllSignals();
    int pidfd = -1;
    pid_t pid = -1;
    switch (mem.plan.clone.kind) {
      case CloneChoice::Kind::VforkWait: {
        {
          std::lock_guard<std::mutex> lock(cloningMutex_);
          cloningRun_ = l.id;
          cloningPidfd_ = -1;
        }
        // CLONE_PIDFD writes the pidfd before the child runs: signalWhileCloning can use it.
        pid = clone(childEntry, mem.stackTop, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | ns | SIGCHLD, &mem.image, &cloningPidfd_);
        std::lock_guard<std::mutex> lock(cloningMutex_);
        cloningRun_ = 0;
        pidfd = cloningPidfd_;
        break;
      }
      case CloneChoice::Kind::VmBeside:
        pid = clone(childEntry, mem.stackTop, CLONE_VM | CLONE_PIDFD | ns | SIGCHLD, &mem.image, &pidfd);
        break;
      case CloneChoice::Kind::Fork:
        pid = static_cast<pid_t>(syscall(SYS_clone, CLONE_PIDFD | ns | SIGCHLD, 0, &pidfd, 0, 0));
        if (pid == 0) runChild(mem.image);
        break;
      case CloneChoice::Kind::Clone3Fork: {
        // glibc has no clone3 wrapper (clone3(2)); without CLONE_VM it returns twice, as fork.
        clone_args args{};
        args.flags = CLONE_PIDFD | CLONE_INTO_CGROUP | ns;
        args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
        args.exit_signal = SIGCHLD;
        args.cgroup = static_cast<uint64_t>(extras.cgroupFd);
        pid = static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof args));
        if (pid == 0) runChild(mem.image);
        break;
      }
    }
    int err = errno;
    restoreSignals(mem.image.parentSigmask);
    if (pid < 0) failure = {step::kClone, err, -1};
    return {pid, pidfd};
  }

  // A child exists: what the lab keeps of the launch goes to its run.
  void collect(std::unique_ptr<Launch> l, LaunchFds& fds, std::unique_ptr<ChildMemory> mem, std::unique_ptr<Spawned> msg,
               OwnChild child) {
    const ChildSpec& spec = *l->spec;
    msg->pid = child.pid;
    msg->slotFds = fds.files.slotFds;
    msg->statusFd = fds.statusWrite;  // closed by now: the number the child had it under
    msg->parentEnds = fds.files.parentEnds;
    msg->ptyName = fds.files.ptyName;
    msg->start = l->start;
    msg->firstFreshFd = mem->plan.firstFreshFd;
    // execveat(fd, "", AT_EMPTY_PATH) runs "/dev/fd/N": the comm it gives is N.
    msg->execComm = commAfterExec(fds.extras.execFd >= 0 ? std::to_string(fds.extras.execFd) : spec.path);
    msg->reportFd = fds.extras.reportFd;
    int statusRead = fds.statusRead;
    if (fds.extras.mapsWrite >= 0) {
      writeUserMaps(mem->plan.ops, mem->trace, child.pid, fds.extras.mapsWrite);
      closeFd(fds.extras.mapsWrite);
    }
    fds.handOn();  // the parent ends and the report's memfd are the run's now
    if (!waitsInVfork(*mem)) {
      // Settled when its status pipe reaches EOF or it exits (settle()).
      uint32_t id = l->id;
      loop_.add(statusRead, id | kStatusPipeBit);
      loop_.add(child.pidfd, id);
      pending_.emplace(id, PendingRun{std::move(l), std::move(mem), std::move(msg), child, statusRead});
      return;
    }
    // clone() returned: the child has let go of our memory, in execve past its point of
    // no return (execve(2): a failure after it kills the process) or in _exit after
    // writing its report, or it was killed. The trace says which (exec-verdict.h); its
    // exit confirms an execve. Waiting for the pipe's EOF would wait for execve to close
    // its close-on-exec descriptors: a wake-up more of this thread, every launch.
    StatusReport report{};
    ssize_t n;
    do n = read(statusRead, &report, sizeof report);
    while (n < 0 && errno == EINTR);
    close(statusRead);
    tellSpawned(*l, std::move(msg), *mem, n == sizeof report ? &report : nullptr, child);
  }

  // The 'spawned' message, and the run is live from here on.
  void tellSpawned(Launch& l, std::unique_ptr<Spawned> msg, ChildMemory& mem, const StatusReport* report,
                   OwnChild child) {
    SetupVerdict verdict = setupVerdict(mem.plan.ops, mem.trace, report);
    msg->failedOp = verdict.failedOp;
    msg->failedErr = verdict.failedErr;
    msg->diedAtOp = verdict.diedAtOp;
    msg->execEntered = verdict.execEntered;
    msg->atMs = msSince(l.start);
    msg->trace.assign(mem.trace, mem.trace + mem.plan.ops.size());
    msg->plan = std::move(mem.plan.entries);
    std::string execComm = msg->execComm;
    // Without ptrace the JS thread waits for the exit on the pidfd: the news reaches JS
    // without a hop through this thread.
    if (!l.spec->ptrace) {
      msg->exitFd = child.pidfd;
      child.pidfd = -1;
    }
    l.sink->spawned(std::move(msg));
    runs_.emplace(l.id, LiveRun{child, l.start, std::move(l.sink), verdict.execEntered, execComm});
  }

  // A pending child's status pipe has news, or (exited) the child is gone. Returns true
  // once the run has settled: it exec'd, failed, or died, and is live from here on.
  bool settle(uint32_t id, bool exited, bool execSeen = false) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return false;
    PendingRun& p = it->second;
    bool eof = false;
    for (;;) {
      char buf[sizeof(StatusReport)];
      ssize_t n = read(p.statusRead, buf, sizeof buf);
      if (n == sizeof buf) {
        memcpy(&p.report, buf, sizeof buf);
        p.reported = true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      eof = n == 0;
      break;
    }
    // EOF: execve closed the pipe (close-on-exec), or the child died; a report comes
    // just before the child exits. Another process may hold the write end for a moment
    // (a fork elsewhere in the lab, before its own exec): the exit settles it then.
    if (!eof && !exited && !execSeen) return false;
    loop_.remove(p.statusRead);
    close(p.statusRead);
    bool traced = p.launch->spec->ptrace;
    if (!traced) loop_.remove(p.child.pidfd);  // the JS thread watches it from here on
    PendingRun done = std::move(p);
    pending_.erase(it);
    tellSpawned(*done.launch, std::move(done.msg), *done.memory, done.reported ? &done.report : nullptr, done.child);
    return true;
  }

  // A traced child stopped before its execve: the engine is its tracer and answers at
  // once, so that nothing waits on a stop nobody else can end (issue 10). Every signal
  // is passed on, as if untraced, but those that would stop it (it would wait, stopped,
  // before its program ever ran); a group-stop (PTRACE_GETSIGINFO fails) is resumed.
  void answerStopBeforeExec(PendingRun& p, int stopSignal) {
    siginfo_t info{};
    bool signalStop = ptrace(PTRACE_GETSIGINFO, p.child.pid, nullptr, &info) == 0;
    int signal = signalStop ? info.si_signo : stopSignal;
    int deliver = signalStop && !isStopSignal(signal) ? signal : 0;
    ptrace(PTRACE_CONT, p.child.pid, nullptr, reinterpret_cast<void*>(static_cast<long>(deliver)));
    p.launch->sink->event(
        {ChildEvent::Kind::AnsweredBeforeExec, msSince(p.launch->start), signal, true, deliver != 0});
  }

  // Stops of a child not yet settled. A traced one is answered at once, and then watched
  // closely for kAnswerWatch (the loop polls without sleeping meanwhile): a flood of signals
  // (a terminal's SIGWINCH, SIGCHLD, a group signal to the lab) stops it again as soon as it
  // returns to user space, and answering only every kStopPollMs would let the flood outpace
  // it before its execve. One call takes kWatchSlice at most, so that requests (a kill) and
  // other launches are served in between.
  void pollPending(uint32_t id) {
    Clock::time_point sliceEnd = Clock::now() + kWatchSlice;
    for (;;) {
      auto it = pending_.find(id);
      if (it == pending_.end()) return;
      PendingRun& p = it->second;
      ChildChange change = nextChange(p.child, WSTOPPED);  // its exit is seen on the pidfd
      Clock::time_point now = Clock::now();
      if (change.kind != ChildChange::Kind::Stopped) {
        if (now >= std::min(p.watchUntil, sliceEnd) || settle(id, false)) return;
        sched_yield();
        continue;
      }
      bool traced = p.launch->spec->ptrace;
      // A stop after a successful execve (a traced program's SIGTRAP) whose pipe's EOF is
      // late: its comm has changed. (An execve that has not returned has not changed it.)
      bool execed = false;
      if (traced) {
        const auto& ops = p.memory->plan.ops;
        bool inExecve = p.memory->trace[ops.size() - 1].state == kEntered;
        execed = inExecve && execSeenInComm(p.child.pid, p.msg->execComm) == ExecSeen::Execed;
      }
      if (settle(id, false, execed)) {
        LiveRun& run = runs_.at(id);
        return run.sink->event({ChildEvent::Kind::Stopped, msSince(run.start), change.signal, false});
      }
      if (!traced) {  // stopped from outside (SIGSTOP) before its execve: it waits, and says so
        return p.launch->sink->event({ChildEvent::Kind::Stopped, msSince(p.launch->start), change.signal, false});
      }
      answerStopBeforeExec(p, change.signal);
      p.watchUntil = Clock::now() + kAnswerWatch;
      if (Clock::now() >= sliceEnd) return;
    }
  }

  bool watchingAny() const {
    Clock::time_point now = Clock::now();
    for (const auto& [id, p] : pending_)
      if (p.watchUntil > now) return true;
    return false;
  }

  // The pending runs being watched closely, between the loop's requests.
  void sweepWatched() {
    Clock::time_point now = Clock::now();
    std::vector<uint32_t> ids;
    for (const auto& [id, p] : pending_)
      if (p.watchUntil > now) ids.push_back(id);
    for (uint32_t id : ids) pollPending(id);
  }

  void failBeforeChild(Launch& l, std::unique_ptr<Spawned> msg, ParentFailure failure) {
    msg->parentFailed = true;
    msg->parentFailure = failure;
    msg->atMs = msSince(l.start);
    l.sink->spawned(std::move(msg));
    l.sink->close();
  }

  void control(uint32_t runId, const Control& c) {
    bool signal = c.kind == Control::Kind::Signal || c.kind == Control::Kind::SignalGroup;
    if (auto it = opening_.find(runId); it != opening_.end()) {
      // Still opening its files (a FIFO waiting for its other end): no child yet.
      if (!signal || !endsProcess(c.signal)) return it->second.launch->sink->controlDone({c.requestId, ESRCH});
      OpeningRun o = std::move(it->second);
      opening_.erase(it);
      int slot = o.opening->cancel();
      o.launch->sink->controlDone({c.requestId, 0});
      return failBeforeChild(*o.launch, std::make_unique<Spawned>(), {step::kOpen, ECANCELED, slot});
    }
    if (auto it = pending_.find(runId); it != pending_.end()) {
      PendingRun& p = it->second;
      // Its stops before execve are the engine's to answer.
      int err = signal ? signalChild(p.child, c.signal, c.kind == Control::Kind::SignalGroup) : ESRCH;
      return p.launch->sink->controlDone({c.requestId, err});
    }
    auto it = runs_.find(runId);
    if (it == runs_.end()) return;  // already reaped: the JS side answers ESRCH itself
    LiveRun& run = it->second;
    int err = 0;
    switch (c.kind) {
      case Control::Kind::Signal:
      case Control::Kind::SignalGroup:
        // Those of a child the JS thread waits for are sent from there (it knows when
        // the child is reaped), once it has heard that the child was started.
        err = run.jsReapsExit() ? kAskAfterStart
                                : signalChild(run.child, c.signal, c.kind == Control::Kind::SignalGroup);
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

  // Collects every state change of every child.
  void sweep() {
    std::vector<uint32_t> ids;
    for (const auto& [id, p] : pending_) ids.push_back(id);
    for (uint32_t id : ids) pollPending(id);
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
    int execSeen = 0;
    if (!run.jsReapsExit() && run.execEntered) {
      // Whether it exec'd, read before the zombie is reaped (its comm goes with it).
      ChildChange exit = nextChange(run.child, WEXITED | WNOWAIT);
      if (exit.kind == ChildChange::Kind::Exited) execSeen = static_cast<int>(execSeenAtExit(run, exit));
    }
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
          if (run.execEntered) execSeen = static_cast<int>(ExecSeen::Unknown);
          [[fallthrough]];
        case ChildChange::Kind::Exited:
          // Closed before the exit is reported: once JS hears of it, the run holds nothing.
          loop_.remove(run.child.pidfd);
          close(run.child.pidfd);
          run.sink->exited({at, change.waitStatus, change.userMs, change.systemMs, change.maxRssKb, execSeen});
          run.sink->close();
          return true;
      }
    }
  }

  static ExecSeen execSeenAtExit(const LiveRun& run, const ChildChange& exit) {
    return execSeenAfter(run.child.pid, exit.waitStatus, run.execComm);
  }

  WakeableEpoll loop_;
  char* stack_ = nullptr;
  void* traceArea_ = nullptr;
  std::optional<FdIdentity> devNullId_;
  std::mutex mutex_;
  std::deque<Request> queue_;
  uint32_t lastId_ = 0;
  // The run in the fast path's vfork, for signalWhileCloning.
  std::mutex cloningMutex_;
  uint32_t cloningRun_ = 0;
  int cloningPidfd_ = -1;
  // Spawner thread only.
  std::unordered_map<uint32_t, OpeningRun> opening_;
  std::unordered_map<uint32_t, PendingRun> pending_;
  std::unordered_map<uint32_t, LiveRun> runs_;
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

std::optional<int> signalWhileCloning(uint32_t runId, int signal) {
  return spawner().signalWhileCloning(runId, signal);
}

void forgetRun(uint32_t runId) { spawner().forget(runId); }

}  // namespace proclab
