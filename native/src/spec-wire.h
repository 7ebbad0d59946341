// A launch spec as bytes: how `proclab exec` hands the spec the addon read (js-spec.cc) to
// its helper (exec-helper.cc), which cannot take a JS object. One field list serves both
// directions (spec-wire.cc), so the two ends cannot disagree on the layout.
#pragma once

#include <cstddef>
#include <string>

#include "spec.h"

namespace proclab {

// Every field of the spec, each as a fixed-width number or a length-prefixed byte string.
std::string encodeSpec(const ChildSpec& spec);

// false when the bytes are not a whole spec of this layout (truncated, or left over).
bool decodeSpec(const char* data, size_t size, ChildSpec& spec);

}  // namespace proclab
