// Test-only helpers (never loaded by the lab): host-side conditions that Node itself
// never creates. Node marks every descriptor it opens, and every one it inherits,
// close-on-exec, so a "stray" descriptor has to come from native code like this.
#include <fcntl.h>
#include <napi.h>

namespace {

// openWithoutCloexec(path) -> fd, opened O_WRONLY|O_CREAT without O_CLOEXEC.
Napi::Value OpenWithoutCloexec(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  return Napi::Number::New(info.Env(), fd < 0 ? -errno : fd);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("openWithoutCloexec", Napi::Function::New(env, OpenWithoutCloexec));
  return exports;
}

}  // namespace

NODE_API_MODULE(proclab_test_hooks, Init)
