// The reference reader for `npm run bench`'s output throughput: a pipe, fork/exec of
// `head -c BYTES /dev/zero` with its stdout on the pipe, read 64 KiB at a time until EOF,
// waitpid. One round is timed from before pipe() to after waitpid(), as the engine's is
// from launch() to its result.
//
//   read_loop BYTES ROUNDS
//
// Prints one JSON object: per round, the bytes read and the milliseconds it took.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s BYTES ROUNDS\n", argv[0]);
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the bench
  if (getppid() == 1) return 1;
  const char* bytesArg = argv[1];
  int rounds = atoi(argv[2]);
  static char buf[64 * 1024];

  printf("{\"rounds\":[");
  for (int r = 0; r < rounds; r++) {
    double t0 = nowMs();
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) return 1;
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      dup2(p[1], 1);
      execl("/usr/bin/head", "head", "-c", bytesArg, "/dev/zero", (char*)NULL);
      execlp("head", "head", "-c", bytesArg, "/dev/zero", (char*)NULL);
      _exit(127);
    }
    close(p[1]);
    long long total = 0;
    for (;;) {
      ssize_t n = read(p[0], buf, sizeof buf);
      if (n > 0) total += n;
      else if (n == 0) break;
      else if (errno != EINTR) return 1;
    }
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    double ms = nowMs() - t0;
    printf("%s{\"bytes\":%lld,\"ms\":%.3f,\"status\":%d}", r ? "," : "", total, ms, st);
  }
  printf("]}\n");
  return 0;
}
