// Opening what a launch's files[] point at, in the parent, before the clone.
// The same walk serves the real launch and the preview (predicted descriptor numbers),
// so the preview cannot drift from what a launch does.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "spec.h"

namespace proclab {

// Where descriptors come from: the kernel, or a prediction of what it would hand out.
class FdAllocator {
 public:
  virtual ~FdAllocator() = default;
  // Each returns a descriptor (or two), or -errno. All close-on-exec.
  virtual int open(const char* path, int flags) = 0;
  // /dev/null, read-write.
  virtual int openNull() = 0;
  virtual int pipe(int fds[2]) = 0;
  // A new pseudo-terminal of rows x cols: master and slave, and the slave's name when known.
  virtual int openPty(int* master, int* slave, std::string* name, unsigned short rows, unsigned short cols) = 0;
  virtual void close(int fd) = 0;
  // openFiles is about to open files[slot].
  virtual void beginSlot(int slot) {}
};

// The real kernel.
class KernelFds : public FdAllocator {
 public:
  // /dev/null is opened once (by the spawner, at its start) and each null slot gets a
  // close-on-exec duplicate of it: fcntl(F_DUPFD_CLOEXEC) instead of a path lookup. A
  // duplicate shares the open file description, which for /dev/null changes nothing.
  static void openDevNullOnce();
  static int devNullFd();  // -1 when /dev/null could not be opened
  int open(const char* path, int flags) override;
  int openNull() override;
  int pipe(int fds[2]) override;
  int openPty(int* master, int* slave, std::string* name, unsigned short rows, unsigned short cols) override;
  void close(int fd) override;
};

// The lowest free numbers of this process, as the kernel would hand them out now.
class PredictedFds final : public FdAllocator {
 public:
  int open(const char* path, int flags) override;
  int openNull() override;
  int pipe(int fds[2]) override;
  int openPty(int* master, int* slave, std::string* name, unsigned short rows, unsigned short cols) override;
  void close(int fd) override;

 private:
  int next();
  std::unordered_set<int> taken_;
  int lowest_ = 0;
};

// A descriptor the lab keeps: the parent's end of a pipe, or the pty master.
struct ParentEnd {
  enum class Role { Stdin, Output, PtyMaster } role;
  int slot;  // the child fd it talks to (-1 for the pty master)
  int fd;
};

struct OpenedFiles {
  std::vector<int> slotFds;      // host fd per child slot, -1 closed
  std::vector<int> childSide;    // opened only for the child: the parent closes them after the clone
  std::vector<ParentEnd> parentEnds;
  std::string ptyName;           // /dev/pts/N when a slot is a pty
  int failedSlot = -1;           // set when opening files[failedSlot] failed with err
  int err = 0;
};

// Opens every source in slot order. On failure everything opened so far is closed again.
OpenedFiles openFiles(const std::vector<SlotSource>& files, FdAllocator& fds);

// Closes what openFiles opened (after a failed clone, or the child-side after a launch).
void closeAll(const std::vector<int>& fds, FdAllocator& source);

// Closes every descriptor openFiles opened, the child's side and the lab's ends (a launch
// given up), and empties both lists.
void closeOpened(OpenedFiles& files, FdAllocator& source);

}  // namespace proclab
