// Building JS values from C++ cheaply, on the JS thread. Messages go out on every launch:
// property names and constant strings (step and op names) are created once per
// environment and reused (napi_set_named_property would look each key up in V8's string
// table on every call), and arrays of numbers travel as typed arrays.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "planner.h"

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

napi_value number(napi_env env, double x);
napi_value intValue(napi_env env, int x);
napi_value boolean(napi_env env, bool x);
napi_value int32Array(napi_env env, const int32_t* values, size_t count);
napi_value float64Array(napi_env env, const std::vector<double>& values);
// A plain Array of numbers (what the contract's objects hold).
napi_value plainIntArray(napi_env env, const std::vector<int>& values);
// The contract's PlanOp objects, keys in the same order as always.
napi_value planArray(napi_env env, Strings& strings, const std::vector<PlanEntry>& entries);

// Calls fn as a ThreadSafeFunction would: an exception it throws is uncaught.
void callReportingErrors(napi_env env, napi_value fn, size_t argc, const napi_value* args);

}  // namespace proclab
