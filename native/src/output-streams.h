// Captured output, delivered on the JS thread: the reader thread's chunks (reader.h) go to
// each stream's onChunk through one ThreadSafeFunction per Node environment, with a
// bounded queue, so that a child writing faster than JS takes it in is held back (the
// reader waits, the pipe fills, the child blocks) instead of piling chunks up in memory.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <unordered_map>

namespace proclab {

struct OutputMessage;

class OutputStreams {
 public:
  explicit OutputStreams(napi_env env);
  OutputStreams(const OutputStreams&) = delete;
  OutputStreams& operator=(const OutputStreams&) = delete;

  // The reader thread takes over fd and saveFd (-1: none; see startReading) and closes
  // them: onChunk(text) per chunk, then onChunk(null, err, saveErr) once (err 0 EOF, errno,
  // -1 stopped; saveErr 0 or why saving stopped). Returns the stream's id.
  uint32_t read(napi_env env, int fd, int saveFd, napi_value onChunk);

 private:
  static void callJs(napi_env env, napi_value, void* context, void* data);
  void deliver(napi_env env, OutputMessage& m);

  napi_threadsafe_function tsfn_ = nullptr;
  std::unordered_map<uint32_t, napi_ref> callbacks_;  // live streams' onChunk
  size_t live_ = 0;
};

}  // namespace proclab
