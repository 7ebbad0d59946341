// A run's messages, delivered on the JS thread: what the spawner reports (spawned, stops
// and continues, control answers, the exit of a ptraced child) through one
// ThreadSafeFunction per Node environment, and the exit of every other child, which the
// JS thread waits for itself on the child's pidfd (libuv polls it with everything else).
// Messages reach JS as plain objects with named fields (src/main/lab/engine.ts types them).
#pragma once

#include <node_api.h>
#include <uv.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "exec-verdict.h"
#include "own-child.h"
#include "js-values.h"
#include "spawner.h"
#include "spec.h"

namespace proclab {

struct Message;

class RunMessages {
 public:
  RunMessages(napi_env env, Strings& strings);
  RunMessages(const RunMessages&) = delete;
  RunMessages& operator=(const RunMessages&) = delete;

  // Queues a launch; onMessage receives each of its messages, the last one included.
  uint32_t launch(napi_env env, std::unique_ptr<ChildSpec> spec, napi_value onMessage);

  // Signals a child whose exit this thread waits for, at once: 0, an errno or
  // kSharesLabGroup. nullopt for any other run (the spawner's to signal).
  std::optional<int> signal(uint32_t runId, int signal, bool group);

 private:
  struct ExitWatch {
    uv_poll_t poll;
    RunMessages* owner;
    napi_env env;
    uint32_t runId;
    OwnChild child;
    std::chrono::steady_clock::time_point start;
    bool execEntered;    // its exit says whether it exec'd (exec-verdict.h)
    std::string execComm;
    double atMs;         // when the exit was seen
    ChildChange change;  // the exit
    ExecSeen execSeen;
  };

  static void callJs(napi_env env, napi_value, void* context, void* data);
  static void onExitReadable(uv_poll_t* handle, int status, int events);
  static void closeWatches(void* self);

  void receive(napi_env env, Message& m);
  void deliver(napi_env env, const Message& m);
  void watchExit(napi_env env, uint32_t runId, const Spawned& spawned);
  static void pinInherited(ChildSpec& spec);
  void stopWatching(ExitWatch* w);
  void tellExit(const ExitWatch& w);
  napi_value sharedPlan(napi_env env, const std::vector<PlanEntry>& plan);

  Strings& strings_;
  napi_threadsafe_function tsfn_ = nullptr;
  std::unordered_map<uint32_t, napi_ref> callbacks_;  // live runs' onMessage
  size_t live_ = 0;
  std::unordered_map<uint32_t, ExitWatch*> watches_;
  // What the exit callbacks run as (async_hooks' resource and context).
  napi_env watchEnv_;
  napi_ref exitResource_ = nullptr;
  napi_async_context exitContext_ = nullptr;
  // The last plan delivered, and its JS array (sharedPlan).
  std::vector<PlanEntry> lastPlan_;
  napi_ref lastPlanArray_ = nullptr;
};

}  // namespace proclab
