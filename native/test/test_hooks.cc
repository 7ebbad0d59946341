// Test-only helpers (never loaded by the lab): host-side conditions that Node itself
// never creates. Node marks every descriptor it opens, and every one it inherits,
// close-on-exec, so a "stray" descriptor has to come from native code like this.
#include <fcntl.h>
#include <napi.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

// openWithoutCloexec(path) -> fd, opened O_WRONLY|O_CREAT without O_CLOEXEC.
Napi::Value OpenWithoutCloexec(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  return Napi::Number::New(info.Env(), fd < 0 ? -errno : fd);
}

// Descriptor churn: threads that open a file and dup it, both without close-on-exec
// (as a careless library would), then close both, over and over. At any moment a
// few inheritable descriptors exist briefly; whatever clone/fork copies the fd table
// (fork(2): "the child inherits copies of the parent's set of open file descriptors")
// in that window hands them to the child, which keeps them across execve unless they
// are closed or marked close-on-exec first.
class FdChurn {
 public:
  FdChurn(std::string path, int threads) : path_(std::move(path)) {
    for (int i = 0; i < threads; i++) threads_.emplace_back([this] { Loop(); });
  }

  // Stops and joins every thread; each closes what it opened before it looks at the flag,
  // so nothing of the churn is left open afterwards. Returns the first errno (0: none).
  int Stop() {
    stop_.store(true);
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    return error_.load();
  }

  // Descriptors opened (open and dup each count).
  uint64_t opened() const { return opened_.load(); }

 private:
  void Loop() {
    while (!stop_.load(std::memory_order_relaxed)) {
      int fd = open(path_.c_str(), O_RDONLY);
      if (fd < 0) return Fail(errno);
      int copy = dup(fd);
      int dupErr = errno;
      close(fd);
      if (copy < 0) return Fail(dupErr);
      close(copy);
      opened_.fetch_add(2, std::memory_order_relaxed);
    }
  }

  void Fail(int err) {
    int none = 0;
    error_.compare_exchange_strong(none, err);
  }

  const std::string path_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> opened_{0};
  std::atomic<int> error_{0};
  std::vector<std::thread> threads_;
};

// One churn at a time per process; stopped at the latest when Node tears the addon down.
FdChurn* churn = nullptr;

// startFdChurn(path, threads): starts `threads` churn threads on `path`.
Napi::Value StartFdChurn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (churn) {
    Napi::Error::New(env, "startFdChurn: a churn is already running").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int threads = info[1].As<Napi::Number>().Int32Value();
  // Fail here, in JS, for a path the threads could not open.
  int probe = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (probe < 0) {
    Napi::Error::New(env, "startFdChurn: " + path + ": " + strerror(errno)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  close(probe);
  churn = new FdChurn(std::move(path), threads);
  return env.Undefined();
}

// stopFdChurn() -> number of descriptors the churn opened; throws if a thread failed.
Napi::Value StopFdChurn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!churn) {
    Napi::Error::New(env, "stopFdChurn: no churn is running").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int err = churn->Stop();
  double opened = static_cast<double>(churn->opened());
  delete churn;
  churn = nullptr;
  if (err) {
    Napi::Error::New(env, std::string("stopFdChurn: a churn thread failed: ") + strerror(err))
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, opened);
}

// reapBehindTheLabsBack(pid) -> the pid reaped (blocking waitpid), or -errno: what a
// careless wait elsewhere in the process would do to one of the lab's children.
Napi::Value ReapBehindTheLabsBack(const Napi::CallbackInfo& info) {
  int status;
  pid_t r = waitpid(info[0].ToNumber().Int32Value(), &status, 0);
  return Napi::Number::New(info.Env(), r < 0 ? -errno : r);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("openWithoutCloexec", Napi::Function::New(env, OpenWithoutCloexec));
  exports.Set("reapBehindTheLabsBack", Napi::Function::New(env, ReapBehindTheLabsBack));
  exports.Set("startFdChurn", Napi::Function::New(env, StartFdChurn));
  exports.Set("stopFdChurn", Napi::Function::New(env, StopFdChurn));
  env.AddCleanupHook([] {
    if (!churn) return;
    churn->Stop();
    delete churn;
    churn = nullptr;
  });
  return exports;
}

}  // namespace

NODE_API_MODULE(proclab_test_hooks, Init)
