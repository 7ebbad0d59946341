// The launch as C: fork, the profile's steps in the child in Go's order (as the lab's
// default), execve; libc only. fork/exec rather than posix_spawn, which cannot express
// credentials, chroot, umask or rlimits for the child.
import type { NormalizedProfile } from '../profile';
import { cString, gapComments, header, highestFd, rlimitValue, signalNumber, slotsOf, stdinBytes, unsupported, type ExportedCode, type Feature, type Slot, unshareInChild } from './common';

const SUPPORTED: Feature[] = [
  'sys.setsid', 'sys.setpgid', 'sys.cloneflags', 'sys.unshareflags', 'sys.chroot', 'sys.credential', 'sys.pdeathsig', 'sys.noNewPrivs', 'sys.umask', 'sys.rlimits',
  'timeoutMs', 'sys.nice', 'sys.cpuAffinity', 'sys.oomScoreAdj', 'sys.noctty', 'sys.setctty',
];

const REASONS: Partial<Record<Feature, string>> = {
  'sys.ptrace': 'PTRACE_TRACEME needs a tracer loop in the parent, which the C export does not write',
};

function sourceLine(slot: Slot): string {
  const at = `src[${slot.fd}]`;
  const s = slot.source;
  switch (s.kind) {
    case 'null':
      return `${at} = must(open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY), "open /dev/null");`;
    case 'file':
      return `${at} = must(open(${cString(s.path)}, ${[s.access, ...s.flags, 'O_CLOEXEC', 'O_NOCTTY'].join(' | ')}, 0666), "open files[${slot.fd}]");`;
    case 'inherit':
      return `${at} = must(fcntl(${s.fd}, F_GETFD) < 0 ? -1 : ${s.fd}, "files[${slot.fd}]: fd ${s.fd} is not open");`;
    case 'closed':
      return `${at} = -1;`;
    case 'pipe':
      return s.role === 'stdin' ? `make_pipe(&src[${slot.fd}], &peer[${slot.fd}], 0);` : `make_pipe(&src[${slot.fd}], &peer[${slot.fd}], ${s.role === 'stderr' ? 2 : 1});`;
  }
}

function childSteps(p: NormalizedProfile): string[] {
  const { sys } = p;
  const steps: string[] = [];
  if (sys.setsid) steps.push('step(setsid(), "setsid");');
  if (sys.setpgid) steps.push(`step(setpgid(0, ${sys.pgid}), "setpgid");`);
  // fork makes no namespace: unshare(2) in the child before its exec gives it the same ones.
  const { flags } = unshareInChild(p);
  if (flags.length > 0) steps.push(`step(unshare(${flags.join(' | ')}), "unshare");`);
  // As Go does for CLONE_NEWNS: every mount private, so that nothing propagates back.
  if (flags.includes('CLONE_NEWNS')) steps.push('step(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), "unshare");');
  if (sys.chroot) steps.push(`step(chroot(${cString(sys.chroot)}), "chroot");`);
  const cred = sys.credential;
  if (cred) {
    if (!cred.noSetGroups) steps.push(`{ static const gid_t groups[] = { ${[...cred.groups, 0].join(', ')} }; step(setgroups(${cred.groups.length}, groups), "setgroups"); }`);
    steps.push(`step(setgid(${cred.gid}), "setgid");`, `step(setuid(${cred.uid}), "setuid");`);
  }
  if (p.dir) steps.push(`step(chdir(${cString(p.dir)}), "chdir");`);
  if (sys.pdeathsig) {
    const n = signalNumber(sys.pdeathsig);
    steps.push(`step(prctl(PR_SET_PDEATHSIG, ${n}), "pdeathsig");`, `if (getppid() != parent) raise(${n}); /* the parent is gone already: as Go does */`);
  }
  return steps;
}

function lateSteps(p: NormalizedProfile): string[] {
  const { sys } = p;
  const steps: string[] = [];
  if (sys.noctty) steps.push('step(ioctl(0, TIOCNOTTY), "noctty");');
  if (sys.setctty) steps.push(`step(ioctl(${sys.ctty}, TIOCSCTTY, 0), "setctty");`);
  if (sys.umask !== undefined) steps.push(`umask(0${parseInt(sys.umask, 8).toString(8)});`);
  if (sys.nice !== undefined) steps.push(`step(setpriority(PRIO_PROCESS, 0, ${sys.nice}), "nice");`);
  if (sys.cpuAffinity.length > 0) {
    steps.push(`{ cpu_set_t cpus; CPU_ZERO(&cpus); ${sys.cpuAffinity.map((c) => `CPU_SET(${c}, &cpus);`).join(' ')} step(sched_setaffinity(0, sizeof cpus, &cpus), "cpuAffinity"); }`);
  }
  if (sys.oomScoreAdj !== undefined) {
    steps.push(`{ int fd = step(open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC), "oomScoreAdj"); step(dprintf(fd, "%d", ${sys.oomScoreAdj}), "oomScoreAdj"); close(fd); }`);
  }
  if (sys.noNewPrivs) steps.push('step(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "noNewPrivs");');
  for (const [name, l] of Object.entries(sys.rlimits)) {
    steps.push(`{ struct rlimit r = { ${rlimitValue(l.soft, 'RLIM_INFINITY')}, ${rlimitValue(l.hard, 'RLIM_INFINITY')} }; step(setrlimit(RLIMIT_${name}, &r), "rlimits"); }`);
  }
  return steps;
}

const MAKE_PIPE = `
/* A pipe the lab would capture: the child's end in *child, ours in *ours (read when out, else fed from stdin). */
static void make_pipe(int *child, int *ours, int out)
{
    int p[2];
    must(pipe2(p, O_CLOEXEC), "pipe2");
    *child = out ? p[1] : p[0];
    *ours = out ? p[0] : p[1];
}
`;

// An inherited environment: the program's own, then the profile's entries on top (by name).
const MERGE_ENV = `
/* The program's own environment, then the profile's entries on top, replacing the same names. */
static char **merged_env(char *const *own, size_t n_own_max)
{
    size_t n = 0;
    while (environ[n]) n++;
    char **env = calloc(n + n_own_max + 1, sizeof *env);
    if (!env) { perror("calloc"); exit(1); }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(environ[i], "=");
        int replaced = 0;
        for (size_t j = 0; j < n_own_max; j++) replaced |= strncmp(own[j], environ[i], len + 1) == 0;
        if (!replaced) env[k++] = environ[i];
    }
    for (size_t j = 0; j < n_own_max; j++) env[k++] = own[j];
    return env;
}
`;

export function exportC(p: NormalizedProfile): ExportedCode {
  const gaps = [...unsupported(p, SUPPORTED, REASONS, 'c'), ...unshareInChild(p).gaps];
  const slots = slotsOf(p);
  const n = slots.length;
  const above = highestFd(slots) + 1;
  const input = stdinBytes(p);
  const argv = p.args.map(cString);
  const env = p.env.map(cString);
  const code = `/*
${header(p, ' *', [
  'Build: cc -o launch launch.c   Run: ./launch',
  "It forks, gives the child the profile's setup in Go's order (as the lab does), execs the",
  'program, copies the pipes the lab would capture to its own stdout and stderr, and exits',
  "with the child's status; a child killed by a signal is re-raised on this program.",
  'A failing step ends the child with status 253 after telling the parent which step failed.',
])}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define NFILES ${n}
#define ABOVE_EVERY_FD ${above}
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC 4
#endif

extern char **environ;
static int status_pipe[2];

/* In the child: a failed step tells the parent which (through the close-on-exec status pipe) and ends with 253. */
static int step(int rc, const char *name)
{
    if (rc >= 0) return rc;
    int err = errno;
    dprintf(status_pipe[1], "%s %d", name, err);
    _exit(253);
}

${p.timeoutMs === undefined ? '' : `static volatile pid_t child_pid;
static void on_timeout(int sig)
{
    (void)sig;
    kill(child_pid, SIGKILL);
}

`}static int must(int rc, const char *what)
{
    if (rc < 0) { perror(what); exit(1); }
    return rc;
}

${slots.some((s) => s.source.kind === 'pipe') ? MAKE_PIPE : ''}${env.length > 0 && p.inheritEnv ? MERGE_ENV : ''}
/* Feeds the stdin pipe and copies every output pipe until all are done. */
static void pump(int *peer, const int *out_fd, const char *input, size_t input_len)
{
    struct pollfd fds[NFILES + 1];
    int open_count;
    size_t written = 0;
    for (;;) {
        open_count = 0;
        for (int i = 0; i < NFILES; i++) {
            fds[i].fd = peer[i];
            fds[i].events = out_fd[i] ? POLLIN : POLLOUT;
            if (peer[i] >= 0) open_count++;
        }
        if (open_count == 0) return;
        if (poll(fds, NFILES, -1) < 0) { if (errno == EINTR) continue; perror("poll"); return; }
        for (int i = 0; i < NFILES; i++) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            if (out_fd[i]) {
                char buf[65536];
                ssize_t got = read(peer[i], buf, sizeof buf);
                if (got > 0) { (void)!write(out_fd[i], buf, (size_t)got); continue; }
            } else if (written < input_len) {
                ssize_t put = write(peer[i], input + written, input_len - written);
                if (put > 0) written += (size_t)put;
                if (put > 0 && written < input_len) continue;
            }
            close(peer[i]);
            peer[i] = -1;
        }
    }
}

int main(void)
{
    static char *const argv[] = { ${[...argv, 'NULL'].join(', ')} };
    static char *const own_env[] = { ${[...env, 'NULL'].join(', ')} };
    static const char path[] = ${cString(p.path)};
    static const char input[] = ${cString(input)};
    ${p.inheritEnv ? (env.length > 0 ? `char **envp = merged_env(own_env, ${env.length});` : 'char **envp = environ; /* inheritEnv: the program\'s own environment */') : 'char *const *envp = own_env; /* exactly the profile\'s env */'}
    int src[NFILES + 1], peer[NFILES + 1], out_fd[NFILES + 1];
    for (int i = 0; i <= NFILES; i++) peer[i] = -1, out_fd[i] = 0;
    /* The source of each child fd (-1: closed in the child), opened here, close-on-exec. */
${slots.map((s) => `    ${sourceLine(s)}${s.source.kind === 'pipe' && s.source.role !== 'stdin' ? ` out_fd[${s.fd}] = ${s.source.role === 'stderr' ? 2 : 1};` : ''}`).join('\n')}
${gapComments(gaps, '    //')}    /* Writing to a child that closed its input must not kill us; the child gets SIGPIPE back below. */
    signal(SIGPIPE, SIG_IGN);
    must(pipe2(status_pipe, O_CLOEXEC), "pipe2");
    pid_t parent = getpid();
    (void)parent;
    pid_t pid = must(fork(), "fork");
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
${childSteps(p).map((l) => `        ${l}`).join('\n')}
        /* fd pass 1: every source above every slot and source, so that no dup2 below
           overwrites a source a later slot still needs (golang/go#61751). */
        for (int i = 0; i < NFILES; i++)
            if (src[i] >= 0) src[i] = step(fcntl(src[i], F_DUPFD_CLOEXEC, ABOVE_EVERY_FD), "fd");
        /* pass 2: each source onto its slot (the copy dup2 makes is not close-on-exec); -1 closes it. */
        for (int i = 0; i < NFILES; i++) {
            if (src[i] >= 0) step(dup2(src[i], i), "fd");
            else close(i);
        }
        /* Everything above the slots is closed by execve (the status pipe still works until then). */
        step((int)syscall(SYS_close_range, NFILES, ~0U, CLOSE_RANGE_CLOEXEC), "closefds");
${lateSteps(p).map((l) => `        ${l}`).join('\n')}
        /* execvp looks a name without '/' up in getenv("PATH"): the child's environment first, so
           that it searches the child's PATH, as the lab does (execvpe would search ours). */
        environ = (char **)envp;
        execvp(path, argv);
        step(-1, "execve");
    }
    close(status_pipe[1]);
${p.timeoutMs === undefined ? '' : `    /* timeoutMs: SIGKILL the child after ${p.timeoutMs} ms (a one-shot timer; poll and waitpid go on after EINTR). */
    child_pid = pid;
    signal(SIGALRM, on_timeout);
    struct itimerval timeout = { { 0, 0 }, { ${Math.floor(p.timeoutMs / 1000)}, ${(p.timeoutMs % 1000) * 1000} } };
    setitimer(ITIMER_REAL, &timeout, NULL);
`}    /* The child has its copies: ours go (an inherited fd stays ours). */
${slots.filter((s) => s.source.kind !== 'inherit' && s.source.kind !== 'closed').map((s) => `    close(src[${s.fd}]);`).join('\n')}
    char failed[64] = "";
    ssize_t got = read(status_pipe[0], failed, sizeof failed - 1);
    pump(peer, out_fd, input, sizeof input - 1);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (got > 0) {
        char name[32]; int err = 0;
        failed[got] = 0;
        sscanf(failed, "%31s %d", name, &err);
        fprintf(stderr, "launch failed at %s: %s\\n", name, strerror(err));
    }
    if (WIFSIGNALED(status)) {
        /* Killed by a signal: die of the same signal, so that our parent sees what the child got. */
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}
`;
  return { lang: 'c', code, gaps, fileName: 'launch.c' };
}
