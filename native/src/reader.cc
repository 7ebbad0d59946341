#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "wakeable-epoll.h"

namespace proclab {
namespace {

using Clock = std::chrono::steady_clock;

// A partial chunk waits at most this long for more bytes before it goes out, so that
// small, slow output (a prompt, a progress line) is not held back.
constexpr int kHoldMs = 2;

struct Stream {
  int fd;
  int saveFd;  // -1: none
  std::unique_ptr<ChunkSink> sink;
  char* buf = nullptr;
  size_t len = 0;
  Clock::time_point firstByte;
  char carry[4] = {};  // the start of a UTF-8 sequence cut by the last chunk's end
  size_t carried = 0;
  off_t saved = 0;   // bytes in the save file
  int saveErr = 0;   // why saving stopped
};

// Appends data to the stream's save file; on a failure the file is cut back to what was
// written whole before it (a short write leaves part of a chunk) and saving stops.
void save(Stream& s, const char* data, size_t n) {
  if (s.saveFd < 0 || s.saveErr != 0) return;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(s.saveFd, data + done, n - done);
    if (w > 0) {
      done += static_cast<size_t>(w);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      s.saveErr = w < 0 ? errno : EIO;
      if (ftruncate(s.saveFd, s.saved) < 0) { /* the note says the file stops early either way */ }
      return;
    }
  }
  s.saved += static_cast<off_t>(n);
}

// A chunk: kChunkBytes of anonymous memory of its own (the output ends up in strings
// that live on, so a chunk given away is not reused), faulted in by the kernel in one go
// (MAP_POPULATE) on this thread rather than page by page as read() fills it.
char* newChunk() {
  void* p = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<char*>(p);
}

// Chunk memory, reused: at most kPoolChunks pieces kept.
constexpr size_t kPoolChunks = 8;
std::mutex poolMutex;
std::vector<char*> pool;

char* takeChunk() {
  {
    std::lock_guard<std::mutex> lock(poolMutex);
    if (!pool.empty()) {
      char* c = pool.back();
      pool.pop_back();
      return c;
    }
  }
  return newChunk();
}

bool allAscii(const char* data, size_t n) {
  uint64_t bits = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, data + i, 8);
    bits |= w;
  }
  for (; i < n; i++) bits |= static_cast<unsigned char>(data[i]);
  return (bits & 0x8080808080808080ULL) == 0;
}

// How many bytes at the end of data start a UTF-8 sequence that is not complete yet.
size_t incompleteTail(const char* data, size_t n) {
  for (size_t back = 1; back <= 3 && back <= n; back++) {
    unsigned char c = static_cast<unsigned char>(data[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

struct Request {
  uint32_t id;
  int fd;  // -1: stop id
  int saveFd;
  std::unique_ptr<ChunkSink> sink;
};

class Reader {
 public:
  Reader() {
    std::thread([this] { loop(); }).detach();
  }

  uint32_t start(int fd, int saveFd, std::unique_ptr<ChunkSink> sink, const std::function<void(uint32_t)>& named) {
    std::lock_guard<std::mutex> lock(mutex_);
    uint32_t id = ++lastId_;
    named(id);
    queue_.push_back(Request{id, fd, saveFd, std::move(sink)});
    wakeUp();
    return id;
  }

  void stop(uint32_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Request{id, -1, -1, nullptr});
    wakeUp();
  }

 private:
  void wakeUp() { loop_.wake(); }

  void loop() {
    epoll_event events[64];
    for (;;) {
      int n = loop_.wait(events, 64, holdTimeout());
      for (int i = 0; i < n; i++) {
        uint32_t id = events[i].data.u32;
        if (id == WakeableEpoll::kWakeId) {
          loop_.takeWake();
          requests();
          continue;
        }
        auto it = streams_.find(id);
        if (it != streams_.end() && drain(it->second)) finish(it, 0);
      }
      flushHeld();
    }
  }

  void requests() {
    std::deque<Request> batch;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(queue_);
    }
    for (auto& req : batch) {
      if (req.fd >= 0) {
        int flags = fcntl(req.fd, F_GETFL);
        if (flags >= 0) fcntl(req.fd, F_SETFL, flags | O_NONBLOCK);
        // 1 MiB (the default /proc/sys/fs/pipe-max-size) lets the child write further ahead (may be refused: EPERM
        // above /proc/sys/fs/pipe-max-size for a normal user; then the pipe stays as it is).
        fcntl(req.fd, F_SETPIPE_SZ, 1 << 20);
        auto [it, inserted] = streams_.emplace(req.id, Stream{req.fd, req.saveFd, std::move(req.sink), nullptr, 0, {}});
        if (loop_.add(req.fd, req.id) < 0) finish(it, errno);
      } else {
        auto it = streams_.find(req.id);
        if (it != streams_.end()) {
          // What is in the pipe now still counts; then the stream ends.
          int err = drain(it->second) ? 0 : -1;
          finish(it, err);
        }
      }
    }
  }

  // Reads what the pipe holds; sends each full chunk. True at EOF or on an error
  // (errno in lastErr_).
  bool drain(Stream& s) {
    for (;;) {
      if (!s.buf) {
        s.buf = takeChunk();
        s.len = 0;
        if (!s.buf) {
          lastErr_ = ENOMEM;
          return true;
        }
        memcpy(s.buf, s.carry, s.carried);
        s.len = s.carried;
        s.carried = 0;
      }
      ssize_t n = read(s.fd, s.buf + s.len, kChunkBytes - s.len);
      if (n > 0) {
        save(s, s.buf + s.len, static_cast<size_t>(n));
        if (s.len == 0) s.firstByte = Clock::now();
        s.len += static_cast<size_t>(n);
        if (s.len == kChunkBytes) send(s, false);
        continue;
      }
      if (n == 0) {
        lastErr_ = 0;
        return true;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return false;
      lastErr_ = errno;
      return true;
    }
  }

  // Hands the chunk on, less a cut UTF-8 sequence at its end (unless the stream ends).
  void send(Stream& s, bool last) {
    if (s.len == 0) return;
    size_t tail = last ? 0 : incompleteTail(s.buf, s.len);
    if (tail == s.len) return;  // nothing whole yet: keep gathering
    s.carried = tail;
    memcpy(s.carry, s.buf + s.len - tail, tail);
    size_t n = s.len - tail;
    s.sink->chunk(s.buf, n, allAscii(s.buf, n));
    s.buf = nullptr;
    s.len = 0;
  }

  void finish(std::unordered_map<uint32_t, Stream>::iterator it, int err) {
    Stream& s = it->second;
    if (err == 0) err = lastErr_;
    lastErr_ = 0;
    if (s.carried && !s.buf) {  // a cut sequence and nothing after it: sent as it is
      s.buf = takeChunk();
      if (s.buf) memcpy(s.buf, s.carry, s.carried);
      s.len = s.buf ? s.carried : 0;
    }
    send(s, true);
    if (s.buf) releaseChunk(s.buf);
    loop_.remove(s.fd);
    close(s.fd);
    if (s.saveFd >= 0) close(s.saveFd);
    s.sink->end(err, s.saveErr);
    streams_.erase(it);
  }

  // Partial chunks older than kHoldMs go out now.
  void flushHeld() {
    auto now = Clock::now();
    for (auto& [id, s] : streams_) {
      if (s.len > 0 && now - s.firstByte >= std::chrono::milliseconds(kHoldMs)) send(s, false);
    }
  }

  int holdTimeout() const {
    bool held = false;
    auto now = Clock::now();
    Clock::duration soonest = std::chrono::milliseconds(kHoldMs);
    for (const auto& [id, s] : streams_) {
      if (s.len == 0) continue;
      held = true;
      auto left = s.firstByte + std::chrono::milliseconds(kHoldMs) - now;
      if (left < soonest) soonest = left;
    }
    if (!held) return -1;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(soonest).count();
    return ms < 0 ? 0 : static_cast<int>(ms) + 1;
  }

  WakeableEpoll loop_;
  int lastErr_ = 0;
  std::mutex mutex_;
  std::deque<Request> queue_;
  uint32_t lastId_ = 0;
  std::unordered_map<uint32_t, Stream> streams_;  // reader thread only
};

Reader& reader() {
  static Reader* instance = new Reader();  // never destroyed: its thread runs until exit
  return *instance;
}

}  // namespace

uint32_t startReading(int fd, int saveFd, std::unique_ptr<ChunkSink> sink, const std::function<void(uint32_t)>& named) {
  return reader().start(fd, saveFd, std::move(sink), named);
}

void startReader() { reader(); }

void releaseChunk(char* data) {
  {
    std::lock_guard<std::mutex> lock(poolMutex);
    if (pool.size() < kPoolChunks) {
      pool.push_back(data);
      return;
    }
  }
  freeChunk(data);
}

void freeChunk(char* data) { munmap(data, kChunkBytes); }

void stopReading(uint32_t id) { reader().stop(id); }

}  // namespace proclab
