#include "spec-wire.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace proclab {
namespace {

// First: a magic word that also carries the layout's version ("PRL" 1). A helper from
// another build refuses bytes it would misread.
constexpr uint32_t kMagic = 0x50524c01;

class Writer {
 public:
  template <typename T>
  void number(T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void bytes(std::string& s) {
    uint64_t n = s.size();
    number(n);
    out += s;
  }
  bool fits(uint64_t) const { return true; }
  std::string out;
};

class Reader {
 public:
  Reader(const char* data, size_t size) : at_(data), end_(data + size) {}
  template <typename T>
  void number(T& v) {
    if (!fits(sizeof v)) return fail(v);
    memcpy(&v, at_, sizeof v);
    at_ += sizeof v;
  }
  void bytes(std::string& s) {
    uint64_t n = 0;
    number(n);
    if (!fits(n)) return;
    s.assign(at_, n);
    at_ += n;
  }
  // Each item takes a byte at least: a count past the bytes left is a broken spec too.
  bool fits(uint64_t n) {
    if (ok_ && n <= static_cast<uint64_t>(end_ - at_)) return true;
    ok_ = false;
    return false;
  }
  bool whole() const { return ok_ && at_ == end_; }

 private:
  template <typename T>
  void fail(T& v) {
    ok_ = false;
    v = T{};
  }
  const char* at_;
  const char* end_;
  bool ok_ = true;
};

// One field list for both directions: a Writer reads each field, a Reader sets it.
template <typename Io>
void field(Io& io, std::string& s) {
  io.bytes(s);
}
template <typename Io, typename T>
std::enable_if_t<std::is_arithmetic_v<T> || std::is_enum_v<T>> field(Io& io, T& v) {
  io.number(v);
}
template <typename Io>
void field(Io& io, IdMapping& m);
template <typename Io>
void field(Io& io, Rlimit& r);
template <typename Io>
void field(Io& io, Credential& c);
template <typename Io>
void field(Io& io, SlotSource& f);

template <typename Io, typename T>
void field(Io& io, std::optional<T>& v) {
  bool present = v.has_value();
  field(io, present);
  if (!present) return v.reset();
  if (!v) v.emplace();
  field(io, *v);
}
template <typename Io, typename T>
void field(Io& io, std::vector<T>& items) {
  uint64_t n = items.size();
  field(io, n);
  if (!io.fits(n)) return;
  items.resize(n);
  for (T& item : items) field(io, item);
}

template <typename Io>
void field(Io& io, IdMapping& m) {
  field(io, m.containerId), field(io, m.hostId), field(io, m.size);
}
template <typename Io>
void field(Io& io, Rlimit& r) {
  field(io, r.resource), field(io, r.limit.soft), field(io, r.limit.hard);
}
template <typename Io>
void field(Io& io, Credential& c) {
  field(io, c.uid), field(io, c.gid), field(io, c.groups), field(io, c.noSetGroups);
}
// pinFd and pinErr are not sent: they are descriptors of the process that took them.
template <typename Io>
void field(Io& io, SlotSource& f) {
  field(io, f.kind), field(io, f.hostFd), field(io, f.path), field(io, f.openFlags), field(io, f.rows), field(io, f.cols);
}

template <typename Io>
void fields(Io& io, ChildSpec& s) {
  uint32_t magic = kMagic;
  field(io, magic);
  if (magic != kMagic) io.fits(~0ull);  // another layout: refused
  field(io, s.path), field(io, s.argv), field(io, s.envp), field(io, s.dir), field(io, s.chroot);
  field(io, s.credential);
#define PROCLAB_WIRE_FIELD(name) field(io, s.name);
  PROCLAB_SPEC_FLAGS(PROCLAB_WIRE_FIELD)
  PROCLAB_SPEC_INTS(PROCLAB_WIRE_FIELD)
  PROCLAB_SPEC_OPTIONAL_INTS(PROCLAB_WIRE_FIELD)
#undef PROCLAB_WIRE_FIELD
  field(io, s.cloneflags), field(io, s.unshareflags), field(io, s.uidMappings), field(io, s.gidMappings);
  field(io, s.ambientCaps), field(io, s.cgroup), field(io, s.rlimits), field(io, s.cpuAffinity), field(io, s.files);
  field(io, s.method), field(io, s.order), field(io, s.execByFd), field(io, s.reportFd);
}

}  // namespace

std::string encodeSpec(const ChildSpec& spec) {
  ChildSpec copy = spec;  // fields() takes each by reference; the Writer only reads them
  Writer w;
  fields(w, copy);
  return std::move(w.out);
}

bool decodeSpec(const char* data, size_t size, ChildSpec& spec) {
  Reader r(data, size);
  fields(r, spec);
  return r.whole();
}

}  // namespace proclab
