#include "js-spec.h"

#include <sys/resource.h>

#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace proclab {
namespace {

// Reads properties of the spec's objects by the environment's cached keys. A property of
// the wrong type (a key the lab and the engine spell differently reads as undefined) is
// not read as false or 0: the first one is kept in problem(), and the launch refused.
class SpecReader {
 public:
  explicit SpecReader(Strings& keys) : keys_(keys) {}

  const std::string& problem() const { return problem_; }

  Napi::Value prop(const Napi::Object& o, const char* key) {
    napi_value v;
    napi_get_property(o.Env(), o, keys_.get(o.Env(), key), &v);
    return Napi::Value(o.Env(), v);
  }
  std::string str(const Napi::Object& o, const char* key) { return bytes(prop(o, key), key); }
  // A string (its UTF-8 bytes) or a Buffer (bytes as they are: a profile's { hex }).
  std::string bytes(const Napi::Value& v, const char* key) {
    if (v.IsBuffer()) {
      auto b = v.As<Napi::Buffer<char>>();
      return std::string(b.Data(), b.Length());
    }
    return expect(v.IsString(), key, "a string or a Buffer") ? v.As<Napi::String>().Utf8Value() : std::string();
  }
  bool flag(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    return expect(v.IsBoolean(), key, "a boolean") && v.As<Napi::Boolean>().Value();
  }
  int integer(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    return expect(v.IsNumber(), key, "a number") ? v.As<Napi::Number>().Int32Value() : 0;
  }
  uint32_t id(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    return expect(v.IsNumber(), key, "a number") ? v.As<Napi::Number>().Uint32Value() : 0;
  }
  std::optional<std::string> optionalStr(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    if (v.IsUndefined() || v.IsNull()) return std::nullopt;
    return str(o, key);
  }
  Napi::Array array(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    return expect(v.IsArray(), key, "an array") ? v.As<Napi::Array>() : Napi::Array::New(o.Env());
  }
  std::vector<std::string> strings(const Napi::Object& o, const char* key) {
    Napi::Array a = array(o, key);
    std::vector<std::string> out;
    out.reserve(a.Length());
    for (uint32_t i = 0; i < a.Length(); i++) out.push_back(bytes(a.Get(i), key));
    return out;
  }

  SlotSource fileSource(const Napi::Object& f) {
    static const std::pair<const char*, SlotSource::Kind> kinds[] = {
        {"null", SlotSource::Kind::Null}, {"pipe", SlotSource::Kind::Pipe},     {"inherit", SlotSource::Kind::Inherit},
        {"file", SlotSource::Kind::File}, {"closed", SlotSource::Kind::Closed}, {"pty", SlotSource::Kind::Pty}};
    SlotSource out;
    std::string type = str(f, "type");
    bool known = false;
    for (const auto& [name, kind] : kinds)
      if (type == name) out.kind = kind, known = true;
    expect(known, "type", "a file type");
    if (out.kind == SlotSource::Kind::Inherit) out.hostFd = integer(f, "fd");
    if (out.kind == SlotSource::Kind::Pty && prop(f, "rows").IsNumber()) {
      out.rows = static_cast<unsigned short>(id(f, "rows"));
      out.cols = static_cast<unsigned short>(id(f, "cols"));
    }
    if (out.kind == SlotSource::Kind::File) {
      out.path = str(f, "path");
      out.openFlags = integer(f, "flags");
    }
    return out;
  }

  std::optional<int> optionalInt(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    if (v.IsUndefined() || v.IsNull()) return std::nullopt;
    return integer(o, key);
  }
  std::vector<int> integers(const Napi::Object& o, const char* key) {
    Napi::Array a = array(o, key);
    std::vector<int> out;
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value item = a.Get(i);
      if (expect(item.IsNumber(), key, "an array of numbers")) out.push_back(item.As<Napi::Number>().Int32Value());
    }
    return out;
  }

  // A kernel name of the table (generated/engine-names.h) -> its number.
  uint64_t kernelValue(const std::string& name, const KernelName* table, size_t n, const char* key) {
    for (size_t i = 0; i < n; i++)
      if (name == table[i].name) return table[i].value;
    expect(false, key, "a list of names the engine knows");
    return 0;
  }
  template <size_t N>
  std::vector<uint64_t> kernelValues(const Napi::Object& o, const char* key, const KernelName (&table)[N]) {
    std::vector<uint64_t> out;
    for (const std::string& name : strings(o, key)) out.push_back(kernelValue(name, table, N, key));
    return out;
  }

  std::vector<IdMapping> idMappings(const Napi::Object& o, const char* key) {
    Napi::Array a = array(o, key);
    std::vector<IdMapping> out;
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value item = a.Get(i);
      if (!expect(item.IsObject(), key, "an array of mappings")) continue;
      Napi::Object m = item.As<Napi::Object>();
      out.push_back(IdMapping{id(m, "containerId"), id(m, "hostId"), id(m, "size")});
    }
    return out;
  }

  // {name, soft, hard}: a limit is a number, or "unlimited" (RLIM64_INFINITY).
  std::vector<Rlimit> rlimits(const Napi::Object& o) {
    Napi::Array a = array(o, "rlimits");
    std::vector<Rlimit> out;
    auto limit = [&](const Napi::Object& r, const char* key) -> uint64_t {
      Napi::Value v = prop(r, key);
      if (v.IsString() && v.As<Napi::String>().Utf8Value() == "unlimited") return RLIM64_INFINITY;
      return expect(v.IsNumber(), key, "a number or \"unlimited\"") ? static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()) : 0;
    };
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value item = a.Get(i);
      if (!expect(item.IsObject(), "rlimits", "an array of limits")) continue;
      Napi::Object r = item.As<Napi::Object>();
      Rlimit out1;
      out1.resource = static_cast<int>(kernelValue(str(r, "name"), kRlimitNames, std::size(kRlimitNames), "rlimits"));
      out1.limit = RlimitValue{limit(r, "soft"), limit(r, "hard")};
      out.push_back(out1);
    }
    return out;
  }

  Credential credential(const Napi::Object& c) {
    Credential out;
    out.uid = id(c, "uid");
    out.gid = id(c, "gid");
    Napi::Array groups = array(c, "groups");
    for (uint32_t i = 0; i < groups.Length(); i++) out.groups.push_back(groups.Get(i).ToNumber().Uint32Value());
    out.noSetGroups = flag(c, "noSetGroups");
    return out;
  }

  bool expect(bool ok, const char* key, const char* what) {
    if (!ok && problem_.empty()) problem_ = std::string("the engine's spec: ") + key + " is not " + what;
    return ok;
  }

 private:

  Strings& keys_;
  std::string problem_;
};

}  // namespace

std::unique_ptr<ChildSpec> childSpec(const Napi::Object& o, Strings& keys, std::string& problem) {
  SpecReader r(keys);
  auto spec = std::make_unique<ChildSpec>();
  spec->path = r.str(o, "path");
  spec->argv = r.strings(o, "argv");
  spec->envp = r.strings(o, "envp");
  spec->dir = r.optionalStr(o, "dir");
  spec->chroot = r.optionalStr(o, "chroot");
  Napi::Value cred = r.prop(o, "credential");
  if (cred.IsObject()) spec->credential = r.credential(cred.As<Napi::Object>());
#define PROCLAB_READ_FLAG(name) spec->name = r.flag(o, #name);
#define PROCLAB_READ_INT(name) spec->name = r.integer(o, #name);
#define PROCLAB_READ_OPTIONAL_INT(name) spec->name = r.optionalInt(o, #name);
  PROCLAB_SPEC_FLAGS(PROCLAB_READ_FLAG)
  PROCLAB_SPEC_INTS(PROCLAB_READ_INT)
  PROCLAB_SPEC_OPTIONAL_INTS(PROCLAB_READ_OPTIONAL_INT)
#undef PROCLAB_READ_FLAG
#undef PROCLAB_READ_INT
#undef PROCLAB_READ_OPTIONAL_INT
  for (uint64_t flag : r.kernelValues(o, "cloneflags", kNamespaceFlagNames)) spec->cloneflags |= flag;
  for (uint64_t flag : r.kernelValues(o, "unshareflags", kNamespaceFlagNames)) spec->unshareflags |= flag;
  spec->uidMappings = r.idMappings(o, "uidMappings");
  spec->gidMappings = r.idMappings(o, "gidMappings");
  for (uint64_t cap : r.kernelValues(o, "ambientCaps", kCapabilityNames)) spec->ambientCaps.push_back(static_cast<uint32_t>(cap));
  spec->cgroup = r.optionalStr(o, "cgroup");
  spec->rlimits = r.rlimits(o);
  spec->cpuAffinity = r.integers(o, "cpuAffinity");
  Napi::Array files = r.array(o, "files");
  for (uint32_t i = 0; i < files.Length(); i++) {
    Napi::Value file = files.Get(i);
    if (r.expect(file.IsObject(), "files", "an array of objects")) spec->files.push_back(r.fileSource(file.As<Napi::Object>()));
  }
  std::string method = r.str(o, "method");
  r.expect(method == "vfork" || method == "fork", "method", "vfork or fork");
  spec->method = method == "fork" ? Method::Fork : Method::Vfork;
  std::string order = r.str(o, "order");
  r.expect(order == "seed" || order == "go", "order", "seed or go");
  spec->order = order == "go" ? Order::Go : Order::Seed;
  spec->execByFd = r.prop(o, "execByFd").IsBoolean() && r.flag(o, "execByFd");
  Napi::Value reportFd = r.prop(o, "reportFd");
  if (reportFd.IsNumber()) spec->reportFd = reportFd.ToNumber().Int32Value();
  problem = r.problem();
  return problem.empty() ? std::move(spec) : nullptr;
}

}  // namespace proclab
