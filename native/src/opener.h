// Opening a launch's files away from the spawner thread. open(2) of a FIFO waits until
// its other end is opened (fifo(7)); an open on a hung network file system waits too. A
// launch whose files[] name a path is opened on a thread of its own, so that such a wait
// holds up only that launch, and a kill or timeout ends it (issue 10).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sources.h"
#include "spec.h"

namespace proclab {

// One launch's opening, shared by the spawner and the opener thread.
class Opening {
 public:
  Opening() = default;
  Opening(const Opening&) = delete;
  Opening& operator=(const Opening&) = delete;
  ~Opening();

  // From the spawner: the launch is not wanted any more. A wait on a FIFO ends at once:
  // the FIFO is opened read-write here (which counts as both ends, so the waiting open
  // returns) and held until the opener is done. Returns the slot being opened.
  int cancel();

  // From the opener thread.
  void at(int slot);
  bool cancelled();
  // Before a wait on the FIFO that pathFd (O_PATH) names: false when cancelled already.
  // Takes pathFd over.
  bool beginWait(int pathFd, const std::string& path);
  // After it: false when cancelled meanwhile.
  bool endWait();

 private:
  std::mutex mutex_;
  bool cancelled_ = false;
  int slot_ = -1;
  int waitFd_ = -1;     // O_PATH of the FIFO being waited on
  std::string waitPath_;
  int unblockFd_ = -1;  // the cancel's read-write open of it
};

// true when some slot is a file by path (its open may wait).
bool opensPaths(const std::vector<SlotSource>& files);

// Opens files on a new thread; done(files) runs there once they are open (or one failed),
// unless the opening was cancelled first (then whatever was opened is closed).
std::shared_ptr<Opening> openInBackground(std::vector<SlotSource> files, std::function<void(OpenedFiles)> done);

}  // namespace proclab
