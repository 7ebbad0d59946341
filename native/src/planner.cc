#include "planner.h"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "generated/engine-names.h"

namespace proclab {
namespace {

constexpr size_t kMaxShownString = 120;
constexpr size_t kMaxShownArgs = 240;
constexpr size_t kMaxShownIds = 16;

// The length of the UTF-8 sequence at s[i], or 0 when the bytes there are not UTF-8
// (overlong forms, surrogates and code points past U+10FFFF are not).
size_t utf8SequenceAt(const std::string& s, size_t i) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  size_t length = b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (length == 0 || i + length > s.size()) return 0;
  uint32_t code = b & (0xff >> (length + 1));
  for (size_t k = 1; k < length; k++) {
    unsigned char c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xc0) != 0x80) return 0;
    code = (code << 6) | (c & 0x3f);
  }
  uint32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  return code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? 0 : length;
}

// A C string as people read it in a call: quoted, escaped (control bytes and bytes that are
// not UTF-8 as \xNN, as src/shared/bytes.ts shows them), shortened when huge.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    if (i >= kMaxShownString) {
      out += "…";
      break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      i++;
    } else if (c >= 0x80 && utf8SequenceAt(s, i) > 0) {
      size_t n = utf8SequenceAt(s, i);
      out.append(s, i, n);
      i += n;
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      i++;
    } else {
      out += static_cast<char>(c);
      i++;
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

// With CLONE_NEWUSER in unshareflags too, the maps are for the namespace unshare makes, and
// the child writes them (as Go: writeUidGidMappings only without it).
bool mapsByLab(const ChildSpec& spec) {
  return (spec.cloneflags & CLONE_NEWUSER) && !(spec.unshareflags & CLONE_NEWUSER) &&
         (!spec.uidMappings.empty() || !spec.gidMappings.empty());
}

int firstFdAbovePlan(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd) {
  int n = static_cast<int>(slotFds.size());
  int top = std::max({n, statusFd + 1, spec.reportFd + 1});
  for (int fd : slotFds) top = std::max(top, fd + 1);
  return top + n + 1;
}

namespace {

// The kernel's name of a value in one of the generated tables ("CLONE_NEWPID").
template <size_t N>
const char* kernelName(uint64_t value, const KernelName (&table)[N]) {
  for (const KernelName& k : table)
    if (k.value == value) return k.name;
  return "?";
}

// "CLONE_NEWUSER|CLONE_NEWPID" for a set of namespace flags, in the table's order.
std::string flagNames(uint64_t flags) {
  std::string out;
  for (const KernelName& k : kNamespaceFlagNames)
    if (flags & k.value) out += (out.empty() ? "" : "|") + std::string(k.name);
  return out;
}

std::string limitText(uint64_t v) { return v == RLIM64_INFINITY ? "RLIM_INFINITY" : std::to_string(v); }

// "0 1000 1\n..." as /proc/PID/uid_map takes it: the whole map in one write (user_namespaces(7)).
std::string mapText(const std::vector<IdMapping>& maps) {
  std::string out;
  for (const IdMapping& m : maps)
    out += std::to_string(m.containerId) + " " + std::to_string(m.hostId) + " " + std::to_string(m.size) + "\n";
  return out;
}

// A map as a call shows it: its lines joined by ", ", without the last newline.
std::string shownMap(const std::string& text) {
  std::string out = text.substr(0, text.empty() ? 0 : text.size() - 1);
  for (size_t at = out.find('\n'); at != std::string::npos; at = out.find('\n', at)) out.replace(at, 1, ", ");
  return quoted(out);
}

// The steps of one launch, each appended when the planner reaches it in the chosen order.
class StepPlanner {
 public:
  StepPlanner(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd, PassOneStart start,
              const LaunchExtras& extras, Plan& plan)
      : spec_(spec), slotFds_(slotFds), statusFd_(statusFd), start_(start), extras_(extras), plan_(plan), b_(plan) {}

  void add(Step step) {
    switch (step) {
      case Step::Signals: return signals();
      case Step::Userns: return userns();
      case Step::Ptrace: return ptrace();
      case Step::Setsid:
        if (spec_.setsid) b_.add(OpKind::Setsid, step::kSetsid, "setsid()");
        return;
      case Step::Setpgid: return setpgid();
      case Step::Foreground: return foreground();
      case Step::Unshare: return unshare();
      case Step::UidMappings: return childMaps(step::kUidMappings, "/proc/self/uid_map", spec_.uidMappings);
      case Step::GidMappings: return childGidMaps();
      case Step::Chroot:
        if (spec_.chroot) b_.add(OpKind::Chroot, step::kChroot, "chroot(" + quoted(*spec_.chroot) + ")").str = spec_.chroot->c_str();
        return;
      case Step::Keepcaps:
        if (spec_.credential && !spec_.ambientCaps.empty()) b_.add(OpKind::KeepCaps, step::kKeepcaps, "prctl(PR_SET_KEEPCAPS, 1)");
        return;
      case Step::Setgroups: return setgroups();
      case Step::Setgid:
        if (spec_.credential) b_.add(OpKind::Setgid, step::kSetgid, "setgid(" + std::to_string(spec_.credential->gid) + ")").a = static_cast<int>(spec_.credential->gid);
        return;
      case Step::Setuid:
        if (spec_.credential) b_.add(OpKind::Setuid, step::kSetuid, "setuid(" + std::to_string(spec_.credential->uid) + ")").a = static_cast<int>(spec_.credential->uid);
        return;
      case Step::AmbientCaps: return ambientCaps();
      case Step::Chdir:
        if (spec_.dir) b_.add(OpKind::Chdir, step::kChdir, "chdir(" + quoted(*spec_.dir) + ")").str = spec_.dir->c_str();
        return;
      case Step::Pdeathsig: return pdeathsig();
      case Step::Inherit: return inherit();
      case Step::Fd: return planDescriptors(b_, plan_, slotFds_, statusFd_, start_);
      case Step::Closefds: return closefds();
      case Step::Report: return report();
      case Step::Noctty:
        if (spec_.noctty) b_.add(OpKind::Noctty, step::kNoctty, "ioctl(0, TIOCNOTTY)");
        return;
      case Step::Setctty:
        if (spec_.setctty) b_.add(OpKind::Setctty, step::kSetctty, "ioctl(" + std::to_string(spec_.ctty) + ", TIOCSCTTY, 0)").a = spec_.ctty;
        return;
      case Step::Umask:
        if (spec_.umask) b_.add(OpKind::Umask, step::kUmask, "umask(0" + octal(*spec_.umask) + ")").a = *spec_.umask;
        return;
      case Step::Nice:
        if (spec_.nice) b_.add(OpKind::Nice, step::kNice, "setpriority(PRIO_PROCESS, 0, " + std::to_string(*spec_.nice) + ")").a = *spec_.nice;
        return;
      case Step::CpuAffinity: return cpuAffinity();
      case Step::OomScoreAdj: return oomScoreAdj();
      case Step::NoNewPrivs:
        if (spec_.noNewPrivs) b_.add(OpKind::NoNewPrivs, step::kNoNewPrivs, "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)");
        return;
      case Step::Rlimits: return rlimits();
      case Step::Sigmask: return sigmask();
      case Step::Execve:
        b_.add(OpKind::Execve, step::kExecve, execveCall(spec_, extras_.execFd)).a = extras_.execFd;
        return;
    }
  }

 private:
  static std::string octal(int v) {
    char buf[16];
    snprintf(buf, sizeof buf, "%03o", v);
    return buf;
  }
  const char* keep(std::string text) {
    plan_.texts.push_back(std::move(text));
    return plan_.texts.back().c_str();
  }

  // Every signal is blocked from the clone on (spawner.cc); handlers go back to SIG_DFL
  // first, the mask last (op "sigmask"), so that a signal sent during the setup waits.
  void signals() {
    b_.add(OpKind::Signals, step::kSignals,
           spec_.resetSignals ? "rt_sigaction(1..64, SIG_DFL)" : "rt_sigaction(caught handlers, SIG_DFL)")
        .a = spec_.resetSignals ? 1 : 0;
  }
  void sigmask() {
    b_.add(OpKind::SigMask, step::kSigmask,
           spec_.resetSignals ? "rt_sigprocmask(SIG_SETMASK, {})" : "rt_sigprocmask(SIG_SETMASK, the lab's mask)")
        .a = spec_.resetSignals ? 1 : 0;
  }
  void ptrace() {
    if (spec_.ptrace) b_.add(OpKind::TraceMe, step::kPtrace, "ptrace(PTRACE_TRACEME, 0, 0, 0)");
  }
  // Go's Foreground implies Setpgid.
  void setpgid() {
    if (spec_.setpgid || spec_.foreground)
      b_.add(OpKind::Setpgid, step::kSetpgid, "setpgid(0, " + std::to_string(spec_.pgid) + ")").a = spec_.pgid;
  }
  // Before the fd step: the terminal is still where the lab has it, the host fd of slot
  // ctty (Go takes that parent fd here, and a child fd for Setctty: go#29458).
  void foreground() {
    if (!spec_.foreground) return;
    int fd = spec_.ctty >= 0 && static_cast<size_t>(spec_.ctty) < slotFds_.size() ? slotFds_[spec_.ctty] : -1;
    std::string pgrp = spec_.pgid ? std::to_string(spec_.pgid) : "getpid()";
    Op& op = b_.add(OpKind::Foreground, step::kForeground,
                    "ioctl(" + std::to_string(fd) + " /* the lab's fd for child fd " + std::to_string(spec_.ctty) + " */, TIOCSPGRP, " + pgrp + ")");
    op.a = fd;
    op.b = spec_.pgid;
  }
  // A user namespace made by clone: the lab writes its maps while the child waits (the
  // lab's two entries are done by the lab, the child skips them).
  void userns() {
    if (!mapsByLab(spec_)) return;
    if (!spec_.uidMappings.empty()) {
      Op& op = b_.add(OpKind::ByLab, step::kUserns, "the lab: write " + shownMap(mapText(spec_.uidMappings)) + " to /proc/PID/uid_map");
      op.text = keep(mapText(spec_.uidMappings));
      op.str = "uid_map";
    }
    if (!spec_.gidMappings.empty()) {
      if (!spec_.gidMappingsEnableSetgroups) {
        Op& op = b_.add(OpKind::ByLab, step::kUserns, "the lab: write \"deny\" to /proc/PID/setgroups");
        op.text = "deny";
        op.str = "setgroups";
      }
      Op& op = b_.add(OpKind::ByLab, step::kUserns, "the lab: write " + shownMap(mapText(spec_.gidMappings)) + " to /proc/PID/gid_map");
      op.text = keep(mapText(spec_.gidMappings));
      op.str = "gid_map";
    }
    // A plan without a launch has no pipe yet.
    std::string fd = extras_.mapsFd >= 0 ? std::to_string(extras_.mapsFd) : "the maps pipe";
    b_.add(OpKind::WaitMaps, step::kUserns, "read(" + fd + ", 1): wait for the maps; close(" + fd + ")").a = extras_.mapsFd;
  }
  void unshare() {
    if (!spec_.unshareflags) return;
    b_.add(OpKind::Unshare, step::kUnshare, "unshare(" + flagNames(spec_.unshareflags) + ")").a = static_cast<int>(spec_.unshareflags);
    // As Go and unshare(1) do: a new mount namespace still shares mounts marked shared
    // (systemd marks / so) until / is made private.
    if (spec_.unshareflags & CLONE_NEWNS) b_.add(OpKind::MountPrivate, step::kUnshare, "mount(\"none\", \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
  }
  bool unsharesUser() const { return spec_.unshareflags & CLONE_NEWUSER; }
  void writeFile(const char* step, const char* path, std::string text) {
    std::string shown = text.back() == '\n' ? shownMap(text) : quoted(text);
    Op& op = b_.add(OpKind::WriteFile, step, "write(open(\"" + std::string(path) + "\"), " + shown + ")");
    op.str = path;
    op.text = keep(std::move(text));
  }
  // A user namespace made by unshare maps itself: its own ids only (user_namespaces(7)).
  void childMaps(const char* step, const char* path, const std::vector<IdMapping>& maps) {
    if (unsharesUser() && !maps.empty()) writeFile(step, path, mapText(maps));
  }
  void childGidMaps() {
    if (!unsharesUser() || spec_.gidMappings.empty()) return;
    if (!spec_.gidMappingsEnableSetgroups) writeFile(step::kGidMappings, "/proc/self/setgroups", "deny");
    writeFile(step::kGidMappings, "/proc/self/gid_map", mapText(spec_.gidMappings));
  }
  // As Go: no setgroups for an empty list in a user namespace whose setgroups is denied
  // (it would fail there, and there is nothing to set).
  void setgroups() {
    const auto& cred = spec_.credential;
    if (!cred || cred->noSetGroups) return;
    if (!spec_.gidMappings.empty() && !spec_.gidMappingsEnableSetgroups && cred->groups.empty()) return;
    Op& op = b_.add(OpKind::Setgroups, step::kSetgroups,
                    "setgroups(" + std::to_string(cred->groups.size()) + ", " + shortList(cred->groups) + ")");
    op.a = static_cast<int>(cred->groups.size());
    op.ids = cred->groups.data();
  }
  void ambientCaps() {
    if (spec_.ambientCaps.empty()) return;
    std::string names;
    for (uint32_t cap : spec_.ambientCaps) names += (names.empty() ? "" : ", ") + std::string(kernelName(cap, kCapabilityNames));
    Op& op = b_.add(OpKind::AmbientCaps, step::kAmbientCaps,
                    "capset(+inheritable " + names + "); prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, each)");
    op.a = static_cast<int>(spec_.ambientCaps.size());
    op.ids = spec_.ambientCaps.data();
  }
  void pdeathsig() {
    if (!spec_.pdeathsig) return;
    Op& op = b_.add(OpKind::Pdeathsig, step::kPdeathsig,
                    "prctl(PR_SET_PDEATHSIG, " + std::to_string(*spec_.pdeathsig) + "); kill itself if its parent is gone already");
    op.a = *spec_.pdeathsig;
    op.b = extras_.labPid;
  }
  // Inherited fds still under the number named (spawner.cc checked just before the clone);
  // a launch's only: a plan without one has no copies.
  void inherit() {
    for (size_t i = 0; i < spec_.files.size(); i++) {
      const SlotSource& f = spec_.files[i];
      if (f.kind == SlotSource::Kind::Inherit && f.pinFd >= 0 && slotFds_[i] == f.hostFd)
        plan_.inherited.insert(plan_.inherited.end(), {f.hostFd, f.pinFd, f.pinCloexec ? 1 : 0});
    }
    if (plan_.inherited.empty()) return;
    std::string fds, pins;
    for (size_t k = 0; k < plan_.inherited.size(); k += 3) {
      fds += (k ? ", " : "") + std::to_string(plan_.inherited[k]);
      pins += (k ? ", " : "") + std::to_string(plan_.inherited[k + 1]);
    }
    Op& op = b_.add(OpKind::KeepInherited, step::kInherit,
                    "kcmp(KCMP_FILE) of fds " + fds + " with their copies " + pins + "; dup3 back where changed");
    op.a = static_cast<int>(plan_.inherited.size() / 3);
    op.inherited = plan_.inherited.data();
  }
  void closefds() {
    if (!spec_.closeOtherFds) return;
    // Close-on-exec rather than close: the status pipe must outlive this step.
    int from = static_cast<int>(slotFds_.size());
    b_.add(OpKind::CloseFrom, step::kClosefds, "close_range(" + std::to_string(from) + ", ~0U, CLOSE_RANGE_CLOEXEC)").a = from;
    b_.lastEntry().op = fd_op::kCloseRange;
    b_.lastEntry().args = {from};
  }
  void report() {
    if (extras_.reportFd < 0) return;
    // After the sweep, and without close-on-exec: the report's memfd survives exec there.
    Op& op = b_.add(OpKind::PlaceReport, step::kReport,
                    "dup3(" + std::to_string(extras_.reportFd) + ", " + std::to_string(spec_.reportFd) + ", 0)");
    op.a = extras_.reportFd;
    op.b = spec_.reportFd;
  }
  void cpuAffinity() {
    if (spec_.cpuAffinity.empty()) return;
    constexpr size_t kBits = 8 * sizeof(unsigned long);
    int top = *std::max_element(spec_.cpuAffinity.begin(), spec_.cpuAffinity.end());
    plan_.cpuMask.assign(static_cast<size_t>(top) / kBits + 1, 0);
    std::string cpus;
    for (int cpu : spec_.cpuAffinity) {
      plan_.cpuMask[static_cast<size_t>(cpu) / kBits] |= 1UL << (static_cast<size_t>(cpu) % kBits);
      cpus += (cpus.empty() ? "" : ", ") + std::to_string(cpu);
    }
    Op& op = b_.add(OpKind::CpuAffinity, step::kCpuAffinity, "sched_setaffinity(0, {" + cpus + "})");
    op.a = static_cast<int>(plan_.cpuMask.size() * sizeof(unsigned long));
    op.data = plan_.cpuMask.data();
  }
  void oomScoreAdj() {
    if (spec_.oomScoreAdj) writeFile(step::kOomScoreAdj, "/proc/self/oom_score_adj", std::to_string(*spec_.oomScoreAdj));
  }
  void rlimits() {
    for (const Rlimit& r : spec_.rlimits) {
      Op& op = b_.add(OpKind::Rlimit, step::kRlimits,
                      "prlimit64(0, RLIMIT_" + std::string(kernelName(static_cast<uint64_t>(r.resource), kRlimitNames)) + ", {" +
                          limitText(r.limit.soft) + ", " + limitText(r.limit.hard) + "}, NULL)");
      op.a = r.resource;
      op.data = &r.limit;
    }
  }

  const ChildSpec& spec_;
  const std::vector<int>& slotFds_;
  int statusFd_;
  PassOneStart start_;
  const LaunchExtras& extras_;
  Plan& plan_;
  Builder b_;
};

// How the child is made: the method asked for, unless the launch needs another way.
CloneChoice cloneChoice(const ChildSpec& spec) {
  CloneChoice c;
  std::string ns = spec.cloneflags ? "|" + flagNames(spec.cloneflags) : "";
  if (spec.cgroup) {
    c.kind = CloneChoice::Kind::Clone3Fork;
    c.call = "clone3({CLONE_PIDFD|CLONE_INTO_CGROUP" + ns + ", exit_signal SIGCHLD, cgroup})";
    c.why = "a cgroup needs clone3(CLONE_INTO_CGROUP), which glibc has no wrapper for; the lab calls it without "
            "CLONE_VM, as a fork (a CLONE_VM child of clone3 must switch stacks in assembly)";
    if (spec.method == Method::Fork) c.why.clear();
    return c;
  }
  bool labMaps = mapsByLab(spec);
  if (spec.method == Method::Fork) {
    c.kind = CloneChoice::Kind::Fork;
    c.call = "clone(CLONE_PIDFD" + ns + "|SIGCHLD)";
    return c;
  }
  if (labMaps || spec.ptrace) {
    c.kind = CloneChoice::Kind::VmBeside;
    c.call = "clone(CLONE_VM|CLONE_PIDFD" + ns + "|SIGCHLD) on a stack of its own";
    c.why = labMaps ? "a new user namespace needs its ID maps written by the lab while the child waits, which "
                        "CLONE_VFORK would not allow (the lab would be suspended until the exec): so CLONE_VM "
                        "without CLONE_VFORK, as Go uses fork here"
                      : "a traced child stops before its exec, and the lab, its tracer, must stay free to answer: so "
                        "CLONE_VM without CLONE_VFORK";
    return c;
  }
  c.kind = CloneChoice::Kind::VforkWait;
  c.call = "clone(CLONE_VM|CLONE_VFORK|CLONE_PIDFD" + ns + "|SIGCHLD)";
  return c;
}

}  // namespace

Plan planChild(const ChildSpec& spec, const std::vector<int>& slotFds, int statusFd,
               PassOneStart start, const LaunchExtras& extras) {
  Plan plan;
  plan.clone = cloneChoice(spec);
  StepPlanner steps(spec, slotFds, statusFd, start, extras, plan);
  if (spec.order == Order::Go) {
    for (Step step : kGoOrder) steps.add(step);
  } else {
    for (Step step : kSeedOrder) steps.add(step);
  }
  return plan;
}

}  // namespace proclab
