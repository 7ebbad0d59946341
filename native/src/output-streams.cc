#include "output-streams.h"

#include <dlfcn.h>

#include <memory>

#include "js-values.h"
#include "reader.h"

namespace proclab {

// Chunks in flight to JS per environment, at most (each up to kChunkBytes).
constexpr size_t kOutputQueue = 8;

struct OutputMessage {
  uint32_t streamId;
  char* data;  // a reader chunk (releaseChunk); null for the end
  size_t length;
  bool ascii;
  int err;      // the end: 0 EOF, errno, or -1 stopped
  int saveErr;  // the end: why the save file stopped short (errno), or 0
};

namespace {

void release(char* data) {
  if (data) releaseChunk(data);
}

// node_api_create_external_string_latin1 (Node 20.4+, 18.18+, Electron alike) is still
// marked experimental in the headers: looked up at run time, so the addon stays a plain
// Node-API 8 module and falls back to copying where it is missing.
using ExternalLatin1 = napi_status (*)(napi_env, char*, size_t, napi_finalize, void*, napi_value*, bool*);
ExternalLatin1 externalLatin1 =
    reinterpret_cast<ExternalLatin1>(dlsym(RTLD_DEFAULT, "node_api_create_external_string_latin1"));

// A large ASCII chunk becomes the string's own storage (no copy, no page faults on the
// JS thread for a fresh 1 MiB string); smaller ones are copied and their memory reused,
// so a trickle of short lines never holds a 1 MiB piece each.
constexpr size_t kExternalAtLeast = kChunkBytes / 2;

// The reader thread's side of a stream.
class JsChunkSink final : public ChunkSink {
 public:
  explicit JsChunkSink(napi_threadsafe_function tsfn) : tsfn_(tsfn) {}
  uint32_t streamId = 0;
  void chunk(char* data, size_t length, bool ascii) override {
    post(new OutputMessage{streamId, data, length, ascii, 0, 0});
  }
  void end(int err, int saveErr) override { post(new OutputMessage{streamId, nullptr, 0, false, err, saveErr}); }

 private:
  void post(OutputMessage* m) {
    // Blocking: with kOutputQueue chunks waiting for JS, the reader thread waits.
    if (napi_call_threadsafe_function(tsfn_, m, napi_tsfn_blocking) != napi_ok) {
      release(m->data);
      delete m;
    }
  }
  napi_threadsafe_function tsfn_;
};

}  // namespace

OutputStreams::OutputStreams(napi_env env) {
  napi_value name;
  napi_create_string_utf8(env, "proclab-output", NAPI_AUTO_LENGTH, &name);
  napi_create_threadsafe_function(env, nullptr, nullptr, name, kOutputQueue, 1, nullptr, nullptr, this, callJs,
                                  &tsfn_);
  napi_unref_threadsafe_function(env, tsfn_);  // idle until a stream
}

uint32_t OutputStreams::read(napi_env env, int fd, int saveFd, napi_value onChunk) {
  napi_ref callback;
  napi_create_reference(env, onChunk, 1, &callback);
  if (live_++ == 0) napi_ref_threadsafe_function(env, tsfn_);
  auto sink = std::make_unique<JsChunkSink>(tsfn_);
  JsChunkSink* raw = sink.get();
  // The id is known only once queued; the reader starts on it after our lock is released,
  // and messages are delivered on this thread, after this function returns.
  uint32_t id = startReading(fd, saveFd, std::move(sink), [raw](uint32_t assigned) { raw->streamId = assigned; });
  callbacks_.emplace(id, callback);
  return id;
}

void OutputStreams::callJs(napi_env env, napi_value, void* context, void* raw) {
  std::unique_ptr<OutputMessage> m(static_cast<OutputMessage*>(raw));
  if (env == nullptr) {
    release(m->data);
    return;
  }
  static_cast<OutputStreams*>(context)->deliver(env, *m);
}

void OutputStreams::deliver(napi_env env, OutputMessage& m) {
  auto it = callbacks_.find(m.streamId);
  if (it == callbacks_.end()) {
    release(m.data);
    return;
  }
  napi_value callback, args[3];
  napi_get_reference_value(env, it->second, &callback);
  size_t argc = 1;
  const bool ending = m.data == nullptr;
  if (!ending && m.ascii && m.length >= kExternalAtLeast && externalLatin1) {
    char* data = m.data;
    bool copied = false;
    auto finalize = [](napi_env, void* d, void*) { freeChunk(static_cast<char*>(d)); };
    if (externalLatin1(env, data, m.length, finalize, nullptr, &args[0], &copied) == napi_ok) {
      m.data = nullptr;  // the string owns it now (or, copied, has freed it already)
    } else {
      napi_create_string_latin1(env, data, m.length, &args[0]);
    }
  } else if (!ending) {
    // Decoded here, once, straight from the chunk into a string (no Buffer): ASCII is
    // copied as it is (the reader thread checked it), anything else decoded as UTF-8
    // (invalid bytes become U+FFFD, as StringDecoder does). The chunk ends on a whole
    // sequence, so nothing is cut in two.
    if (m.ascii)
      napi_create_string_latin1(env, m.data, m.length, &args[0]);
    else
      napi_create_string_utf8(env, m.data, m.length, &args[0]);
  } else {
    napi_get_null(env, &args[0]);
    args[1] = intValue(env, m.err);
    args[2] = intValue(env, m.saveErr);
    argc = 3;
  }
  napi_ref ref = it->second;
  callReportingErrors(env, callback, argc, args);  // may start other streams: `it` is stale
  if (!ending) {
    release(m.data);
  } else {
    napi_delete_reference(env, ref);
    callbacks_.erase(m.streamId);
    if (--live_ == 0) napi_unref_threadsafe_function(env, tsfn_);
  }
}

}  // namespace proclab
