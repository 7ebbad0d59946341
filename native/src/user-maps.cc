#include "user-maps.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace proclab {

void writeUserMaps(const std::vector<Op>& ops, TraceSlot* trace, pid_t pid, int mapsWrite) {
  int32_t err = 0;
  for (size_t i = 0; i < ops.size() && !err; i++) {
    if (ops[i].kind != OpKind::ByLab) continue;
    std::string path = "/proc/" + std::to_string(pid) + "/" + ops[i].str;
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      err = errno;
    } else {
      size_t len = strlen(ops[i].text);
      ssize_t n = write(fd, ops[i].text, len);
      if (n < 0) err = errno;
      else if (static_cast<size_t>(n) != len) err = EIO;
      close(fd);
    }
    trace[i] = TraceSlot{err ? kFailed : kOk, err};
  }
  ssize_t n;
  do n = write(mapsWrite, &err, sizeof err);
  while (n < 0 && errno == EINTR);
}

}  // namespace proclab
