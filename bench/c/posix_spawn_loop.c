// The reference spawner for `npm run bench`: glibc's posix_spawn (CLONE_VM|CLONE_VFORK
// since glibc 2.24) + waitpid, of /bin/true with fds 0-2 on /dev/null (as the engine's
// profile files [null, null, null] and child_process's stdio 'ignore').
//
// It first allocates and touches the same host size as the Node hosts, so it is measured
// at each host size too. The child gets this program's environment (the engine's profile
// gives an empty one; child_process passes process.env): a few microseconds at most.
//
//   posix_spawn_loop RSS_MB ROUNDS MAX_ITERS ROUND_BUDGET_MS
//
// Prints one JSON object: the RSS reached and, per round, every launch's latency (ms,
// launch to reaped) as measured with CLOCK_MONOTONIC.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static double nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long statusKb(const char* field) {
  FILE* f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  size_t n = strlen(field);
  while (fgets(line, sizeof line, f))
    if (strncmp(line, field, n) == 0 && line[n] == ':') kb = strtol(line + n + 1, NULL, 10);
  fclose(f);
  return kb;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s RSS_MB ROUNDS MAX_ITERS ROUND_BUDGET_MS\n", argv[0]);
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the bench
  if (getppid() == 1) return 1;
  long rssMb = atol(argv[1]);
  int rounds = atoi(argv[2]);
  int maxIters = atoi(argv[3]);
  double budgetMs = atof(argv[4]);

  // The host's memory: allocated, and every page written (no zero page, no lazy mapping).
  size_t bytes = (size_t)rssMb << 20;
  long base = statusKb("VmRSS");
  size_t want = bytes > (size_t)base * 1024 ? bytes - (size_t)base * 1024 : 0;
  char* ballast = want ? malloc(want) : NULL;
  if (want && !ballast) {
    fprintf(stderr, "malloc(%zu) failed\n", want);
    return 1;
  }
  long page = sysconf(_SC_PAGESIZE);
  for (size_t i = 0; i < want; i += page) ballast[i] = (char)(i / page) | 1;

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int fd = 0; fd < 3; fd++) posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDWR, 0);
  char* childArgv[] = {"true", NULL};

  // Warm-up: page cache, dynamic loader, the first fault on the spawn path.
  for (int i = 0; i < 20; i++) {
    pid_t pid;
    if (posix_spawn(&pid, "/bin/true", &fa, NULL, childArgv, environ) != 0) return 1;
    waitpid(pid, NULL, 0);
  }

  printf("{\"rssKb\":%ld,\"vmPteKb\":%ld,\"rounds\":[", statusKb("VmRSS"), statusKb("VmPTE"));
  for (int r = 0; r < rounds; r++) {
    printf(r ? ",[" : "[");
    double roundStart = nowMs();
    for (int i = 0; i < maxIters && (i < 5 || nowMs() - roundStart < budgetMs); i++) {
      double t0 = nowMs();
      pid_t pid;
      int rc = posix_spawn(&pid, "/bin/true", &fa, NULL, childArgv, environ);
      if (rc != 0) {
        fprintf(stderr, "posix_spawn: %s\n", strerror(rc));
        return 1;
      }
      int st;
      while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
      }
      double ms = nowMs() - t0;
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "/bin/true failed: status %d\n", st);
        return 1;
      }
      printf(i ? ",%.4f" : "%.4f", ms);
    }
    printf("]");
  }
  printf("]}\n");
  if (ballast) ballast[0] ^= 1;  // keep it alive to the end
  return 0;
}
