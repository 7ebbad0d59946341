// Building JS values from C++ cheaply, on the JS thread. Messages go out on every launch:
// property names and constant strings (step and op names) are created once per
// environment and reused (napi_set_named_property would look each key up in V8's string
// table on every call); a run's trace travels as a typed array.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "generated/engine-names.h"
#include "planner.h"
#include "sources.h"

namespace proclab {

// One persistent value per key or constant string, held in a JS array (Node-API 8 makes
// references to objects only), found by the literal's address: only string literals.
class Strings {
 public:
  napi_value get(napi_env env, const char* s);

 private:
  napi_ref held_ = nullptr;
  std::unordered_map<const char*, uint32_t> index_;
};

// A plain object, its keys from the environment's cache: JsObject(env, keys).set("pid", ...).
class JsObject {
 public:
  JsObject(napi_env env, Strings& keys);
  JsObject& set(const char* key, napi_value v);
  JsObject& set(const char* key, int v);
  JsObject& set(const char* key, double v);
  JsObject& set(const char* key, bool v);
  JsObject& set(const char* key, const std::string& v);
  // A constant string (a step or role name): cached like the keys.
  JsObject& name(const char* key, const char* v);
  napi_value value() const { return object_; }

 private:
  napi_env env_;
  Strings& keys_;
  napi_value object_;
};

napi_value number(napi_env env, double x);
napi_value intValue(napi_env env, int x);
napi_value boolean(napi_env env, bool x);
napi_value int32Array(napi_env env, const int32_t* values, size_t count);
// A plain Array of numbers (what the contract's objects hold).
napi_value plainIntArray(napi_env env, const std::vector<int>& values);
// The contract's PlanOp objects, keys in the same order as always.
napi_value planArray(napi_env env, Strings& strings, const std::vector<PlanEntry>& entries);
// The lab's end of each pipe and the pty master: [{ role, slot, fd }].
napi_value parentEndArray(napi_env env, Strings& strings, const std::vector<ParentEnd>& ends);

// Calls fn as a ThreadSafeFunction would: an exception it throws is uncaught.
void callReportingErrors(napi_env env, napi_value fn, size_t argc, const napi_value* args);

}  // namespace proclab
