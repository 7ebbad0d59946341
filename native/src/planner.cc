#include "planner.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "generated/engine-names.h"

namespace proclab {
namespace {

constexpr size_t kMaxShownString = 120;
constexpr size_t kMaxShownArgs = 240;
constexpr size_t kMaxShownIds = 16;

// A C string as people read it in a call: quoted, escaped, shortened when huge.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); i++) {
    if (i == kMaxShownString) {
      out += "…";
      break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string execveCall(const ChildSpec& spec, int execFd) {
  std::string args;
  size_t shown = 0;
  for (const auto& a : spec.argv) {
    if (args.size() > kMaxShownArgs) break;
    if (shown) args += ", ";
    args += quoted(a);
    shown++;
  }
  if (shown < spec.argv.size()) args += ", … " + std::to_string(spec.argv.size() - shown) + " more";
  std::string tail = "[" + args + "], envp[" + std::to_string(spec.envp.size()) + "]";
  if (execFd >= 0) return "execveat(" + std::to_string(execFd) + ", \"\", " + tail + ", AT_EMPTY_PATH) /* " + quoted(spec.path) + " */";
  return "execve(" + quoted(spec.path) + ", " + tail + ")";
}

// A list of ids as a call shows it: whole up to kMaxShownIds, else its first ones and a
// count ("[0, 1, 2, ... 65,533 more]"). The whole list is in the profile.
std::string shortList(const std::vector<uint32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); i++) {
    if (i == kMaxShownIds && ids.size() > kMaxShownIds + 1) {
      std::string more = std::to_string(ids.size() - i);
      for (int at = static_cast<int>(more.size()) - 3; at > 0; at -= 3) more.insert(static_cast<size_t>(at), ",");
      return out + ", ... " + more + " more]";
    }
    out += (i ? ", " : "") + std::to_string(ids[i]);
  }
  return out + "]";
}

std::string dup2Call(int from, int to) {
  return "dup2(" + std::to_string(from) + ", " + std::to_string(to) + ")";
}

class Builder {
 public:
  explicit Builder(Plan& plan) : plan_(plan) {}

  Op& add(OpKind kind, const char* step, std::string call) {
    plan_.ops.push_back(Op{kind});
    PlanEntry entry;
    entry.step = step;
    entry.call = std::move(call);
    plan_.entries.push_back(std::move(entry));
    return plan_.ops.back();
  }

  // The fd step's three calls; `slot` is the child fd served (-1: the status pipe).
  Op& dup2(int pass, int slot, int from, int to) {
    Op& op = addFd(OpKind::Dup2, pass, slot, dup2Call(from, to), fd_op::kDup2, {from, to});
    op.a = from;
    op.b = to;
    return op;
  }
  Op& setCloexec(int pass, int slot, int fd, bool on) {
    Op& op = addFd(OpKind::SetCloexec, pass, slot,
                   "fcntl(" + std::to_string(fd) + ", F_SETFD, " + (on ? "FD_CLOEXEC" : "0") + ")", fd_op::kFcntl,
                   {fd, on ? 1 : 0});
    op.a = fd;
    op.b = on ? 1 : 0;
    return op;
  }
  Op& close(int fd) {
    Op& op = addFd(OpKind::Close, 2, fd, "close(" + std::to_string(fd) + ")", fd_op::kClose, {fd});
    op.a = fd;
    op.fatal = false;  // the seed ignores close errors (the slot may already be closed)
    return op;
  }

  PlanEntry& lastEntry() { return plan_.entries.back(); }

 private:
  Op& addFd(OpKind kind, int pass, int slot, std::string call, const char* name, std::vector<int> args) {
    Op& op = add(kind, step::kFd, std::move(call));
    PlanEntry& entry = plan_.entries.back();
    entry.pass = pass;
    entry.slot = slot;
    entry.op = name;
    entry.args = std::move(args);
    return op;
  }

  Plan& plan_;
};

// Slots whose current source is `fd` (a dup2 onto fd destroys them), and kStatusPipeSlot
// for the status pipe.
std::vector<int> sourcesAt(int fd, const std::vector<int>& fds, int statusFd) {
  std::vector<int> hit;
  for (size_t j = 0; j < fds.size(); j++)
    if (fds[j] == fd) hit.push_back(static_cast<int>(j));
  if (statusFd == fd) hit.push_back(kStatusPipeSlot);
  return hit;
}

// The seed's two passes (forkAndExecInChild, "Pass 1" and "Pass 2").
void planDescriptors(Builder& b, Plan& plan, std::vector<int> fd, int pipe, PassOneStart start) {
  const int n = static_cast<int>(fd.size());
  int nextfd = n;
  if (start == PassOneStart::AboveEverySource) {
    for (int f : fd) nextfd = std::max(nextfd, f + 1);
    nextfd = std::max(nextfd, pipe + 1);
  }
  plan.firstFreshFd = nextfd;

  // Pass 1: move the status pipe and every fd[i] < i above the slots, so that pass 2
  // does not overwrite a descriptor that a later slot still needs.
  if (pipe < n) {
    b.dup2(1, -1, pipe, nextfd).movesStatusPipe = true;
    b.lastEntry().clobbers = sourcesAt(nextfd, fd, -1);
    b.setCloexec(1, -1, nextfd, true).fatal = false;  // the seed ignores this fcntl's result
    pipe = nextfd;
    nextfd++;
  }
  for (int i = 0; i < n; i++) {
    if (fd[i] >= 0 && fd[i] < i) {
      b.dup2(1, i, fd[i], nextfd);
      b.lastEntry().clobbers = sourcesAt(nextfd, fd, pipe);
      b.setCloexec(1, i, nextfd, true).fatal = false;
      fd[i] = nextfd;
      nextfd++;
      if (nextfd == pipe) nextfd++;  // don't stomp on the status pipe
    }
  }

  // Pass 2: dup each fd[i] down onto i.
  for (int i = 0; i < n; i++) {
    if (fd[i] == -1) {
      b.close(i);
    } else if (fd[i] == i) {
      b.setCloexec(2, i, i, false);  // dup2(i, i) would leave close-on-exec set
    } else {
      b.dup2(2, i, fd[i], i);  // the new descriptor is created without close-on-exec
    }
  }
  // Fewer than 3 files: 0, 1 and 2 are closed rather than left to chance.
  for (int i = n; i < 3; i++) b.close(i);
}

}  // namespace

int firstFdAbovePlan(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd) {
  int n = static_cast<int>(slotFds.size());
  int top = std::max({n, statusFd + 1, spec.reportFd + 1});
  for (int fd : slotFds) top = std::max(top, fd + 1);
  return top + n + 1;
}

Plan planChild(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd,
               PassOneStart start, const LaunchExtras& extras) {
  Plan plan;
  Builder b(plan);

  // Every signal is blocked from the clone on (spawner.cc); handlers go back to SIG_DFL
  // first, the mask last (op "sigmask"), so that a signal sent during the setup waits.
  b.add(OpKind::Signals, step::kSignals,
        spec.resetSignals ? "rt_sigaction(1..64, SIG_DFL)" : "rt_sigaction(caught handlers, SIG_DFL)")
      .a = spec.resetSignals ? 1 : 0;

  if (spec.ptrace) b.add(OpKind::TraceMe, step::kPtrace, "ptrace(PTRACE_TRACEME, 0, 0, 0)");
  if (spec.setsid) b.add(OpKind::Setsid, step::kSetsid, "setsid()");
  if (spec.setpgid) b.add(OpKind::Setpgid, step::kSetpgid, "setpgid(0, " + std::to_string(spec.pgid) + ")").a = spec.pgid;
  if (spec.chroot) b.add(OpKind::Chroot, step::kChroot, "chroot(" + quoted(*spec.chroot) + ")").str = spec.chroot->c_str();

  if (const auto& cred = spec.credential) {
    if (!cred->noSetGroups) {
      Op& op = b.add(OpKind::Setgroups, step::kSetgroups,
                     "setgroups(" + std::to_string(cred->groups.size()) + ", " + shortList(cred->groups) + ")");
      op.a = static_cast<int>(cred->groups.size());
      op.groups = cred->groups.data();
    }
    b.add(OpKind::Setgid, step::kSetgid, "setgid(" + std::to_string(cred->gid) + ")").a = static_cast<int>(cred->gid);
    b.add(OpKind::Setuid, step::kSetuid, "setuid(" + std::to_string(cred->uid) + ")").a = static_cast<int>(cred->uid);
  }

  if (spec.dir) b.add(OpKind::Chdir, step::kChdir, "chdir(" + quoted(*spec.dir) + ")").str = spec.dir->c_str();

  // Inherited fds still under the number named (spawner.cc checked just before the clone);
  // a launch's only: a plan without one has no copies.
  for (size_t i = 0; i < spec.files.size(); i++) {
    const SlotSource& f = spec.files[i];
    if (f.kind == SlotSource::Kind::Inherit && f.pinFd >= 0 && slotFds[i] == f.hostFd)
      plan.inherited.insert(plan.inherited.end(), {f.hostFd, f.pinFd, f.pinCloexec ? 1 : 0});
  }
  if (!plan.inherited.empty()) {
    std::string fds, pins;
    for (size_t k = 0; k < plan.inherited.size(); k += 3) {
      fds += (k ? ", " : "") + std::to_string(plan.inherited[k]);
      pins += (k ? ", " : "") + std::to_string(plan.inherited[k + 1]);
    }
    Op& op = b.add(OpKind::KeepInherited, step::kInherit,
                   "kcmp(KCMP_FILE) of fds " + fds + " with their copies " + pins + "; dup3 back where changed");
    op.a = static_cast<int>(plan.inherited.size() / 3);
    op.inherited = plan.inherited.data();
  }

  planDescriptors(b, plan, slotFds, statusFd, start);

  if (spec.closeOtherFds) {
    // Close-on-exec rather than close: the status pipe must outlive this step.
    int from = static_cast<int>(slotFds.size());
    b.add(OpKind::CloseFrom, step::kClosefds, "close_range(" + std::to_string(from) + ", ~0U, CLOSE_RANGE_CLOEXEC)").a = from;
    b.lastEntry().op = fd_op::kCloseRange;
    b.lastEntry().args = {from};
  }
  if (extras.reportFd >= 0) {
    // After the sweep, and without close-on-exec: the report's memfd survives exec there.
    Op& op = b.add(OpKind::PlaceReport, step::kReport,
                   "dup3(" + std::to_string(extras.reportFd) + ", " + std::to_string(spec.reportFd) + ", 0)");
    op.a = extras.reportFd;
    op.b = spec.reportFd;
  }
  if (spec.noctty) b.add(OpKind::Noctty, step::kNoctty, "ioctl(0, TIOCNOTTY)");
  if (spec.setctty) {
    b.add(OpKind::Setctty, step::kSetctty, "ioctl(" + std::to_string(spec.ctty) + ", TIOCSCTTY, 0)").a = spec.ctty;
  }
  b.add(OpKind::SigMask, step::kSigmask,
        spec.resetSignals ? "rt_sigprocmask(SIG_SETMASK, {})" : "rt_sigprocmask(SIG_SETMASK, the lab's mask)")
      .a = spec.resetSignals ? 1 : 0;
  b.add(OpKind::Execve, step::kExecve, execveCall(spec, extras.execFd)).a = extras.execFd;
  return plan;
}

}  // namespace proclab
