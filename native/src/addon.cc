// The Node-API face of the engine: JS objects in, JS objects out. Node-API only, so the
// same binary loads in Node and in Electron.
#include <dlfcn.h>
#include <fcntl.h>
#include <napi.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "planner.h"
#include "reader.h"
#include "sources.h"
#include "spawner.h"

namespace proclab {
namespace {

// One persistent value per key or constant string, held in a JS array (Node-API 8 makes
// references to objects only), found by the literal's address.
class Strings {
 public:
  napi_value get(napi_env env, const char* s) {
    napi_value held, v;
    if (!held_) {
      napi_create_array(env, &held);
      napi_create_reference(env, held, 1, &held_);
    } else {
      napi_get_reference_value(env, held_, &held);
    }
    auto it = index_.find(s);
    if (it != index_.end()) {
      napi_get_element(env, held, it->second, &v);
      return v;
    }
    // The string as V8 internalizes it (what a property key becomes): the name of a
    // property set on a scratch object, read back. A key that is already internalized
    // costs no string-table lookup when it is used.
    napi_value scratch, zero, names;
    napi_create_object(env, &scratch);
    napi_create_int32(env, 0, &zero);
    napi_set_named_property(env, scratch, s, zero);
    napi_get_property_names(env, scratch, &names);
    napi_get_element(env, names, 0, &v);
    uint32_t i = static_cast<uint32_t>(index_.size());
    napi_set_element(env, held, i, v);
    index_.emplace(s, i);
    return v;
  }

 private:
  napi_ref held_ = nullptr;
  std::unordered_map<const char*, uint32_t> index_;  // by address: only string literals
};

// The keys of the environment childSpec is reading for (it runs on the JS thread).
thread_local Strings* specKeys = nullptr;

// ---- JS -> ChildSpec --------------------------------------------------------------
// The lab validated the profile against src/shared's schema; this only copies it.

// o[key], the key from the environment's cache (no string-table lookup per property).
Napi::Value prop(const Napi::Object& o, const char* key) {
  if (!specKeys) return o.Get(key);
  napi_value v;
  napi_get_property(o.Env(), o, specKeys->get(o.Env(), key), &v);
  return Napi::Value(o.Env(), v);
}
std::string str(const Napi::Object& o, const char* key) { return prop(o, key).As<Napi::String>().Utf8Value(); }
bool flag(const Napi::Object& o, const char* key) { return prop(o, key).ToBoolean().Value(); }
int integer(const Napi::Object& o, const char* key) { return prop(o, key).ToNumber().Int32Value(); }
std::optional<std::string> optionalStr(const Napi::Object& o, const char* key) {
  Napi::Value v = prop(o, key);
  if (v.IsUndefined() || v.IsNull()) return std::nullopt;
  return v.As<Napi::String>().Utf8Value();
}
std::vector<std::string> strings(const Napi::Object& o, const char* key) {
  Napi::Array a = prop(o, key).As<Napi::Array>();
  std::vector<std::string> out;
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

FileSource fileSource(const Napi::Object& f) {
  static const std::pair<const char*, FileSource::Kind> kinds[] = {
      {"null", FileSource::Kind::Null}, {"pipe", FileSource::Kind::Pipe},     {"inherit", FileSource::Kind::Inherit},
      {"file", FileSource::Kind::File}, {"closed", FileSource::Kind::Closed}, {"pty", FileSource::Kind::Pty}};
  FileSource out;
  std::string type = str(f, "type");
  for (const auto& [name, kind] : kinds)
    if (type == name) out.kind = kind;
  if (out.kind == FileSource::Kind::Inherit) out.hostFd = integer(f, "fd");
  if (out.kind == FileSource::Kind::File) {
    out.path = str(f, "path");
    out.openFlags = integer(f, "flags");
  }
  return out;
}

std::unique_ptr<ChildSpec> childSpec(const Napi::Object& o) {
  auto spec = std::make_unique<ChildSpec>();
  spec->path = str(o, "path");
  spec->argv = strings(o, "argv");
  spec->envp = strings(o, "envp");
  spec->dir = optionalStr(o, "dir");
  spec->chroot = optionalStr(o, "chroot");
  Napi::Value cred = prop(o, "credential");
  if (cred.IsObject()) {
    Napi::Object c = cred.As<Napi::Object>();
    Credential out;
    out.uid = c.Get("uid").ToNumber().Uint32Value();
    out.gid = c.Get("gid").ToNumber().Uint32Value();
    Napi::Array groups = c.Get("groups").As<Napi::Array>();
    for (uint32_t i = 0; i < groups.Length(); i++) out.groups.push_back(groups.Get(i).ToNumber().Uint32Value());
    out.noSetGroups = flag(c, "noSetGroups");
    spec->credential = out;
  }
  spec->ptrace = flag(o, "ptrace");
  spec->setsid = flag(o, "setsid");
  spec->setpgid = flag(o, "setpgid");
  spec->pgid = integer(o, "pgid");
  spec->setctty = flag(o, "setctty");
  spec->noctty = flag(o, "noctty");
  spec->ctty = integer(o, "ctty");
  Napi::Array files = prop(o, "files").As<Napi::Array>();
  for (uint32_t i = 0; i < files.Length(); i++) spec->files.push_back(fileSource(files.Get(i).As<Napi::Object>()));
  spec->method = str(o, "method") == "fork" ? Method::Fork : Method::Vfork;
  spec->closeOtherFds = flag(o, "closeOtherFds");
  spec->resetSignals = flag(o, "resetSignals");
  return spec;
}

// ---- C++ -> JS --------------------------------------------------------------------
// Messages go out on every launch, so they are built cheaply: property names and the
// constant strings (step and op names) are created once per environment and reused
// (napi_set_named_property would look each key up in V8's string table on every call),
// and the run's messages reach JS as positional arguments, arrays of numbers as typed
// arrays (src/main/lab/engine.ts turns them into NativeMessage objects).

Napi::Array intArray(Napi::Env env, const std::vector<int>& values) {
  Napi::Array a = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) a.Set(i, values[i]);
  return a;
}

napi_value int32Array(napi_env env, const int32_t* values, size_t count) {
  void* data = nullptr;
  napi_value buffer, array;
  napi_create_arraybuffer(env, count * sizeof(int32_t), &data, &buffer);
  if (count) memcpy(data, values, count * sizeof(int32_t));
  napi_create_typedarray(env, napi_int32_array, count, buffer, 0, &array);
  return array;
}

napi_value float64Array(napi_env env, const std::vector<double>& values) {
  void* data = nullptr;
  napi_value buffer, array;
  napi_create_arraybuffer(env, values.size() * sizeof(double), &data, &buffer);
  if (!values.empty()) memcpy(data, values.data(), values.size() * sizeof(double));
  napi_create_typedarray(env, napi_float64_array, values.size(), buffer, 0, &array);
  return array;
}

napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

napi_value intValue(napi_env env, int x) {
  napi_value v;
  napi_create_int32(env, x, &v);
  return v;
}

napi_value plainIntArray(napi_env env, const std::vector<int>& values) {
  napi_value a;
  napi_create_array_with_length(env, values.size(), &a);
  for (size_t i = 0; i < values.size(); i++) napi_set_element(env, a, i, intValue(env, values[i]));
  return a;
}

// The contract's PlanOp objects, keys in the same order as always.
napi_value planArray(napi_env env, Strings& strings, const std::vector<PlanEntry>& entries) {
  napi_value a;
  napi_create_array_with_length(env, entries.size(), &a);
  napi_value kStep = strings.get(env, "step"), kCall = strings.get(env, "call"), kPass = strings.get(env, "pass"),
             kSlot = strings.get(env, "slot"), kOp = strings.get(env, "op"), kArgs = strings.get(env, "args"),
             kClobbers = strings.get(env, "clobbers");
  for (size_t i = 0; i < entries.size(); i++) {
    const PlanEntry& e = entries[i];
    napi_value o, call;
    napi_create_object(env, &o);
    napi_set_property(env, o, kStep, strings.get(env, e.step));
    napi_create_string_utf8(env, e.call.data(), e.call.size(), &call);
    napi_set_property(env, o, kCall, call);
    if (e.pass) {
      napi_set_property(env, o, kPass, intValue(env, e.pass));
      napi_set_property(env, o, kSlot, intValue(env, e.slot));
    }
    if (e.op) {
      napi_set_property(env, o, kOp, strings.get(env, e.op));
      napi_set_property(env, o, kArgs, plainIntArray(env, e.args));
    }
    if (!e.clobbers.empty()) napi_set_property(env, o, kClobbers, plainIntArray(env, e.clobbers));
    napi_set_element(env, a, i, o);
  }
  return a;
}

Napi::Array planArray(Napi::Env env, const std::vector<PlanEntry>& entries);

Napi::Array parentEndArray(Napi::Env env, const std::vector<ParentEnd>& ends) {
  static const char* roles[] = {"stdin", "output", "pty"};
  Napi::Array a = Napi::Array::New(env, ends.size());
  for (size_t i = 0; i < ends.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("role", roles[static_cast<int>(ends[i].role)]);
    o.Set("slot", ends[i].slot);
    o.Set("fd", ends[i].fd);
    a.Set(i, o);
  }
  return a;
}

// ---- a run's messages, delivered on the JS thread ---------------------------------
// One ThreadSafeFunction for the whole engine (per Node environment), not one per launch:
// it holds the event loop open (ref) only while some run is live. Ref and Unref happen on
// the JS thread only: at a launch, and when a run's last message has been delivered.

// The message kinds as src/main/lab/engine.ts decodes them.
enum RawKind { kRawSpawned = 0, kRawParentFailure = 1, kRawEvent = 2, kRawExited = 3, kRawControl = 4 };

struct Message {
  uint32_t runId = 0;
  bool last = false;  // the run is over once this one has been delivered
  std::unique_ptr<Spawned> spawned;
  std::unique_ptr<ChildEvent> event;
  std::unique_ptr<Exited> exited;
  std::unique_ptr<ControlDone> control;
};

struct EngineEnv {
  napi_threadsafe_function tsfn = nullptr;
  std::unordered_map<uint32_t, napi_ref> callbacks;  // live runs' onMessage
  size_t live = 0;
  Strings strings;
  // Captured output (reader.h): its own function, with a bounded queue, so that a child
  // writing faster than JS takes it in is held back (the reader waits, the pipe fills,
  // the child blocks) instead of piling chunks up in memory.
  napi_threadsafe_function outputTsfn = nullptr;
  std::unordered_map<uint32_t, napi_ref> readers;  // live streams' onChunk
  size_t liveStreams = 0;
};

void deliver(napi_env env, EngineEnv& e, Message& m) {
  auto it = e.callbacks.find(m.runId);
  if (it == e.callbacks.end()) return;
  napi_value callback, undefined;
  napi_get_reference_value(env, it->second, &callback);
  napi_get_undefined(env, &undefined);
  napi_value args[16];
  size_t argc = 0;
  auto push = [&](napi_value v) { args[argc++] = v; };
  if (m.spawned && m.spawned->parentFailed) {
    const Spawned& s = *m.spawned;
    push(intValue(env, kRawParentFailure));
    push(number(env, s.atMs));
    push(e.strings.get(env, s.parentFailure.step));
    push(intValue(env, s.parentFailure.err));
    push(intValue(env, s.parentFailure.slot));
  } else if (m.spawned) {
    const Spawned& s = *m.spawned;
    push(intValue(env, kRawSpawned));
    push(number(env, s.atMs));
    push(intValue(env, s.pid));
    push(planArray(env, e.strings, s.plan));
    push(int32Array(env, reinterpret_cast<const int32_t*>(s.trace.data()), s.trace.size() * 2));
    push(intValue(env, s.failedOp));
    push(intValue(env, s.failedErr));
    push(int32Array(env, s.slotFds.data(), s.slotFds.size()));
    push(intValue(env, s.statusFd));
    // dev, ino per slot, then the status pipe's; NaN where there is none.
    std::vector<double> ids;
    ids.reserve(2 * (s.sourceIds.size() + 1));
    auto addId = [&](const std::optional<FdIdentity>& id) {
      ids.push_back(id ? static_cast<double>(id->dev) : NAN);
      ids.push_back(id ? static_cast<double>(id->ino) : NAN);
    };
    for (const auto& id : s.sourceIds) addId(id);
    addId(s.statusId);
    push(float64Array(env, ids));
    push(intValue(env, s.firstFreshFd));
    std::vector<int32_t> ends;
    for (const auto& end : s.parentEnds) {
      ends.push_back(static_cast<int32_t>(end.role));
      ends.push_back(end.slot);
      ends.push_back(end.fd);
    }
    push(int32Array(env, ends.data(), ends.size()));
    if (s.ptyName.empty()) {
      push(undefined);
    } else {
      napi_value name;
      napi_create_string_utf8(env, s.ptyName.data(), s.ptyName.size(), &name);
      push(name);
    }
  } else if (m.event) {
    push(intValue(env, kRawEvent));
    push(intValue(env, static_cast<int>(m.event->kind)));
    push(number(env, m.event->atMs));
    push(intValue(env, m.event->signal));
    napi_value b;
    napi_get_boolean(env, m.event->byPtrace, &b);
    push(b);
  } else if (m.exited) {
    push(intValue(env, kRawExited));
    push(number(env, m.exited->atMs));
    push(intValue(env, m.exited->waitStatus));
    push(number(env, m.exited->userMs));
    push(number(env, m.exited->systemMs));
    push(number(env, static_cast<double>(m.exited->maxRssKb)));
  } else if (m.control) {
    push(intValue(env, kRawControl));
    push(number(env, m.control->requestId));
    push(intValue(env, m.control->err));
  }
  if (argc > 0) {
    napi_value result;
    napi_status status = napi_call_function(env, undefined, callback, argc, args, &result);
    if (status == napi_pending_exception) {
      // As a ThreadSafeFunction's own call does: an exception in the callback is uncaught.
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
}

void callJs(napi_env env, napi_value, void* context, void* data) {
  std::unique_ptr<Message> m(static_cast<Message*>(data));
  if (env == nullptr) return;  // the environment is going away
  auto& e = *static_cast<EngineEnv*>(context);
  deliver(env, e, *m);
  if (m->last) {
    auto it = e.callbacks.find(m->runId);
    if (it != e.callbacks.end()) {
      napi_delete_reference(env, it->second);
      e.callbacks.erase(it);
      // The last live run is over: the engine no longer keeps Node's event loop alive.
      if (--e.live == 0) napi_unref_threadsafe_function(env, e.tsfn);
    }
  }
}

class JsSink final : public RunSink {
 public:
  explicit JsSink(napi_threadsafe_function tsfn) : tsfn_(tsfn) {}
  void spawned(std::unique_ptr<Spawned> m) override {
    auto msg = message();
    bool final = m->parentFailed;  // close() follows at once: send both as one
    msg->spawned = std::move(m);
    final ? hold(std::move(msg)) : post(std::move(msg));
  }
  void event(ChildEvent m) override {
    auto msg = message();
    msg->event = std::make_unique<ChildEvent>(m);
    post(std::move(msg));
  }
  void exited(Exited m) override {
    auto msg = message();
    msg->exited = std::make_unique<Exited>(m);
    hold(std::move(msg));  // close() follows at once
  }
  void controlDone(ControlDone m) override {
    auto msg = message();
    msg->control = std::make_unique<ControlDone>(m);
    post(std::move(msg));
  }
  // The run is over: its last message says so.
  void close() override {
    std::unique_ptr<Message> msg = held_ ? std::move(held_) : message();
    msg->last = true;
    post(std::move(msg));
  }

 private:
  std::unique_ptr<Message> message() {
    auto m = std::make_unique<Message>();
    m->runId = runId;
    return m;
  }
  void hold(std::unique_ptr<Message> m) {
    if (held_) post(std::move(held_));
    held_ = std::move(m);
  }
  void post(std::unique_ptr<Message> m) {
    Message* raw = m.release();
    if (napi_call_threadsafe_function(tsfn_, raw, napi_tsfn_nonblocking) != napi_ok) delete raw;
  }
  napi_threadsafe_function tsfn_;
  std::unique_ptr<Message> held_;
};

EngineEnv& engineEnv(Napi::Env env) { return *env.GetInstanceData<EngineEnv>(); }

// ---- captured output, delivered on the JS thread ----------------------------------

// Chunks in flight to JS per environment, at most (each up to kChunkBytes).
constexpr size_t kOutputQueue = 8;

struct OutputMessage {
  uint32_t streamId;
  char* data;  // a reader chunk (releaseChunk); null for the end
  size_t length;
  bool ascii;
  int err;  // the end: 0 EOF, errno, or -1 stopped
};

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

void outputCallJs(napi_env env, napi_value, void* context, void* raw) {
  std::unique_ptr<OutputMessage> m(static_cast<OutputMessage*>(raw));
  if (env == nullptr) {
    release(m->data);
    return;
  }
  auto& e = *static_cast<EngineEnv*>(context);
  auto it = e.readers.find(m->streamId);
  if (it == e.readers.end()) {
    release(m->data);
    return;
  }
  napi_value callback, undefined, args[2];
  napi_get_reference_value(env, it->second, &callback);
  napi_get_undefined(env, &undefined);
  size_t argc = 1;
  const bool ending = m->data == nullptr;
  if (!ending && m->ascii && m->length >= kExternalAtLeast && externalLatin1) {
    char* data = m->data;
    bool copied = false;
    auto finalize = [](napi_env, void* d, void*) { freeChunk(static_cast<char*>(d)); };
    if (externalLatin1(env, data, m->length, finalize, nullptr, &args[0], &copied) == napi_ok) {
      m->data = nullptr;  // the string owns it now (or, copied, has freed it already)
    } else {
      napi_create_string_latin1(env, data, m->length, &args[0]);
      m->data = data;
    }
  } else if (!ending) {
    // Decoded here, once, straight from the chunk into a string (no Buffer): ASCII is
    // copied as it is (the reader thread checked it), anything else decoded as UTF-8
    // (invalid bytes become U+FFFD, as StringDecoder does). The chunk ends on a whole
    // sequence, so nothing is cut in two.
    if (m->ascii)
      napi_create_string_latin1(env, m->data, m->length, &args[0]);
    else
      napi_create_string_utf8(env, m->data, m->length, &args[0]);
  } else {
    napi_get_null(env, &args[0]);
    args[1] = intValue(env, m->err);
    argc = 2;
  }
  napi_value result;
  if (napi_call_function(env, undefined, callback, argc, args, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  if (!ending) {
    release(m->data);
  } else {
    napi_delete_reference(env, it->second);
    e.readers.erase(it);
    if (--e.liveStreams == 0) napi_unref_threadsafe_function(env, e.outputTsfn);
  }
}

class JsChunkSink final : public ChunkSink {
 public:
  explicit JsChunkSink(napi_threadsafe_function tsfn) : tsfn_(tsfn) {}
  uint32_t streamId = 0;
  void chunk(char* data, size_t length, bool ascii) override {
    post(new OutputMessage{streamId, data, length, ascii, 0});
  }
  void end(int err) override { post(new OutputMessage{streamId, nullptr, 0, false, err}); }

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

// readOutput(fd, onChunk) -> stream id. The reader thread takes over fd (and closes it):
// onChunk(text) per chunk, then onChunk(null, err) once (0 EOF, errno, -1 stopped).
Napi::Value ReadOutput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EngineEnv& e = engineEnv(env);
  int fd = info[0].ToNumber().Int32Value();
  napi_ref callback;
  napi_create_reference(env, info[1], 1, &callback);
  if (e.liveStreams++ == 0) napi_ref_threadsafe_function(env, e.outputTsfn);
  auto sink = std::make_unique<JsChunkSink>(e.outputTsfn);
  JsChunkSink* raw = sink.get();
  // The id is known only once queued; the reader starts on it after our lock is released,
  // and messages are delivered on this thread, after this function returns.
  uint32_t id = startReading(fd, std::move(sink), [raw](uint32_t assigned) { raw->streamId = assigned; });
  e.readers.emplace(id, callback);
  return Napi::Number::New(env, id);
}

// stopOutput(id): end a stream early (what is in the pipe now is still delivered).
Napi::Value StopOutput(const Napi::CallbackInfo& info) {
  stopReading(info[0].ToNumber().Uint32Value());
  return info.Env().Undefined();
}

Napi::Array planArray(Napi::Env env, const std::vector<PlanEntry>& entries) {
  return Napi::Array(env, planArray(env, engineEnv(env).strings, entries));
}

// ---- exported functions -----------------------------------------------------------

// launch(spec, onMessage) -> run id. Never blocks: the spawner thread does the work.
Napi::Value Launch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EngineEnv& e = engineEnv(env);
  specKeys = &engineEnv(env).strings;
  auto spec = childSpec(info[0].As<Napi::Object>());
  napi_ref callback;
  napi_create_reference(env, info[1], 1, &callback);
  if (e.live++ == 0) napi_ref_threadsafe_function(env, e.tsfn);
  uint32_t id = submitLaunch(std::move(spec), std::make_unique<JsSink>(e.tsfn));
  // Messages are delivered on this thread, so none can arrive before this line.
  e.callbacks.emplace(id, callback);
  return Napi::Number::New(env, id);
}
// control(runId, kind, signal, requestId)
Napi::Value ControlRun(const Napi::CallbackInfo& info) {
  static const std::pair<const char*, Control::Kind> kinds[] = {{"signal", Control::Kind::Signal},
                                                                {"signal-group", Control::Kind::SignalGroup},
                                                                {"ptrace-cont", Control::Kind::PtraceCont},
                                                                {"ptrace-detach", Control::Kind::PtraceDetach}};
  std::string kind = info[1].As<Napi::String>().Utf8Value();
  for (const auto& [name, k] : kinds) {
    if (kind == name) {
      submitControl(info[0].ToNumber().Uint32Value(),
                    Control{k, info[2].ToNumber().Int32Value(), info[3].ToNumber().Uint32Value()});
      return info.Env().Undefined();
    }
  }
  Napi::TypeError::New(info.Env(), "unknown control " + kind).ThrowAsJavaScriptException();
  return info.Env().Undefined();
}

// plan(spec, slotFds?, statusFd?, seed) -> the child's steps without launching.
// Without slotFds, the descriptors a launch would open now are predicted (lowest free).
Napi::Value PlanOnly(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  specKeys = &engineEnv(env).strings;
  auto spec = childSpec(info[0].As<Napi::Object>());
  bool seed = info[3].ToBoolean().Value();
  std::vector<int> slotFds;
  std::vector<ParentEnd> parentEnds;
  int statusFd;
  if (info[1].IsArray()) {
    Napi::Array a = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) slotFds.push_back(a.Get(i).ToNumber().Int32Value());
    statusFd = info[2].ToNumber().Int32Value();
  } else {
    PredictedFds predicted;
    OpenedFiles files = openFiles(spec->files, predicted);
    slotFds = files.slotFds;
    parentEnds = files.parentEnds;
    int status[2];
    predicted.pipe(status);
    statusFd = status[1];
  }
  Plan plan = planChild(*spec, slotFds, statusFd, seed ? PassOneStart::SeedLenFiles : PassOneStart::AboveEverySource);
  Napi::Object o = Napi::Object::New(env);
  o.Set("plan", planArray(env, plan.entries));
  o.Set("slotFds", intArray(env, slotFds));
  o.Set("statusFd", statusFd);
  o.Set("firstFreshFd", plan.firstFreshFd);
  o.Set("parentEnds", parentEndArray(env, parentEnds));
  return o;
}

// hostFd(fd) -> { open, cloexec, terminal }: what the lab's own descriptor is.
Napi::Value HostFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].ToNumber().Int32Value();
  int flags = fcntl(fd, F_GETFD);
  Napi::Object o = Napi::Object::New(env);
  o.Set("open", flags != -1);
  o.Set("cloexec", flags != -1 && (flags & FD_CLOEXEC) != 0);
  o.Set("terminal", flags != -1 && isatty(fd) == 1);
  return o;
}

// setWindowSize(ptyMasterFd, cols, rows) -> errno (0 on success)
Napi::Value SetWindowSize(const Napi::CallbackInfo& info) {
  struct winsize size = {};
  size.ws_col = static_cast<unsigned short>(info[1].ToNumber().Uint32Value());
  size.ws_row = static_cast<unsigned short>(info[2].ToNumber().Uint32Value());
  int rc = ioctl(info[0].ToNumber().Int32Value(), TIOCSWINSZ, &size);
  return Napi::Number::New(info.Env(), rc < 0 ? errno : 0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  startSpawner();  // now, so its own descriptors are open before any plan predicts numbers
  auto* e = new EngineEnv();
  env.SetInstanceData(e);  // deleted with the environment
  napi_value name = Napi::String::New(env, "proclab-runs");
  napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, e, callJs, &e->tsfn);
  napi_unref_threadsafe_function(env, e->tsfn);  // idle until a launch
  startReader();  // its descriptors too, before any plan predicts numbers
  napi_value outputName = Napi::String::New(env, "proclab-output");
  napi_create_threadsafe_function(env, nullptr, nullptr, outputName, kOutputQueue, 1, nullptr, nullptr, e,
                                  outputCallJs, &e->outputTsfn);
  napi_unref_threadsafe_function(env, e->outputTsfn);
  exports.Set("launch", Napi::Function::New(env, Launch));
  exports.Set("control", Napi::Function::New(env, ControlRun));
  exports.Set("plan", Napi::Function::New(env, PlanOnly));
  exports.Set("hostFd", Napi::Function::New(env, HostFd));
  exports.Set("setWindowSize", Napi::Function::New(env, SetWindowSize));
  exports.Set("readOutput", Napi::Function::New(env, ReadOutput));
  exports.Set("stopOutput", Napi::Function::New(env, StopOutput));
  return exports;
}

}  // namespace
}  // namespace proclab

static Napi::Object InitEngine(Napi::Env env, Napi::Object exports) { return proclab::Init(env, exports); }
NODE_API_MODULE(proclab_engine, InitEngine)
