#include "opener.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

namespace proclab {
namespace {

// Opens again what pathFd (O_PATH) refers to, through /proc's magic link: the same inode
// even if the path has been swapped since. Without /proc mounted, by path.
int reopen(int pathFd, const std::string& path, int flags) {
  std::string link = "/proc/self/fd/" + std::to_string(pathFd);
  int fd = ::open(link.c_str(), flags | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 && errno == ENOENT) fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOCTTY);
  return fd;
}

// The kernel, opening files without ever waiting on this thread's caller: every path is
// first opened O_NONBLOCK, which returns at once; a FIFO, whose open(2) is meant to wait
// for the other end, then waits through Opening, where a cancel can end the wait.
class WaitingFds final : public KernelFds {
 public:
  explicit WaitingFds(Opening& opening) : opening_(opening) {}

  void beginSlot(int slot) override { opening_.at(slot); }

  int open(const char* path, int flags) override {
    if (opening_.cancelled()) return -ECANCELED;
    int fd = ::open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0666);
    if (fd >= 0) {
      struct stat st;
      bool fifoReader = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && (flags & O_ACCMODE) == O_RDONLY;
      if (!fifoReader) {
        // O_NONBLOCK lives in the open file description the child shares: off again.
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        return fd;
      }
      // A FIFO's reader opened O_NONBLOCK succeeds without a writer, and would then read
      // EOF at once: wait for a writer as a blocking open does.
      ::close(fd);
    } else if (errno != ENXIO) {  // ENXIO: a FIFO's writer, and no reader yet
      return -errno;
    }
    int pathFd = ::open(path, O_PATH | O_CLOEXEC);
    if (pathFd < 0) return -errno;
    if (!opening_.beginWait(pathFd, path)) return -ECANCELED;
    fd = reopen(pathFd, path, flags);
    int err = errno;
    if (!opening_.endWait()) {
      if (fd >= 0) ::close(fd);
      return -ECANCELED;
    }
    return fd < 0 ? -err : fd;
  }

 private:
  Opening& opening_;
};

}  // namespace

Opening::~Opening() {
  if (waitFd_ >= 0) ::close(waitFd_);
  if (unblockFd_ >= 0) ::close(unblockFd_);
}

int Opening::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  if (waitFd_ >= 0 && unblockFd_ < 0) unblockFd_ = reopen(waitFd_, waitPath_, O_RDWR | O_NONBLOCK);
  return slot_;
}

void Opening::at(int slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  slot_ = slot;
}

bool Opening::cancelled() {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

bool Opening::beginWait(int pathFd, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  waitFd_ = pathFd;
  waitPath_ = path;
  return !cancelled_;
}

bool Opening::endWait() {
  std::lock_guard<std::mutex> lock(mutex_);
  ::close(waitFd_);
  waitFd_ = -1;
  return !cancelled_;
}

bool opensPaths(const std::vector<SlotSource>& files) {
  for (const auto& f : files)
    if (f.kind == SlotSource::Kind::File) return true;
  return false;
}

std::shared_ptr<Opening> openInBackground(std::vector<SlotSource> files, std::function<void(OpenedFiles)> done) {
  auto opening = std::make_shared<Opening>();
  std::thread([opening, files = std::move(files), done = std::move(done)] {
    // Signals go to the lab's other threads: none interrupts an open here.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, nullptr);
    WaitingFds fds(*opening);
    OpenedFiles opened = openFiles(files, fds);
    if (opening->cancelled()) return closeOpened(opened, fds);
    done(std::move(opened));
  }).detach();
  return opening;
}

}  // namespace proclab
