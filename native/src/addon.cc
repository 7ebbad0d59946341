// The Node-API face of the engine: JS objects in, JS objects out. Node-API only, so the
// same binary loads in Node and in Electron.
#include <fcntl.h>
#include <napi.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <memory>

#include "planner.h"
#include "sources.h"
#include "spawner.h"

namespace proclab {
namespace {

// ---- JS -> ChildSpec --------------------------------------------------------------
// The lab validated the profile against src/shared's schema; this only copies it.

std::string str(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::String>().Utf8Value(); }
bool flag(const Napi::Object& o, const char* key) { return o.Get(key).ToBoolean().Value(); }
int integer(const Napi::Object& o, const char* key) { return o.Get(key).ToNumber().Int32Value(); }
std::optional<std::string> optionalStr(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return std::nullopt;
  return v.As<Napi::String>().Utf8Value();
}
std::vector<std::string> strings(const Napi::Object& o, const char* key) {
  Napi::Array a = o.Get(key).As<Napi::Array>();
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
  Napi::Value cred = o.Get("credential");
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
  Napi::Array files = o.Get("files").As<Napi::Array>();
  for (uint32_t i = 0; i < files.Length(); i++) spec->files.push_back(fileSource(files.Get(i).As<Napi::Object>()));
  spec->method = str(o, "method") == "fork" ? Method::Fork : Method::Vfork;
  spec->closeOtherFds = flag(o, "closeOtherFds");
  spec->resetSignals = flag(o, "resetSignals");
  return spec;
}

// ---- C++ -> JS --------------------------------------------------------------------

Napi::Array intArray(Napi::Env env, const std::vector<int>& values) {
  Napi::Array a = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) a.Set(i, values[i]);
  return a;
}

Napi::Array planArray(Napi::Env env, const std::vector<PlanEntry>& entries) {
  Napi::Array a = Napi::Array::New(env, entries.size());
  for (size_t i = 0; i < entries.size(); i++) {
    const PlanEntry& e = entries[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("step", e.step);
    o.Set("call", e.call);
    if (e.pass) {
      o.Set("pass", e.pass);
      o.Set("slot", e.slot);
    }
    if (e.op) {
      o.Set("op", e.op);
      o.Set("args", intArray(env, e.args));
    }
    if (!e.clobbers.empty()) o.Set("clobbers", intArray(env, e.clobbers));
    a.Set(i, o);
  }
  return a;
}

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

Napi::Value identityValue(Napi::Env env, const std::optional<FdIdentity>& id) {
  if (!id) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  // As Node's fs.Stats does: a double (exact below 2^53, which real devices and inodes are).
  o.Set("dev", static_cast<double>(id->dev));
  o.Set("ino", static_cast<double>(id->ino));
  return o;
}

Napi::Object spawnedObject(Napi::Env env, const Spawned& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", "spawned");
  o.Set("atMs", m.atMs);
  if (m.parentFailed) {
    Napi::Object f = Napi::Object::New(env);
    f.Set("step", m.parentFailure.step);
    f.Set("errno", m.parentFailure.err);
    if (m.parentFailure.slot >= 0) f.Set("slot", m.parentFailure.slot);
    o.Set("parentFailure", f);
    return o;
  }
  o.Set("pid", m.pid);
  o.Set("plan", planArray(env, m.plan));
  Napi::Array trace = Napi::Array::New(env, m.trace.size());
  for (size_t i = 0; i < m.trace.size(); i++) {
    Napi::Object t = Napi::Object::New(env);
    t.Set("state", m.trace[i].state);
    t.Set("errno", m.trace[i].err);
    trace.Set(i, t);
  }
  o.Set("trace", trace);
  o.Set("failedOp", m.failedOp);
  o.Set("failedErrno", m.failedErr);
  o.Set("slotFds", intArray(env, m.slotFds));
  o.Set("statusFd", m.statusFd);
  Napi::Array sourceIds = Napi::Array::New(env, m.sourceIds.size());
  for (size_t i = 0; i < m.sourceIds.size(); i++) sourceIds.Set(i, identityValue(env, m.sourceIds[i]));
  o.Set("sourceIds", sourceIds);
  o.Set("statusId", identityValue(env, m.statusId));
  o.Set("firstFreshFd", m.firstFreshFd);
  o.Set("parentEnds", parentEndArray(env, m.parentEnds));
  if (!m.ptyName.empty()) o.Set("ptyName", m.ptyName);
  return o;
}

Napi::Object eventObject(Napi::Env env, const ChildEvent& e) {
  static const char* kinds[] = {"stopped", "continued", "detached"};
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", "event");
  o.Set("kind", kinds[static_cast<int>(e.kind)]);
  o.Set("atMs", e.atMs);
  o.Set("signal", e.signal);
  o.Set("byPtrace", e.byPtrace);
  return o;
}

Napi::Object exitedObject(Napi::Env env, const Exited& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", "exited");
  o.Set("atMs", e.atMs);
  o.Set("waitStatus", e.waitStatus);
  o.Set("userMs", e.userMs);
  o.Set("systemMs", e.systemMs);
  o.Set("maxRssKb", static_cast<double>(e.maxRssKb));
  return o;
}

Napi::Object controlObject(Napi::Env env, const ControlDone& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", "control");
  o.Set("requestId", c.requestId);
  o.Set("errno", c.err);
  return o;
}

// ---- a run's messages, delivered on the JS thread ---------------------------------

struct Message {
  std::unique_ptr<Spawned> spawned;
  std::unique_ptr<ChildEvent> event;
  std::unique_ptr<Exited> exited;
  std::unique_ptr<ControlDone> control;

  Napi::Object toJs(Napi::Env env) const {
    if (spawned) return spawnedObject(env, *spawned);
    if (event) return eventObject(env, *event);
    if (exited) return exitedObject(env, *exited);
    return controlObject(env, *control);
  }
};

class JsSink final : public RunSink {
 public:
  explicit JsSink(Napi::ThreadSafeFunction tsfn) : tsfn_(tsfn) {}
  void spawned(std::unique_ptr<Spawned> m) override {
    Message msg;
    msg.spawned = std::move(m);
    post(std::move(msg));
  }
  void event(ChildEvent m) override {
    Message msg;
    msg.event = std::make_unique<ChildEvent>(m);
    post(std::move(msg));
  }
  void exited(Exited m) override {
    Message msg;
    msg.exited = std::make_unique<Exited>(m);
    post(std::move(msg));
  }
  void controlDone(ControlDone m) override {
    Message msg;
    msg.control = std::make_unique<ControlDone>(m);
    post(std::move(msg));
  }
  // The run is over: the function is released, and with it the reference that kept
  // Node's event loop alive while the child ran.
  void close() override { tsfn_.Release(); }

 private:
  void post(Message m) {
    auto* heap = new Message(std::move(m));
    napi_status status = tsfn_.NonBlockingCall(heap, [](Napi::Env env, Napi::Function callback, Message* msg) {
      std::unique_ptr<Message> owned(msg);
      if (env != nullptr && callback != nullptr) callback.Call({owned->toJs(env)});
    });
    if (status != napi_ok) delete heap;  // the environment is going away
  }
  Napi::ThreadSafeFunction tsfn_;
};

// ---- exported functions -----------------------------------------------------------

// launch(spec, onMessage) -> run id. Never blocks: the spawner thread does the work.
Napi::Value Launch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto spec = childSpec(info[0].As<Napi::Object>());
  auto tsfn = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "proclab-run", 0, 1);
  return Napi::Number::New(env, submitLaunch(std::move(spec), std::make_unique<JsSink>(tsfn)));
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
  exports.Set("launch", Napi::Function::New(env, Launch));
  exports.Set("control", Napi::Function::New(env, ControlRun));
  exports.Set("plan", Napi::Function::New(env, PlanOnly));
  exports.Set("hostFd", Napi::Function::New(env, HostFd));
  exports.Set("setWindowSize", Napi::Function::New(env, SetWindowSize));
  return exports;
}

}  // namespace
}  // namespace proclab

static Napi::Object InitEngine(Napi::Env env, Napi::Object exports) { return proclab::Init(env, exports); }
NODE_API_MODULE(proclab_engine, InitEngine)
