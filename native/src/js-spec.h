// JS -> ChildSpec: the spec src/main/lab/engine.ts builds (NativeSpec), read on the JS
// thread. The lab validated the profile against src/shared's schema; this only copies it.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "js-values.h"
#include "spec.h"

namespace proclab {

// keys: the environment's cached property names (no string-table lookup per property).
// nullptr when a property is missing or of the wrong type: `problem` says which.
std::unique_ptr<ChildSpec> childSpec(const Napi::Object& o, Strings& keys, std::string& problem);

}  // namespace proclab
