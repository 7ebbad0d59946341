// The Node-API face of the engine: the functions src/main/lab/engine.ts calls. Node-API
// only, so the same binary loads in Node and in Electron. What runs behind them: the
// spawner thread (spawner.h), the reader thread (reader.h), and their messages back to
// JS (run-messages.h, output-streams.h).
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <napi.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "js-spec.h"
#include "js-values.h"
#include "output-streams.h"
#include "planner.h"
#include "reader.h"
#include "run-messages.h"
#include "sources.h"
#include "spawner.h"
#include "spec-wire.h"

namespace proclab {
namespace {

// Per Node environment (the main thread, each worker): deleted with it.
struct EngineEnv {
  explicit EngineEnv(napi_env env) : runs(env, strings), output(env) {}
  Strings strings;
  RunMessages runs;
  OutputStreams output;
};

EngineEnv& engineEnv(Napi::Env env) { return *env.GetInstanceData<EngineEnv>(); }

Napi::Array intArray(Napi::Env env, const std::vector<int>& values) {
  Napi::Array a = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) a.Set(i, values[i]);
  return a;
}

// The spec of a launch or a plan; nullptr with a TypeError thrown when the lab sent one the
// engine cannot read (a renamed key, a wrong type: a bug, never a user's mistake).
std::unique_ptr<ChildSpec> readSpec(const Napi::Value& value, Strings& keys) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) {
    Napi::TypeError::New(env, "the engine's spec is not an object").ThrowAsJavaScriptException();
    return nullptr;
  }
  std::string problem;
  auto spec = childSpec(value.As<Napi::Object>(), keys, problem);
  if (!spec) Napi::TypeError::New(env, problem).ThrowAsJavaScriptException();
  return spec;
}

// ---- exported functions -----------------------------------------------------------

// prepareSpec(spec) -> a handle launch() takes in the spec's place: the spec read once, for
// a profile launched again and again (reading its properties one N-API call at a time was a
// quarter of launch()'s own time: docs/performance.md, issue 17).
Napi::Value PrepareSpec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto spec = readSpec(info[0], engineEnv(env).strings);
  if (!spec) return env.Undefined();
  return Napi::External<ChildSpec>::New(env, spec.release(), [](Napi::Env, ChildSpec* kept) { delete kept; });
}

// launch(spec or prepareSpec's handle, onMessage) -> run id. Never blocks: the spawner
// thread does the work.
Napi::Value Launch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EngineEnv& e = engineEnv(env);
  auto spec = info[0].IsExternal() ? std::make_unique<ChildSpec>(*info[0].As<Napi::External<ChildSpec>>().Data())
                                   : readSpec(info[0], e.strings);
  if (!spec) return env.Undefined();
  uint32_t id = e.runs.launch(env, std::move(spec), info[1]);
  return Napi::Number::New(env, id);
}

// readOutput(fd, onChunk, saveFd?) -> stream id (output-streams.h).
Napi::Value ReadOutput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int saveFd = info[2].IsNumber() ? info[2].ToNumber().Int32Value() : -1;
  uint32_t id = engineEnv(env).output.read(env, info[0].ToNumber().Int32Value(), saveFd, info[1]);
  return Napi::Number::New(env, id);
}

// stopOutput(id): end a stream early (what is in the pipe now is still delivered).
Napi::Value StopOutput(const Napi::CallbackInfo& info) {
  stopReading(info[0].ToNumber().Uint32Value());
  return info.Env().Undefined();
}

// control(runId, kind, signal, requestId) -> an errno (0: done) when answered at once,
// undefined when the answer comes as the run's 'control' message.
Napi::Value ControlRun(const Napi::CallbackInfo& info) {
  static const std::pair<const char*, Control::Kind> kinds[] = {{"signal", Control::Kind::Signal},
                                                                {"signal-group", Control::Kind::SignalGroup},
                                                                {"ptrace-cont", Control::Kind::PtraceCont},
                                                                {"ptrace-detach", Control::Kind::PtraceDetach}};
  Napi::Env env = info.Env();
  uint32_t runId = info[0].ToNumber().Uint32Value();
  int signal = info[2].ToNumber().Int32Value();
  std::string kind = info[1].As<Napi::String>().Utf8Value();
  for (const auto& [name, k] : kinds) {
    if (kind != name) continue;
    if (k == Control::Kind::Signal || k == Control::Kind::SignalGroup) {
      // A child the JS thread waits for is signalled from here: it cannot have been
      // reaped behind our back.
      std::optional<int> err = engineEnv(env).runs.signal(runId, signal, k == Control::Kind::SignalGroup);
      // A child in the spawner's vfork right now, maybe stopped before its execve: the
      // spawner cannot act until the vfork ends, so the pidfd is used from here.
      if (!err && k == Control::Kind::Signal) err = signalWhileCloning(runId, signal);
      if (err) return Napi::Number::New(env, *err);
    }
    submitControl(runId, Control{k, signal, info[3].ToNumber().Uint32Value()});
    return env.Undefined();
  }
  Napi::TypeError::New(env, "unknown control " + kind).ThrowAsJavaScriptException();
  return env.Undefined();
}

// plan(spec, slotFds?, statusFd?, seed) -> the child's steps without launching.
// Without slotFds, the descriptors a launch would open now are predicted (lowest free).
Napi::Value PlanOnly(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto spec = readSpec(info[0], engineEnv(env).strings);
  if (!spec) return env.Undefined();
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
  o.Set("plan", Napi::Value(env, planArray(env, engineEnv(env).strings, plan.entries)));
  o.Set("slotFds", intArray(env, slotFds));
  o.Set("statusFd", statusFd);
  o.Set("firstFreshFd", plan.firstFreshFd);
  Napi::Object clone = Napi::Object::New(env);
  clone.Set("call", plan.clone.call);
  if (!plan.clone.why.empty()) clone.Set("why", plan.clone.why);
  o.Set("clone", clone);
  o.Set("parentEnds", Napi::Value(env, parentEndArray(env, engineEnv(env).strings, parentEnds)));
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

// openInRoot(root, path, flags) -> a descriptor, or -errno: path resolved as a process whose
// root is `root` would resolve it (openat2(2) RESOLVE_IN_ROOT: "..", absolute paths and
// absolute symlinks stay inside), for the checks after a failed exec (exec-cause.ts). Strings
// or Buffers (bytes).
Napi::Value OpenInRoot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto bytes = [](const Napi::Value& v) {
    if (v.IsBuffer()) return std::string(v.As<Napi::Buffer<char>>().Data(), v.As<Napi::Buffer<char>>().Length());
    return v.As<Napi::String>().Utf8Value();
  };
  std::string root = bytes(info[0]);
  std::string path = bytes(info[1]);
  int rootFd = open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootFd < 0) return Napi::Number::New(env, -errno);
  struct open_how how = {};
  how.flags = static_cast<uint64_t>(info[2].ToNumber().Int32Value()) | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT;
  long fd = syscall(SYS_openat2, rootFd, path.c_str(), &how, sizeof how);
  int err = errno;
  close(rootFd);
  return Napi::Number::New(env, fd < 0 ? -err : static_cast<double>(fd));
}

// setWindowSize(ptyMasterFd, cols, rows) -> errno (0 on success)
Napi::Value SetWindowSize(const Napi::CallbackInfo& info) {
  struct winsize size = {};
  size.ws_col = static_cast<unsigned short>(info[1].ToNumber().Uint32Value());
  size.ws_row = static_cast<unsigned short>(info[2].ToNumber().Uint32Value());
  int rc = ioctl(info[0].ToNumber().Int32Value(), TIOCSWINSZ, &size);
  return Napi::Number::New(info.Env(), rc < 0 ? errno : 0);
}

// specFd(spec) -> a descriptor: a sealed memfd holding the spec in the wire format
// (spec-wire.h), for proclab exec's helper. A memfd rather than a pipe: a pipe holds 64 KiB,
// and its writer is the process about to exec, which would wait forever on a larger spec;
// rather than a file: it has no name in any folder, so nothing to plant, race or leave behind.
Napi::Value SpecFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto spec = readSpec(info[0], engineEnv(env).strings);
  if (!spec) return env.Undefined();
  std::string bytes = encodeSpec(*spec);
  int fd = static_cast<int>(syscall(SYS_memfd_create, "proclab-exec-spec", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  size_t done = 0;
  while (fd >= 0 && done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  if (fd < 0 || done < bytes.size() || fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    std::string why = std::string("the spec's memfd: ") + strerror(errno);
    if (fd >= 0) close(fd);
    Napi::Error::New(env, why).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

std::vector<std::string> stringList(const Napi::Value& v) {
  std::vector<std::string> out;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

// execHelper(path, argv, envp, fdsToKeep) -> an errno: it returns only when execve failed.
// Called on the JS thread, which is safe: execve ends every other thread of the process (the
// spawner, the reader, libuv's and V8's) whatever they hold, since their memory goes with
// them, and the process keeps its pid whichever thread calls it. What survives an exec is
// descriptors: every one is made close-on-exec but fdsToKeep, whose flag is cleared. libuv
// may have put stdio in non-blocking mode, which Node undoes only at its own exit; an exec
// skips that, so it is undone here for 0, 1 and 2 (the flag belongs to the open file, shared
// with whoever started us).
Napi::Value ExecHelper(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::vector<std::string> argv = stringList(info[1]), envp = stringList(info[2]);
  std::vector<char*> argvC, envpC;
  for (auto& s : argv) argvC.push_back(&s[0]);
  for (auto& s : envp) envpC.push_back(&s[0]);
  argvC.push_back(nullptr);
  envpC.push_back(nullptr);
  syscall(SYS_close_range, 0, ~0U, CLOSE_RANGE_CLOEXEC);
  Napi::Array keep = info[3].As<Napi::Array>();
  for (uint32_t i = 0; i < keep.Length(); i++) fcntl(keep.Get(i).ToNumber().Int32Value(), F_SETFD, 0);
  for (int fd = 0; fd < 3; fd++) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK)) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  execve(path.c_str(), argvC.data(), envpC.data());
  return Napi::Number::New(env, errno);
}

// standInPipe() -> [readFd, writeFd], both close-on-exec, or -errno: a pipe that stands in
// for one of the lab's own descriptors in a launch (lab-stdio.ts), read as the lab reads a
// child's pipe. Node has no pipe(2) of its own.
Napi::Value StandInPipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return Napi::Number::New(env, -errno);
  Napi::Array ends = Napi::Array::New(env, 2);
  ends.Set(0u, fds[0]);
  ends.Set(1u, fds[1]);
  return ends;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Both threads now, so that their own descriptors are open before any plan predicts
  // numbers.
  startSpawner();
  startReader();
  env.SetInstanceData(new EngineEnv(env));
  exports.Set("launch", Napi::Function::New(env, Launch));
  exports.Set("prepareSpec", Napi::Function::New(env, PrepareSpec));
  exports.Set("control", Napi::Function::New(env, ControlRun));
  exports.Set("plan", Napi::Function::New(env, PlanOnly));
  exports.Set("hostFd", Napi::Function::New(env, HostFd));
  exports.Set("standInPipe", Napi::Function::New(env, StandInPipe));
  exports.Set("openInRoot", Napi::Function::New(env, OpenInRoot));
  exports.Set("setWindowSize", Napi::Function::New(env, SetWindowSize));
  exports.Set("readOutput", Napi::Function::New(env, ReadOutput));
  exports.Set("stopOutput", Napi::Function::New(env, StopOutput));
  exports.Set("specFd", Napi::Function::New(env, SpecFd));
  exports.Set("execHelper", Napi::Function::New(env, ExecHelper));
  return exports;
}

}  // namespace
}  // namespace proclab

static Napi::Object InitEngine(Napi::Env env, Napi::Object exports) { return proclab::Init(env, exports); }
NODE_API_MODULE(proclab_engine, InitEngine)
