// What a launch asks for, and the step list the child executes.
// Everything here is built on the JS or spawner thread before the clone; the child only
// reads it (docs/architecture.md, "The child").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generated/engine-names.h"

namespace proclab {

enum class Method { Vfork, Fork };

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
  PROCLAB_SPEC_FLAGS(PROCLAB_DECLARE_FLAG)
  PROCLAB_SPEC_INTS(PROCLAB_DECLARE_INT)
#undef PROCLAB_DECLARE_FLAG
#undef PROCLAB_DECLARE_INT
  std::vector<SlotSource> files;
  Method method = Method::Vfork;
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
};

// One operation of the child. Plain data: the child walks an array of these.
enum class OpKind : uint8_t {
  Signals,      // handlers to SIG_DFL: a = 1 every one, 0 caught handlers only (the mask stays full)
  SigMask,      // a = 1: empty the mask; 0: the lab's own mask. Last before execve.
  TraceMe,
  Setsid,
  Setpgid,      // a = pgid
  Chroot,       // str
  Setgroups,    // groups, a = count
  Setgid,       // a
  Setuid,       // a
  Chdir,        // str
  KeepInherited,  // a pairs of inherited fds and their pins (inherited): each put back from its pin when changed
  Dup2,         // a -> b
  SetCloexec,   // fcntl(a, F_SETFD, b)
  Close,        // a
  CloseFrom,    // close_range(a, ~0U, CLOSE_RANGE_CLOEXEC)
  Noctty,
  Setctty,      // a = fd
  PlaceReport,  // dup3(a, b, 0): the report's memfd, kept across exec
  Execve,       // a >= 0: execveat(a, "", ..., AT_EMPTY_PATH)
};

struct Op {
  OpKind kind;
  bool fatal = true;          // false: the seed ignores this call's error and goes on
  bool movesStatusPipe = false;  // a Dup2 that relocates the status pipe to b
  int a = 0;
  int b = 0;
  const char* str = nullptr;
  const uint32_t* groups = nullptr;
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
};

struct Plan {
  std::vector<Op> ops;
  std::vector<int> inherited;      // what a KeepInherited op reads
  std::vector<PlanEntry> entries;  // same length and order as ops
  int firstFreshFd = 0;            // where pass 1 starts taking descriptors
};

}  // namespace proclab
