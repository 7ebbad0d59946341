#include "sources.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>

namespace proclab {

int KernelFds::open(const char* path, int flags) {
  int fd = ::open(path, flags | O_CLOEXEC | O_NOCTTY, 0666);
  return fd < 0 ? -errno : fd;
}

namespace {
int devNull = -1;
}

void KernelFds::openDevNullOnce() {
  if (devNull < 0) devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
}

int KernelFds::devNullFd() { return devNull; }

int KernelFds::openNull() {
  if (devNull < 0) return open("/dev/null", O_RDWR);
  int fd = fcntl(devNull, F_DUPFD_CLOEXEC, 0);
  return fd < 0 ? -errno : fd;
}

int KernelFds::pipe(int fds[2]) { return ::pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0; }

int KernelFds::openPty(int* master, int* slave, std::string* name, unsigned short rows, unsigned short cols) {
  int m = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0) return -errno;
  int unlock = 0;
  // TIOCGPTPEER (Linux 4.13) opens the slave from the master: no path lookup, so it
  // also works when the lab runs in a mount namespace with another /dev/pts.
  int s = -1;
  if (ioctl(m, TIOCSPTLCK, &unlock) == 0) s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0) {
    int err = errno;
    ::close(m);
    return -err;
  }
  // TIOCGPTPEER keeps O_CLOEXEC in the file's own flags (dentry_open with the flags as
  // given), which /proc/PID/fdinfo then shows for every descriptor of it, close-on-exec or
  // not (issue 10). Opened again through /proc's link, as any open(2) does, the file's
  // flags leave O_CLOEXEC out; without /proc the peer is kept as it is.
  std::string link = "/proc/self/fd/" + std::to_string(s);
  int reopened = ::open(link.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (reopened >= 0) {
    ::close(s);
    s = reopened;
  }
  // Set before the child exists: a program that asks at once sees the caller's size.
  struct winsize size = {rows, cols, 0, 0};
  ioctl(m, TIOCSWINSZ, &size);
  unsigned int n = 0;
  if (ioctl(m, TIOCGPTN, &n) == 0) *name = "/dev/pts/" + std::to_string(n);
  *master = m;
  *slave = s;
  return 0;
}

void KernelFds::close(int fd) { ::close(fd); }

// Every fd below lowest_ is taken or open already: a plan of 10,000 slots asks for each
// number once, not a scan from 0 per slot (which was quadratic in syscalls and lookups).
int PredictedFds::next() {
  int fd = lowest_;
  while (taken_.count(fd) != 0 || fcntl(fd, F_GETFD) != -1) fd++;
  taken_.insert(fd);
  lowest_ = fd + 1;
  return fd;
}

int PredictedFds::open(const char*, int) { return next(); }
int PredictedFds::openNull() { return next(); }

int PredictedFds::pipe(int fds[2]) {
  fds[0] = next();
  fds[1] = next();
  return 0;
}

int PredictedFds::openPty(int* master, int* slave, std::string*, unsigned short, unsigned short) {
  *master = next();
  *slave = next();
  return 0;
}

void PredictedFds::close(int fd) {
  if (taken_.erase(fd) != 0) lowest_ = std::min(lowest_, fd);
}

void closeAll(const std::vector<int>& fds, FdAllocator& source) {
  for (int fd : fds) source.close(fd);
}

void closeOpened(OpenedFiles& files, FdAllocator& source) {
  closeAll(files.childSide, source);
  for (const auto& end : files.parentEnds) source.close(end.fd);
  files.childSide.clear();
  files.parentEnds.clear();
}

OpenedFiles openFiles(const std::vector<SlotSource>& files, FdAllocator& fds) {
  OpenedFiles out;
  int ptySlave = -1;
  auto fail = [&](int slot, int err) {
    out.failedSlot = slot;
    out.err = -err;
    closeOpened(out, fds);
    return out;
  };
  for (size_t i = 0; i < files.size(); i++) {
    const SlotSource& f = files[i];
    const int slot = static_cast<int>(i);
    fds.beginSlot(slot);
    int fd = -1;
    switch (f.kind) {
      case SlotSource::Kind::Closed: break;
      case SlotSource::Kind::Inherit: fd = f.hostFd; break;
      case SlotSource::Kind::Null:
      case SlotSource::Kind::File: {
        bool null = f.kind == SlotSource::Kind::Null;
        fd = null ? fds.openNull() : fds.open(f.path.c_str(), f.openFlags);
        if (fd < 0) return fail(slot, fd);
        out.childSide.push_back(fd);
        break;
      }
      case SlotSource::Kind::Pipe: {
        int ends[2];
        int rc = fds.pipe(ends);
        if (rc < 0) return fail(slot, rc);
        // Child fd 0 reads what the lab writes; every other pipe carries output to the lab.
        bool input = slot == 0;
        fd = input ? ends[0] : ends[1];
        out.childSide.push_back(fd);
        out.parentEnds.push_back({input ? ParentEnd::Role::Stdin : ParentEnd::Role::Output, slot,
                                  input ? ends[1] : ends[0]});
        break;
      }
      case SlotSource::Kind::Pty: {
        // One pseudo-terminal per run: every pty slot gets the same slave.
        if (ptySlave < 0) {
          int master;
          int rc = fds.openPty(&master, &ptySlave, &out.ptyName, f.rows, f.cols);
          if (rc < 0) return fail(slot, rc);
          out.childSide.push_back(ptySlave);
          out.parentEnds.push_back({ParentEnd::Role::PtyMaster, -1, master});
        }
        fd = ptySlave;
        break;
      }
    }
    out.slotFds.push_back(fd);
  }
  return out;
}

}  // namespace proclab
