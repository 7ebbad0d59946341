#include "js-spec.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace proclab {
namespace {

// Reads properties of the spec's objects by the environment's cached keys.
class SpecReader {
 public:
  explicit SpecReader(Strings& keys) : keys_(keys) {}

  Napi::Value prop(const Napi::Object& o, const char* key) {
    napi_value v;
    napi_get_property(o.Env(), o, keys_.get(o.Env(), key), &v);
    return Napi::Value(o.Env(), v);
  }
  std::string str(const Napi::Object& o, const char* key) { return prop(o, key).As<Napi::String>().Utf8Value(); }
  bool flag(const Napi::Object& o, const char* key) { return prop(o, key).ToBoolean().Value(); }
  int integer(const Napi::Object& o, const char* key) { return prop(o, key).ToNumber().Int32Value(); }
  uint32_t id(const Napi::Object& o, const char* key) { return prop(o, key).ToNumber().Uint32Value(); }
  std::optional<std::string> optionalStr(const Napi::Object& o, const char* key) {
    Napi::Value v = prop(o, key);
    if (v.IsUndefined() || v.IsNull()) return std::nullopt;
    return v.As<Napi::String>().Utf8Value();
  }
  std::vector<std::string> strings(const Napi::Object& o, const char* key) {
    Napi::Array a = prop(o, key).As<Napi::Array>();
    std::vector<std::string> out;
    out.reserve(a.Length());
    for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
    return out;
  }

  SlotSource fileSource(const Napi::Object& f) {
    static const std::pair<const char*, SlotSource::Kind> kinds[] = {
        {"null", SlotSource::Kind::Null}, {"pipe", SlotSource::Kind::Pipe},     {"inherit", SlotSource::Kind::Inherit},
        {"file", SlotSource::Kind::File}, {"closed", SlotSource::Kind::Closed}, {"pty", SlotSource::Kind::Pty}};
    SlotSource out;
    std::string type = str(f, "type");
    for (const auto& [name, kind] : kinds)
      if (type == name) out.kind = kind;
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

  Credential credential(const Napi::Object& c) {
    Credential out;
    out.uid = id(c, "uid");
    out.gid = id(c, "gid");
    Napi::Array groups = prop(c, "groups").As<Napi::Array>();
    for (uint32_t i = 0; i < groups.Length(); i++) out.groups.push_back(groups.Get(i).ToNumber().Uint32Value());
    out.noSetGroups = flag(c, "noSetGroups");
    return out;
  }

 private:
  Strings& keys_;
};

}  // namespace

std::unique_ptr<ChildSpec> childSpec(const Napi::Object& o, Strings& keys) {
  SpecReader r(keys);
  auto spec = std::make_unique<ChildSpec>();
  spec->path = r.str(o, "path");
  spec->argv = r.strings(o, "argv");
  spec->envp = r.strings(o, "envp");
  spec->dir = r.optionalStr(o, "dir");
  spec->chroot = r.optionalStr(o, "chroot");
  Napi::Value cred = r.prop(o, "credential");
  if (cred.IsObject()) spec->credential = r.credential(cred.As<Napi::Object>());
  spec->ptrace = r.flag(o, "ptrace");
  spec->setsid = r.flag(o, "setsid");
  spec->setpgid = r.flag(o, "setpgid");
  spec->pgid = r.integer(o, "pgid");
  spec->setctty = r.flag(o, "setctty");
  spec->noctty = r.flag(o, "noctty");
  spec->ctty = r.integer(o, "ctty");
  Napi::Array files = r.prop(o, "files").As<Napi::Array>();
  for (uint32_t i = 0; i < files.Length(); i++) spec->files.push_back(r.fileSource(files.Get(i).As<Napi::Object>()));
  spec->method = r.str(o, "method") == "fork" ? Method::Fork : Method::Vfork;
  spec->closeOtherFds = r.flag(o, "closeOtherFds");
  spec->resetSignals = r.flag(o, "resetSignals");
  spec->execByFd = r.flag(o, "execByFd");
  Napi::Value reportFd = r.prop(o, "reportFd");
  if (reportFd.IsNumber()) spec->reportFd = reportFd.ToNumber().Int32Value();
  return spec;
}

}  // namespace proclab
