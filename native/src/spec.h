// What a launch asks for, and the step list the child executes.
// Everything here is built on the JS or spawner thread before the clone; the child only
// reads it (docs/architecture.md, "The child").
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "generated/engine-names.h"

namespace proclab {

enum class Method { Vfork, Fork };

// Which order the child's steps follow: the seed's, or Go's exec_linux.go today.
enum class Order { Seed, Go };

// One line of /proc/PID/uid_map or gid_map.
struct IdMapping {
  uint32_t containerId = 0;
  uint32_t hostId = 0;
  uint32_t size = 0;
};

// setrlimit in the child: the kernel's struct rlimit64 (prlimit64(2)), RLIM64_INFINITY for
// "unlimited".
struct RlimitValue {
  uint64_t soft = 0;
  uint64_t hard = 0;
};
struct Rlimit {
  int resource = 0;
  RlimitValue limit;
};

struct Credential {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;
  bool noSetGroups = false;
};

// Where a child slot (files[i]) comes from. Opened by the parent before the clone.
struct SlotSource {
  enum class Kind { Null, Pipe, Inherit, File, Closed, Pty } kind = Kind::Closed;
  int hostFd = -1;          // Inherit: the number the user named
  // Inherit: a close-on-exec duplicate of hostFd taken inside launch() on the JS thread,
  // so that the child gets what was named at the call even if the caller closes hostFd
  // before the clone (issue 10); pinErr: why it could not be taken (EBADF: not open).
  // Neither in a plan without a launch.
  int pinFd = -1;
  int pinErr = 0;
  bool pinCloexec = false;  // hostFd's close-on-exec flag when it was pinned
  std::string path;         // File
  int openFlags = 0;        // File: O_RDONLY / O_WRONLY / O_RDWR, O_APPEND, O_CREAT, O_TRUNC
  unsigned short rows = 24, cols = 80;  // Pty: the terminal's size from its start
};

struct ChildSpec {
  std::string path;  // already resolved by the caller (PATH lookup happens in JS)
  std::vector<std::string> argv;
  std::vector<std::string> envp;
  std::optional<std::string> dir;
  std::optional<std::string> chroot;
  std::optional<Credential> credential;
  // The plain booleans and ints of sys and engine (ptrace, setsid, pgid, closeOtherFds...):
  // their names have one home, native/engine-names.json.
#define PROCLAB_DECLARE_FLAG(name) bool name = false;
#define PROCLAB_DECLARE_INT(name) int name = 0;
#define PROCLAB_DECLARE_OPTIONAL_INT(name) std::optional<int> name;
  PROCLAB_SPEC_FLAGS(PROCLAB_DECLARE_FLAG)
  PROCLAB_SPEC_INTS(PROCLAB_DECLARE_INT)
  PROCLAB_SPEC_OPTIONAL_INTS(PROCLAB_DECLARE_OPTIONAL_INT)
#undef PROCLAB_DECLARE_FLAG
#undef PROCLAB_DECLARE_INT
#undef PROCLAB_DECLARE_OPTIONAL_INT
  uint64_t cloneflags = 0;    // CLONE_NEW* for clone itself
  uint64_t unshareflags = 0;  // CLONE_NEW* for unshare(2) in the child
  std::vector<IdMapping> uidMappings, gidMappings;
  std::vector<uint32_t> ambientCaps;  // capability numbers
  std::optional<std::string> cgroup;  // a cgroup v2 directory: clone3(CLONE_INTO_CGROUP)
  std::vector<Rlimit> rlimits;
  std::vector<int> cpuAffinity;       // CPU numbers
  std::vector<SlotSource> files;
  Method method = Method::Vfork;
  Order order = Order::Seed;
  // The probe's launches (issue 10): the program is opened before the clone and run with
  // execveat(fd, "", AT_EMPTY_PATH), which works inside any chroot; reportFd >= 0: a memfd
  // the engine makes is put at that fd after the close-on-exec sweep, for the report.
  bool execByFd = false;
  int reportFd = -1;
};

// Descriptors a launch opens beside its files: where they are when the plan is made.
struct LaunchExtras {
  int execFd = -1;    // execByFd: the program, O_PATH
  int reportFd = -1;  // the report's memfd in the lab, to go to ChildSpec::reportFd
  int cgroupFd = -1;  // cgroup: the directory, for clone3
  int mapsFd = -1;    // a user namespace the lab maps: the read end the child waits on
  int mapsWrite = -1; //   and the lab's end (not the planner's business)
  int labPid = 0;     // pdeathsig: the parent the child must still have
};

// One operation of the child. Plain data: the child walks an array of these.
enum class OpKind : uint8_t {
  Signals,      // handlers to SIG_DFL: a = 1 every one, 0 caught handlers only (the mask stays full)
  SigMask,      // a = 1: empty the mask; 0: the lab's own mask. Last before execve.
  TraceMe,
  ByLab,        // done by the lab, not the child (writing a user namespace's maps): skipped
  WaitMaps,     // read(a, 1 byte), then close(a): the lab has written the maps
  Setsid,
  Setpgid,      // a = pgid
  Foreground,   // ioctl(a, TIOCSPGRP, b or getpid())
  Unshare,      // a = CLONE_NEW* flags
  MountPrivate, // mount("none", "/", NULL, MS_REC|MS_PRIVATE, NULL)
  WriteFile,    // open str O_WRONLY, write text, close
  Chroot,       // str
  KeepCaps,     // prctl(PR_SET_KEEPCAPS, 1)
  Setgroups,    // ids, a = count
  Setgid,       // a
  Setuid,       // a
  AmbientCaps,  // ids, a = count: raised in the inheritable set, then each PR_CAP_AMBIENT_RAISE
  Chdir,        // str
  Pdeathsig,    // prctl(PR_SET_PDEATHSIG, a); then kill itself if its parent is no longer b
  KeepInherited,  // a pairs of inherited fds and their pins (inherited): each put back from its pin when changed
  Dup2,         // a -> b
  SetCloexec,   // fcntl(a, F_SETFD, b)
  Close,        // a
  CloseFrom,    // close_range(a, ~0U, CLOSE_RANGE_CLOEXEC)
  Noctty,
  Setctty,      // a = fd
  PlaceReport,  // dup3(a, b, 0): the report's memfd, kept across exec
  Umask,        // a
  Nice,         // setpriority(PRIO_PROCESS, 0, a)
  CpuAffinity,  // sched_setaffinity(0, a bytes, data)
  NoNewPrivs,   // prctl(PR_SET_NO_NEW_PRIVS, 1)
  Rlimit,       // prlimit64(0, a, data, NULL)
  Execve,       // a >= 0: execveat(a, "", ..., AT_EMPTY_PATH)
};

struct Op {
  OpKind kind;
  bool fatal = true;          // false: the seed ignores this call's error and goes on
  bool movesStatusPipe = false;  // a Dup2 that relocates the status pipe to b
  int a = 0;
  int b = 0;
  const char* str = nullptr;
  const char* text = nullptr;       // WriteFile, ByLab: what is written
  const uint32_t* ids = nullptr;    // Setgroups: gids · AmbientCaps: capability numbers
  const void* data = nullptr;       // CpuAffinity: the mask · Rlimit: its struct rlimit64
  const int* inherited = nullptr;  // KeepInherited: {hostFd, pinFd, cloexec} per fd
};

// How an op is shown to people: the run result's "plan" entries (src/shared/result.ts).
struct PlanEntry {
  const char* step = "";      // one of src/shared/steps.ts
  std::string call;           // e.g. dup2(5, 1)
  int pass = 0;               // fd ops: 1 or 2
  const char* op = nullptr;   // fd ops: "dup2", "fcntl" (F_SETFD) or "close"; closefds: "close_range"
  std::vector<int> args;      // dup2: from, to · fcntl: fd, cloexec (0/1) · close: fd · close_range: first fd
  int slot = -1;              // fd ops: the child fd this op serves
  std::vector<int> clobbers;  // seed plan only: slots whose source this op destroys (-2: the status pipe)
  // step and op are the planner's literals, compared as pointers: a false "differs" only
  // costs building the entry again.
  bool operator==(const PlanEntry& o) const {
    return step == o.step && call == o.call && pass == o.pass && op == o.op && args == o.args && slot == o.slot &&
           clobbers == o.clobbers;
  }
};

// How the child is created, and why (the plan shows it).
struct CloneChoice {
  enum class Kind {
    VforkWait,   // clone(CLONE_VM|CLONE_VFORK) on the spawner's stack: the spawner waits
    VmBeside,    // clone(CLONE_VM) on a stack of its own: the child runs beside the spawner
    Fork,        // clone() without CLONE_VM
    Clone3Fork,  // clone3() without CLONE_VM: CLONE_INTO_CGROUP
  } kind = Kind::VforkWait;
  std::string call;  // e.g. clone(CLONE_VM|CLONE_VFORK|CLONE_PIDFD|CLONE_NEWPID|SIGCHLD)
  std::string why;   // when it is not what the method asks for
};

struct Plan {
  std::vector<Op> ops;
  CloneChoice clone;
  std::vector<int> inherited;      // what a KeepInherited op reads
  std::deque<std::string> texts;   // what ops' str and text point to (a deque: never moved)
  std::vector<unsigned long> cpuMask;
  std::vector<PlanEntry> entries;  // same length and order as ops
  int firstFreshFd = 0;            // where pass 1 starts taking descriptors
};

}  // namespace proclab
