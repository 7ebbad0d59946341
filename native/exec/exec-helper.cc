// proclab_exec: the helper `proclab exec` replaces itself with (src/main/lab/exec.ts). Node
// is multi-threaded, and several steps cannot be taken by one thread of many: unshare of a
// user namespace fails with EINVAL, setuid by syscall changes one thread only, setsid fails
// in a group leader. This program is static and single-threaded: it reads the launch spec
// the lab wrote (spec-wire.h) from the descriptor named by --spec-fd, plans the steps with
// the lab's planner, runs them with the lab's child code (child.cc) in this very process,
// and ends in the program's execve: same pid as the `proclab exec` that ran it. Where the
// profile asks for namespaces made by clone (cloneflags), a new process is unavoidable: it
// clones, the child takes the steps, and this process waits and passes its status on.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "child.h"
#include "planner.h"
#include "sources.h"
#include "spec-wire.h"
#include "user-maps.h"

namespace proclab {
namespace {

constexpr int kStepFailed = 253;  // the seed's childerror status, as a launch's child
constexpr int kInternal = 1;

// Where the helper speaks: a close-on-exec copy of the stderr it was started with, because
// the fd step may move or close fd 2 before a later step fails. -1: no stderr.
int sayFd = -1;

void say(const std::string& line) {
  if (sayFd < 0) return;
  std::string text = line + "\n";
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(sayFd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void internal(const std::string& what) {
  say("proclab exec: internal failure: " + what);
  exit(kInternal);
}

// Why a step failed, when it is known: a cause's code (execError.cause.code) and its words.
struct Why {
  std::string code, text;
};

// In the CLI's words for an exec error (src/cli/format.ts, formatOutcome), then the call
// and, where it is known, why.
[[noreturn]] void stepFailed(const char* step, int err, int slot, const std::string& call, const Why& why = {}) {
  const char* name = strerrorname_np(err);
  std::string line = std::string("exec error at step ") + step + ": " + (name ? name : std::to_string(err)) + " (" +
                     strerror(err) + ")";
  if (slot >= 0) line += " for fd " + std::to_string(slot);
  say(line);
  if (!call.empty()) say("  in " + call);
  if (!why.text.empty()) say("  why" + (why.code.empty() ? "" : " (" + why.code + ")") + ": " + why.text);
  exit(kStepFailed);
}

// What the helper can see of a failed step's cause in its own process. A launch's child is
// new and leads nothing; exec keeps the caller's process, which may lead its group.
std::string whyFailed(const char* step, int err) {
  if (strcmp(step, step::kSetsid) == 0 && err == EPERM && getpgrp() == getpid())
    return "this process (pid " + std::to_string(getpid()) + ") leads its process group, as a job of an interactive " +
           "shell does, and setsid(2) refuses a group leader; exec keeps the pid, so it cannot fork out of it as " +
           "setsid(1) does: start proclab exec from a script, or under setsid(1)";
  return "";
}

// The spec: the whole of a file (a memfd the lab wrote), read from its start.
ChildSpec readSpec(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) internal(std::string("--spec-fd: ") + strerror(errno));
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = pread(fd, &bytes[done], bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) internal("--spec-fd: the spec ends early");
    done += static_cast<size_t>(n);
  }
  close(fd);
  ChildSpec spec;
  if (!decodeSpec(bytes.data(), bytes.size(), spec)) internal("the spec is not of this helper's layout (another build?)");
  return spec;
}

struct Arguments {
  int specFd;
  // What the lab found, just before the exec, would make the program's execve fail: the
  // errno to expect, and why (src/main/lab/exec-cause.ts). Said after an execve that failed
  // with that errno: the helper has no checks of its own to look at the program with.
  int execveErr;
  Why execveWhy;
};

int number(const char* text) {
  char* end = nullptr;
  long n = strtol(text, &end, 10);
  return *text && !*end && n >= 0 && n < 1 << 30 ? static_cast<int>(n) : -1;
}

// proclab_exec --spec-fd FD [--execve-cause ERRNO CODE TEXT]
Arguments arguments(int argc, char** argv) {
  Arguments out{-1, 0, {}};
  if (argc >= 3 && strcmp(argv[1], "--spec-fd") == 0) out.specFd = number(argv[2]);
  if (argc == 7 && strcmp(argv[3], "--execve-cause") == 0) out = {out.specFd, number(argv[4]), {argv[5], argv[6]}};
  if (out.specFd < 0 || (argc != 3 && (argc != 7 || out.execveErr <= 0)))
    internal("usage: proclab_exec --spec-fd FD [--execve-cause ERRNO CODE TEXT] (run by proclab exec, not by hand)");
  return out;
}

// Every signal blocked, as a launch's child starts: a signal sent during the setup waits
// until the sigmask step. Returns the mask the helper was started with (the caller's).
uint64_t blockAllSignals() {
  uint64_t all = ~0ull, old = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof all);
  return old;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(&s[0]);
  out.push_back(nullptr);
  return out;
}

// A descriptor moved to `above` or higher, close-on-exec.
int moveAbove(int fd, int above) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, above);
  if (high < 0) internal(std::string("fcntl(F_DUPFD_CLOEXEC): ") + strerror(errno));
  close(fd);
  return high;
}

// The cloned child's parent: passes the signals it gets on to the child (as a service
// manager's SIGTERM to the pid it knows), reaps it, and ends as it ended. Not one the
// kernel sent to the process group they share: a terminal's Ctrl-C, Ctrl-\ or window
// change (SI_KERNEL) reached the child already, and passed on it would come twice.
[[noreturn]] void waitAndPassOn(pid_t child, uint64_t callerMask) {
  sigset_t all;
  sigfillset(&all);
  for (;;) {
    siginfo_t info{};
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) continue;
    if (sig != SIGCHLD) {
      bool reachedChild = info.si_code == SI_KERNEL && getpgid(child) == getpgrp();
      if (!reachedChild) kill(child, sig);
      continue;
    }
    int status = 0;
    pid_t done = waitpid(child, &status, WNOHANG);
    if (done != child) continue;
    if (WIFEXITED(status)) exit(WEXITSTATUS(status));
    // Killed: die of the same signal, so that the caller sees what it would have seen.
    int killer = WTERMSIG(status);
    signal(killer, SIG_DFL);
    uint64_t only = callerMask & ~(1ull << (killer - 1));
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &only, nullptr, sizeof only);
    kill(getpid(), killer);
    exit(128 + killer);
  }
}

std::string namespaceNames(uint64_t flags) {
  std::string out;
  for (const KernelName& k : kNamespaceFlagNames)
    if (flags & k.value) out += (out.empty() ? "" : "|") + std::string(k.name);
  return out;
}

int run(int argc, char** argv) {
  uint64_t callerMask = blockAllSignals();
  sayFd = fcntl(2, F_DUPFD_CLOEXEC, 3);
  Arguments args = arguments(argc, argv);
  ChildSpec spec = readSpec(args.specFd);
  for (const SlotSource& f : spec.files)
    if (f.kind == SlotSource::Kind::Pipe || f.kind == SlotSource::Kind::Pty) internal("a pipe or pty slot reached the helper");
  if (spec.cgroup || spec.ptrace) internal("cgroup or ptrace reached the helper");

  // An inherited source reached this process without close-on-exec (to survive the exec
  // into it); in a launch it is the lab's own, close-on-exec descriptor. The flag goes back,
  // so that the fd step passes exactly what a launch passes (it clears it where files[i] == i).
  for (const SlotSource& f : spec.files)
    if (f.kind == SlotSource::Kind::Inherit) fcntl(f.hostFd, F_SETFD, FD_CLOEXEC);
  KernelFds::openDevNullOnce();
  KernelFds kernel;
  OpenedFiles files = openFiles(spec.files, kernel);
  if (files.failedSlot >= 0) stepFailed(step::kOpen, files.err, files.failedSlot, "");

  bool clones = spec.cloneflags != 0;
  LaunchExtras extras;
  // pdeathsig: the parent whose end sends the signal is the caller's, or this process when it clones.
  extras.labPid = clones ? getpid() : getppid();
  if (clones && mapsByLab(spec)) {
    int maps[2];
    if (pipe2(maps, O_CLOEXEC) < 0) stepFailed(step::kUserns, errno, -1, "pipe2()");
    int above = firstFdAbovePlan(spec, files.slotFds, sayFd);
    extras.mapsFd = moveAbove(maps[0], above);
    extras.mapsWrite = moveAbove(maps[1], above);
  }
  Plan plan = planChild(spec, files.slotFds, sayFd, PassOneStart::AboveEverySource, extras);
  std::vector<TraceSlot> trace(plan.ops.size());
  std::vector<char*> argvC = cStrings(spec.argv), envpC = cStrings(spec.envp);
  ChildImage image{plan.ops.data(), static_cast<int>(plan.ops.size()), trace.data(), sayFd, callerMask,
                   spec.path.c_str(), argvC.data(), envpC.data()};

  pid_t child = 0;
  if (clones) {
    // Fork-like (no CLONE_VM): the child has its own copy of everything above.
    child = static_cast<pid_t>(syscall(SYS_clone, spec.cloneflags | SIGCHLD, 0, nullptr, nullptr, 0));
    if (child < 0) stepFailed(step::kClone, errno, -1, "clone(" + namespaceNames(spec.cloneflags) + "|SIGCHLD)");
  }
  if (child == 0) {
    StepFailure failure = runSteps(image);
    sayFd = failure.statusFd;  // where the fd step left it
    const PlanEntry& entry = plan.entries[static_cast<size_t>(failure.op)];
    bool foreseen = strcmp(entry.step, step::kExecve) == 0 && failure.err == args.execveErr;
    Why why = foreseen ? args.execveWhy : Why{"", whyFailed(entry.step, failure.err)};
    stepFailed(entry.step, failure.err, entry.pass ? entry.slot : -1, entry.call, why);
  }
  say("proclab exec: cloned for " + namespaceNames(spec.cloneflags) + ": the program runs as pid " + std::to_string(child) +
      "; this process (pid " + std::to_string(getpid()) + ") waits and ends as it ends");
  closeAll(files.childSide, kernel);
  if (extras.mapsWrite >= 0) {
    writeUserMaps(plan.ops, trace.data(), child, extras.mapsWrite);
    close(extras.mapsWrite);
  }
  if (extras.mapsFd >= 0) close(extras.mapsFd);
  waitAndPassOn(child, callerMask);
}

}  // namespace
}  // namespace proclab

int main(int argc, char** argv) { return proclab::run(argc, argv); }
