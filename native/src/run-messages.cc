#include "run-messages.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "generated/engine-names.h"

namespace proclab {

struct Message {
  uint32_t runId = 0;
  bool last = false;  // the run is over once this one has been delivered
  std::unique_ptr<Spawned> spawned;
  std::unique_ptr<ChildEvent> event;
  std::unique_ptr<Exited> exited;
  std::unique_ptr<ControlDone> control;
};

namespace {

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The spawner's side of a run: each report becomes a message queued to the JS thread.
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

}  // namespace

RunMessages::RunMessages(napi_env env, Strings& strings) : strings_(strings), watchEnv_(env) {
  napi_value name;
  napi_create_string_utf8(env, "proclab-runs", NAPI_AUTO_LENGTH, &name);
  napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, this, callJs, &tsfn_);
  napi_unref_threadsafe_function(env, tsfn_);  // idle until a launch
  napi_value resource, resourceName;
  napi_create_object(env, &resource);
  napi_create_reference(env, resource, 1, &exitResource_);
  napi_create_string_utf8(env, "proclab-exit", NAPI_AUTO_LENGTH, &resourceName);
  napi_async_init(env, resource, resourceName, &exitContext_);
  napi_add_env_cleanup_hook(env, closeWatches, this);
}

// One ThreadSafeFunction for every run: it holds the event loop open (ref) only while some
// run is live. Ref and unref happen on the JS thread only: at a launch, and when a run's
// last message has been delivered.
uint32_t RunMessages::launch(napi_env env, std::unique_ptr<ChildSpec> spec, napi_value onMessage) {
  pinInherited(*spec);
  napi_ref callback;
  napi_create_reference(env, onMessage, 1, &callback);
  if (live_++ == 0) napi_ref_threadsafe_function(env, tsfn_);
  uint32_t id = submitLaunch(std::move(spec), std::make_unique<JsSink>(tsfn_));
  // Messages are delivered on this thread, so none can arrive before this line.
  callbacks_.emplace(id, callback);
  return id;
}

// The caller may close an inherited fd as soon as launch() returns, and the number may
// then name something else (another slot's pipe, opened by the spawner) by the time of the
// clone: what the child gets is fixed here, on the caller's thread (spawner.cc compares).
// High numbers, so that the descriptors a launch opens are those its preview predicted.
void RunMessages::pinInherited(ChildSpec& spec) {
  constexpr int kPinsFrom = 256;
  for (auto& f : spec.files) {
    if (f.kind != SlotSource::Kind::Inherit) continue;
    f.pinFd = fcntl(f.hostFd, F_DUPFD_CLOEXEC, kPinsFrom);
    if (f.pinFd < 0 && errno == EINVAL) f.pinFd = fcntl(f.hostFd, F_DUPFD_CLOEXEC, 0);  // RLIMIT_NOFILE below it
    if (f.pinFd < 0) f.pinErr = errno;
    f.pinCloexec = (fcntl(f.hostFd, F_GETFD) & FD_CLOEXEC) != 0;
  }
}

void RunMessages::callJs(napi_env env, napi_value, void* context, void* data) {
  std::unique_ptr<Message> m(static_cast<Message*>(data));
  if (env == nullptr) return;  // the environment is going away
  static_cast<RunMessages*>(context)->receive(env, *m);
}

void RunMessages::receive(napi_env env, Message& m) {
  deliver(env, m);
  if (m.spawned && m.spawned->exitFd >= 0) watchExit(env, m.runId, *m.spawned);
  if (!m.last) return;
  auto it = callbacks_.find(m.runId);
  if (it == callbacks_.end()) return;
  napi_delete_reference(env, it->second);
  callbacks_.erase(it);
  // The last live run is over: the engine no longer keeps Node's event loop alive.
  if (--live_ == 0) napi_unref_threadsafe_function(env, tsfn_);
}

// Each message as the object src/main/lab/engine.ts types as NativeMessage.
void RunMessages::deliver(napi_env env, const Message& m) {
  auto it = callbacks_.find(m.runId);
  if (it == callbacks_.end()) return;
  napi_value callback, null;
  napi_get_reference_value(env, it->second, &callback);
  napi_get_null(env, &null);
  JsObject o(env, strings_);
  if (m.spawned && m.spawned->parentFailed) {
    const Spawned& s = *m.spawned;
    JsObject failure(env, strings_);
    failure.name("step", s.parentFailure.step).set("errno", s.parentFailure.err);
    if (s.parentFailure.slot >= 0) failure.set("slot", s.parentFailure.slot);
    o.name("type", "spawned").set("atMs", s.atMs).set("parentFailure", failure.value());
  } else if (m.spawned) {
    const Spawned& s = *m.spawned;
    auto identity = [&](const std::optional<FdIdentity>& id) {
      if (!id) return null;
      JsObject i(env, strings_);
      return i.set("dev", static_cast<double>(id->dev)).set("ino", static_cast<double>(id->ino)).value();
    };
    napi_value sourceIds;
    napi_create_array_with_length(env, s.sourceIds.size(), &sourceIds);
    for (size_t i = 0; i < s.sourceIds.size(); i++) napi_set_element(env, sourceIds, i, identity(s.sourceIds[i]));
    o.name("type", "spawned")
        .set("atMs", s.atMs)
        .set("pid", static_cast<int>(s.pid))
        .set("plan", sharedPlan(env, s.plan))
        // state, errno per op: a typed array (cheaper than objects, read once in JS)
        .set("trace", int32Array(env, reinterpret_cast<const int32_t*>(s.trace.data()), s.trace.size() * 2))
        .set("failedOp", s.failedOp)
        .set("failedErrno", s.failedErr)
        .set("diedAtOp", s.diedAtOp)
        .set("execEntered", s.execEntered)
        .set("slotFds", plainIntArray(env, s.slotFds))
        .set("statusFd", s.statusFd)
        .set("sourceIds", sourceIds)
        .set("statusId", identity(s.statusId))
        .set("firstFreshFd", s.firstFreshFd)
        .set("parentEnds", parentEndArray(env, strings_, s.parentEnds))
        .set("reportFd", s.reportFd);
    if (!s.ptyName.empty()) o.set("ptyName", s.ptyName);
  } else if (m.event) {
    o.name("type", "event")
        .name("kind", kEventKinds[static_cast<int>(m.event->kind)])
        .set("atMs", m.event->atMs)
        .set("signal", m.event->signal)
        .set("byPtrace", m.event->byPtrace)
        .set("delivered", m.event->delivered);
  } else if (m.exited) {
    o.name("type", "exited")
        .set("atMs", m.exited->atMs)
        .set("waitStatus", m.exited->waitStatus)
        .set("userMs", m.exited->userMs)
        .set("systemMs", m.exited->systemMs)
        .set("maxRssKb", static_cast<double>(m.exited->maxRssKb))
        .set("execSeen", m.exited->execSeen);
  } else if (m.control) {
    o.name("type", "control").set("requestId", static_cast<double>(m.control->requestId)).set("errno", m.control->err);
  } else {
    return;
  }
  napi_value message = o.value();
  callReportingErrors(env, callback, 1, &message);
}

// A launch like the last one (the same profile again: the Launch button, a loop) has the
// same plan. Its JS array is built once and shared, and each run keeps a copy made in JS
// (run-result.ts copyPlan): well under a microsecond, against one N-API call per property,
// about 2 us an op (issue 17).
napi_value RunMessages::sharedPlan(napi_env env, const std::vector<PlanEntry>& plan) {
  napi_value array;
  if (lastPlanArray_ && plan == lastPlan_ && napi_get_reference_value(env, lastPlanArray_, &array) == napi_ok) return array;
  array = planArray(env, strings_, plan);
  if (lastPlanArray_) napi_delete_reference(env, lastPlanArray_);
  napi_create_reference(env, array, 1, &lastPlanArray_);
  lastPlan_ = plan;
  return array;
}

// ---- the exit, seen by the JS thread ---------------------------------------------
// A pidfd becomes readable when its process exits (pidfd_open(2)): libuv watches it like
// any other descriptor, and the exit reaches JS without a hop through another thread.

void RunMessages::watchExit(napi_env env, uint32_t runId, const Spawned& s) {
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  OwnChild child{s.pid, s.exitFd};
  auto* w = new ExitWatch{{}, this, env, runId, child, s.start, s.execEntered, s.execComm, 0, {}, ExecSeen::NotAsked};
  w->poll.data = w;
  // A pidfd is pollable since Linux 5.3, before CLONE_PIDFD existed: these cannot fail
  // short of memory.
  if (uv_poll_init(loop, &w->poll, child.pidfd) != 0) {
    close(child.pidfd);
    delete w;
    return;
  }
  if (uv_poll_start(&w->poll, UV_READABLE, onExitReadable) != 0) return stopWatching(w);
  watches_.emplace(runId, w);
}

void RunMessages::onExitReadable(uv_poll_t* handle, int, int) {
  auto* w = static_cast<ExitWatch*>(handle->data);
  if (w->execEntered) {
    // Whether it exec'd, read before the zombie is reaped (its comm goes with it).
    ChildChange exit = nextChange(w->child, WEXITED | WNOWAIT);
    if (exit.kind == ChildChange::Kind::None) return;  // readable before the exit is waitable
    if (exit.kind == ChildChange::Kind::Exited) w->execSeen = execSeenAfter(w->child.pid, exit.waitStatus, w->execComm);
  }
  ChildChange change = nextChange(w->child, WEXITED);
  if (change.kind == ChildChange::Kind::None) return;  // readable before the exit is waitable
  w->atMs = msSince(w->start);
  w->change = change;
  w->owner->watches_.erase(w->runId);
  forgetRun(w->runId);
  // The exit is told once the pidfd is closed (libuv's close callbacks run later in this
  // same turn of the loop): whoever hears of it finds the lab's fd table as it was.
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), [](uv_handle_t* closed) {
    auto* w = static_cast<ExitWatch*>(closed->data);
    close(w->child.pidfd);
    w->owner->tellExit(*w);
    delete w;
  });
}

void RunMessages::tellExit(const ExitWatch& w) {
  napi_env env = w.env;
  Message m;
  m.runId = w.runId;
  m.last = true;
  // Gone (ECHILD): something else in this process reaped our child first.
  const ChildChange& c = w.change;
  ExecSeen seen = w.execEntered && c.kind != ChildChange::Kind::Exited ? ExecSeen::Unknown : w.execSeen;
  m.exited = c.kind == ChildChange::Kind::Exited
                 ? std::make_unique<Exited>(Exited{w.atMs, c.waitStatus, c.userMs, c.systemMs, c.maxRssKb, static_cast<int>(seen)})
                 : std::make_unique<Exited>(Exited{w.atMs, kStatusLost, 0, 0, 0, static_cast<int>(seen)});
  // Called from libuv, not from JS: a callback scope, so that the promises the run
  // settles are resolved (microtasks run) when it closes, as after any Node callback.
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value resource;
  napi_get_reference_value(env, exitResource_, &resource);
  napi_callback_scope callbackScope;
  napi_open_callback_scope(env, resource, exitContext_, &callbackScope);
  receive(env, m);
  napi_close_callback_scope(env, callbackScope);
  napi_close_handle_scope(env, scope);
}

void RunMessages::stopWatching(ExitWatch* w) {
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), [](uv_handle_t* closed) {
    auto* w = static_cast<ExitWatch*>(closed->data);
    close(w->child.pidfd);
    delete w;
  });
}

std::optional<int> RunMessages::signal(uint32_t runId, int signal, bool group) {
  auto it = watches_.find(runId);
  if (it == watches_.end()) return std::nullopt;
  return signalChild(it->second->child, signal, group);
}

// The environment is going away, maybe with children still running: stop watching them.
void RunMessages::closeWatches(void* self) {
  auto* messages = static_cast<RunMessages*>(self);
  for (auto& [id, w] : messages->watches_) messages->stopWatching(w);
  messages->watches_.clear();
  napi_async_destroy(messages->watchEnv_, messages->exitContext_);
}

}  // namespace proclab
