// JS -> ChildSpec: the spec src/main/lab/engine.ts builds (NativeSpec), read on the JS
// thread. The lab validated the profile against src/shared's schema; this only copies it.
#pragma once

#include <napi.h>

#include <memory>

#include "js-values.h"
#include "spec.h"

namespace proclab {

// keys: the environment's cached property names (no string-table lookup per property).
std::unique_ptr<ChildSpec> childSpec(const Napi::Object& o, Strings& keys);

}  // namespace proclab
