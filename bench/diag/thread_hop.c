// A diagnostic, not part of `npm run bench` (docs/performance.md, "Where the time goes"):
// what the engine's shape costs by itself, with no Node and no engine code. The same
// posix_spawn of /bin/true, timed launch to reaped, two ways, interleaved:
//   direct  on the calling thread: posix_spawn + waitpid (the C loop of the bench);
//   hop     as the engine does it: the caller posts the launch to a long-lived spawner
//           thread (eventfd) and sleeps in epoll (as libuv does); the spawner clones,
//           waits for the pidfd in its own epoll, reaps and posts back (eventfd).
//
//   thread_hop ITERS      prints the median of each, in microseconds
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char* childArgv[] = {"true", NULL};
static char* childEnv[] = {NULL};
static posix_spawn_file_actions_t fa;
static int toSpawner, toCaller;

static double nowUs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void spawnAndWait(int usePidfd, int ep) {
  pid_t pid;
  if (posix_spawn(&pid, "/bin/true", &fa, NULL, childArgv, childEnv) != 0) exit(1);
  if (usePidfd) {
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, pidfd, &ev);
    struct epoll_event out;
    while (epoll_wait(ep, &out, 1, -1) < 1) {
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, pidfd, NULL);
    close(pidfd);
  }
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
}

static void* spawner(void* unused) {
  (void)unused;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int inbox = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN};
  epoll_ctl(inbox, EPOLL_CTL_ADD, toSpawner, &ev);
  for (;;) {
    struct epoll_event out;
    if (epoll_wait(inbox, &out, 1, -1) < 1) continue;
    uint64_t n;
    if (read(toSpawner, &n, sizeof n) != sizeof n) continue;
    spawnAndWait(1, ep);
    uint64_t one = 1;
    if (write(toCaller, &one, sizeof one) != sizeof one) exit(1);
  }
  return NULL;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int iters = argc > 1 ? atoi(argv[1]) : 1000;
  posix_spawn_file_actions_init(&fa);
  for (int fd = 0; fd < 3; fd++) posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDWR, 0);
  toSpawner = eventfd(0, EFD_CLOEXEC);
  toCaller = eventfd(0, EFD_CLOEXEC);
  int callerEp = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN};
  epoll_ctl(callerEp, EPOLL_CTL_ADD, toCaller, &ev);
  pthread_t t;
  pthread_create(&t, NULL, spawner, NULL);

  double* direct = malloc(sizeof(double) * iters);
  double* hop = malloc(sizeof(double) * iters);
  for (int i = -20; i < iters; i++) {
    double t0 = nowUs();
    spawnAndWait(0, -1);
    double t1 = nowUs();
    uint64_t one = 1, n;
    if (write(toSpawner, &one, sizeof one) != sizeof one) return 1;
    struct epoll_event out;
    while (epoll_wait(callerEp, &out, 1, -1) < 1) {
    }
    if (read(toCaller, &n, sizeof n) != sizeof n) return 1;
    double t2 = nowUs();
    if (i >= 0) {
      direct[i] = t1 - t0;
      hop[i] = t2 - t1;
    }
  }
  qsort(direct, iters, sizeof(double), cmp);
  qsort(hop, iters, sizeof(double), cmp);
  printf("{\"iters\":%d,\"directUs\":%.1f,\"hopUs\":%.1f}\n", iters, direct[iters / 2], hop[iters / 2]);
  return 0;
}
