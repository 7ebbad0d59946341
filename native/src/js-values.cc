#include "js-values.h"

#include <cstring>

namespace proclab {

napi_value Strings::get(napi_env env, const char* s) {
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

JsObject::JsObject(napi_env env, Strings& keys) : env_(env), keys_(keys) { napi_create_object(env, &object_); }

JsObject& JsObject::set(const char* key, napi_value v) {
  napi_set_property(env_, object_, keys_.get(env_, key), v);
  return *this;
}
JsObject& JsObject::set(const char* key, int v) { return set(key, intValue(env_, v)); }
JsObject& JsObject::set(const char* key, double v) { return set(key, number(env_, v)); }
JsObject& JsObject::set(const char* key, bool v) { return set(key, boolean(env_, v)); }
JsObject& JsObject::set(const char* key, const std::string& v) {
  napi_value s;
  napi_create_string_utf8(env_, v.data(), v.size(), &s);
  return set(key, s);
}
JsObject& JsObject::name(const char* key, const char* v) { return set(key, keys_.get(env_, v)); }

napi_value parentEndArray(napi_env env, Strings& strings, const std::vector<ParentEnd>& ends) {
  napi_value a;
  napi_create_array_with_length(env, ends.size(), &a);
  for (size_t i = 0; i < ends.size(); i++) {
    JsObject o(env, strings);
    o.name("role", kParentEndRoles[static_cast<int>(ends[i].role)]).set("slot", ends[i].slot).set("fd", ends[i].fd);
    napi_set_element(env, a, i, o.value());
  }
  return a;
}

napi_value number(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

napi_value boolean(napi_env env, bool x) {
  napi_value v;
  napi_get_boolean(env, x, &v);
  return v;
}

napi_value intValue(napi_env env, int x) {
  napi_value v;
  napi_create_int32(env, x, &v);
  return v;
}

napi_value int32Array(napi_env env, const int32_t* values, size_t count) {
  void* data = nullptr;
  napi_value buffer, array;
  napi_create_arraybuffer(env, count * sizeof(int32_t), &data, &buffer);
  if (count) memcpy(data, values, count * sizeof(int32_t));
  napi_create_typedarray(env, napi_int32_array, count, buffer, 0, &array);
  return array;
}

napi_value plainIntArray(napi_env env, const std::vector<int>& values) {
  napi_value a;
  napi_create_array_with_length(env, values.size(), &a);
  for (size_t i = 0; i < values.size(); i++) napi_set_element(env, a, i, intValue(env, values[i]));
  return a;
}

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

void callReportingErrors(napi_env env, napi_value fn, size_t argc, const napi_value* args) {
  napi_value undefined, result;
  napi_get_undefined(env, &undefined);
  if (napi_call_function(env, undefined, fn, argc, args, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

}  // namespace proclab
