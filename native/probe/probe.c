/*
 * proclab_probe: report the process state this program received from whoever
 * exec'd it, as one compact JSON object on one line.
 *
 * Built statically (see native/binding.gyp) so it also runs inside a bare chroot,
 * where /proc and /dev may be missing: fields that need /proc are then null and
 * descriptors are still found by probing them with fcntl().
 *
 * Order matters: descriptors are recorded before the probe opens anything of its
 * own (/proc files, /dev/tty, --out-file), so its own descriptors never show up.
 *
 * Besides the classic state (ids, descriptors, signals), it reports what the modern
 * process attributes give a child: capabilities (capget/prctl, no /proc needed),
 * namespaces, uid/gid maps, cgroup, rlimits, parent-death signal, no_new_privs, nice,
 * CPU affinity and oom_score_adj. What needs /proc is null without it.
 *
 * Options (argv[1..]):
 *   --out FD          write the JSON to descriptor FD instead of 1
 *   --report-fd FD    write the JSON to descriptor FD and leave FD out of the table: the
 *                     lab's private report (a memfd it placed there, issue 10)
 *   --out-file PATH   write the JSON to PATH, a new file (O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
 *   --say FD:TEXT     after the JSON, write TEXT "\n" to FD (repeatable)
 *   --sleep MS        then sleep MS milliseconds
 *   --signal NAME     then kill(getpid(), NAME)  (SIGTERM, TERM or 15)
 *   --exit CODE       finally exit with CODE (default 0)
 *   --quiet           do not write the JSON at all
 *   --                stop option parsing; later arguments are only reported
 * Arguments that do not start with '-' are ignored (they appear in "argv").
 * Unknown options or bad values: message on stderr, exit status 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_FD_SCAN 65536
#define MAX_SIG 64

/* ------------------------------------------------------------------ utilities */

static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dprintf(2, "proclab_probe: ");
    vdprintf(2, fmt, ap);
    dprintf(2, "\n");
    va_end(ap);
    exit(status);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die(1, "out of memory");
    return q;
}

/* readlink() into a fresh NUL-terminated string, or NULL on failure. */
static char *read_link(const char *path)
{
    size_t cap = 256;
    char *buf = NULL;
    for (;;) {
        buf = xrealloc(buf, cap);
        ssize_t n = readlink(path, buf, cap);
        if (n < 0) {
            free(buf);
            return NULL;
        }
        if ((size_t)n < cap) { /* readlink truncates silently: retry if full */
            buf[n] = '\0';
            return buf;
        }
        cap *= 2;
    }
}

/* Whole contents of a (small, /proc) file as a NUL-terminated string, or NULL. */
static char *read_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t len = 0, cap = 4096;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (len + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return buf;
}

/* Strict decimal parse of a non-negative number <= max. */
static bool parse_num(const char *s, long long max, long long *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Write all of buf to fd, retrying short writes and EINTR. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* --------------------------------------------------------------- JSON output */

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static void put_mem(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->data = xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put(Buf *b, const char *s) { put_mem(b, s, strlen(s)); }

static void put_num(Buf *b, long long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", v);
    put(b, tmp);
}

static void put_unum(Buf *b, unsigned long long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%llu", v);
    put(b, tmp);
}

static void put_bool(Buf *b, bool v) { put(b, v ? "true" : "false"); }

/* JSON string: escape '"', '\\' and control bytes; other bytes (including
 * non-UTF-8 ones) pass through unchanged. */
/* The length of the UTF-8 sequence at p, or 0 when the bytes there are not UTF-8 (overlong
 * forms, surrogates and code points past U+10FFFF are not). */
static size_t utf8_sequence(const unsigned char *p)
{
    size_t len = *p >= 0xc2 && *p < 0xe0 ? 2 : *p >= 0xe0 && *p < 0xf0 ? 3 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
    unsigned code = *p & (0xff >> (len + 1));
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return 0; /* also stops at the string's NUL */
        code = (code << 6) | (p[k] & 0x3f);
    }
    unsigned min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (len == 0 || code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
        return 0;
    return len;
}

/* A JSON string. JSON holds text, not bytes: a byte that is not part of UTF-8 is written as
 * the four characters \xNN, as the lab shows such bytes (src/shared/bytes.ts). */
static void put_str(Buf *b, const char *s)
{
    if (!s) {
        put(b, "null");
        return;
    }
    put(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            put_mem(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put(b, esc);
        } else if (*p < 0x80) {
            put_mem(b, (const char *)p, 1);
        } else {
            size_t len = utf8_sequence(p);
            if (len) {
                put_mem(b, (const char *)p, len);
                p += len - 1;
            } else {
                char esc[8];
                snprintf(esc, sizeof esc, "\\\\x%02x", *p);
                put(b, esc);
            }
        }
    }
    put(b, "\"");
}

static void put_key(Buf *b, const char *key)
{
    if (b->len > 0 && b->data[b->len - 1] != '{')
        put(b, ",");
    put_str(b, key);
    put(b, ":");
}

static void put_str_array(Buf *b, char *const *v)
{
    put(b, "[");
    for (size_t i = 0; v && v[i]; i++) {
        if (i)
            put(b, ",");
        put_str(b, v[i]);
    }
    put(b, "]");
}

/* ---------------------------------------------------------- descriptors (fds) */

typedef struct {
    int fd;
    int fdflags; /* F_GETFD */
    int flflags; /* F_GETFL, -1 if unavailable */
    bool have_stat;
    struct stat st;
    bool tty;
    char *target;
} FdInfo;

typedef struct {
    FdInfo *v;
    size_t n;
} FdList;

/* Must run before the probe opens anything. fcntl/fstat/isatty/readlink do not
 * create descriptors, so nothing of ours can appear in the list. */
/* Every open descriptor but `hidden` (-1: none). */
static FdList collect_fds(int hidden)
{
    FdList list = {NULL, 0};
    struct rlimit rl;
    long limit = MAX_FD_SCAN;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)MAX_FD_SCAN)
        limit = (long)rl.rlim_cur;

    size_t cap = 0;
    for (long fd = 0; fd < limit; fd++) {
        int fdflags = fcntl((int)fd, F_GETFD);
        if (fdflags < 0 || fd == hidden)
            continue; /* EBADF: not open */
        if (list.n == cap)
            list.v = xrealloc(list.v, (cap = cap ? cap * 2 : 16) * sizeof *list.v);
        FdInfo *f = &list.v[list.n++];
        memset(f, 0, sizeof *f);
        f->fd = (int)fd;
        f->fdflags = fdflags;
        f->flflags = fcntl((int)fd, F_GETFL);
        f->have_stat = fstat((int)fd, &f->st) == 0;
        f->tty = isatty((int)fd) == 1;
    }
    for (size_t i = 0; i < list.n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", list.v[i].fd);
        list.v[i].target = read_link(path); /* NULL without /proc */
    }
    return list;
}

static const char *fd_type(const FdInfo *f)
{
    if (!f->have_stat)
        return "unknown";
    mode_t m = f->st.st_mode;
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "dir";
    if (S_ISCHR(m)) return "chr";
    if (S_ISBLK(m)) return "blk";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISLNK(m)) return "link"; /* O_PATH|O_NOFOLLOW on a symlink */
    return "unknown";                 /* e.g. anon inodes: eventfd, epoll, ... */
}

static void put_fds(Buf *b, const FdList *list)
{
    put(b, "[");
    for (size_t i = 0; i < list->n; i++) {
        const FdInfo *f = &list->v[i];
        int fl = f->flflags < 0 ? 0 : f->flflags;
        int acc = fl & O_ACCMODE;
        if (i)
            put(b, ",");
        put(b, "{\"fd\":");
        put_num(b, f->fd);
        put(b, ",\"target\":");
        put_str(b, f->target);
        put(b, ",\"cloexec\":");
        put_bool(b, f->fdflags & FD_CLOEXEC);
        put(b, ",\"type\":");
        put_str(b, fd_type(f));
        put(b, ",\"access\":");
        /* O_PATH descriptors report O_RDONLY (0) here. */
        put_str(b, acc == O_WRONLY ? "w" : acc == O_RDWR ? "rw" : "r");
        put(b, ",\"append\":");
        put_bool(b, fl & O_APPEND);
        put(b, ",\"tty\":");
        put_bool(b, f->tty);
        /* Which file this is (fstat), to match it to what the parent passed; null when
         * fstat failed. */
        put(b, ",\"dev\":");
        if (f->have_stat)
            put_unum(b, (unsigned long long)f->st.st_dev);
        else
            put(b, "null");
        put(b, ",\"ino\":");
        if (f->have_stat)
            put_unum(b, (unsigned long long)f->st.st_ino);
        else
            put(b, "null");
        put(b, "}");
    }
    put(b, "]");
}

/* --------------------------------------------------------- controlling terminal */

/* Field 7 (tty_nr) of /proc/self/stat, or -1 when /proc is unavailable.
 * comm (field 2) may contain spaces and ')', so parse from the LAST ')'. */
static long long stat_tty_nr(void)
{
    char *s = read_file("/proc/self/stat");
    if (!s)
        return -1;
    long long tty_nr = -1;
    char *p = strrchr(s, ')');
    /* after ')': state ppid pgrp session tty_nr */
    if (p && sscanf(p + 1, " %*c %*d %*d %*d %lld", &tty_nr) != 1)
        tty_nr = -1;
    free(s);
    return tty_nr;
}

static char *ctty_path(long long tty_nr, const FdList *fds)
{
    /* tty_nr uses the kernel's "new" 32-bit dev encoding:
     * minor low 8 bits in 0-7, major in 8-19, rest of minor in 20-31. */
    unsigned long long v = (unsigned long long)tty_nr;
    unsigned major_nr = (unsigned)((v >> 8) & 0xfff);
    unsigned minor_nr = (unsigned)((v & 0xff) | ((v >> 12) & 0xfff00));
    char tmp[64];

    if (major_nr == 136) { /* UNIX98_PTY_SLAVE_MAJOR: minor is the pts index */
        snprintf(tmp, sizeof tmp, "/dev/pts/%u", minor_nr);
        return strdup(tmp);
    }
    /* Otherwise use the name of one of our descriptors open on that device. */
    for (size_t i = 0; i < fds->n; i++) {
        const FdInfo *f = &fds->v[i];
        if (f->have_stat && S_ISCHR(f->st.st_mode) && f->target &&
            major(f->st.st_rdev) == major_nr && minor(f->st.st_rdev) == minor_nr)
            return strdup(f->target);
    }
    snprintf(tmp, sizeof tmp, "dev:%u:%u", major_nr, minor_nr);
    return strdup(tmp);
}

/* Foreground process group of the controlling tty, or -1.
 * /dev/tty always means "my controlling terminal"; opening it fails with ENXIO
 * when there is none. O_NOCTTY so we never acquire one by accident. */
static long long foreground_pgid(void)
{
    int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    pid_t pg = tcgetpgrp(fd);
    close(fd);
    return pg < 0 ? -1 : (long long)pg;
}

static void put_tty(Buf *b, const FdList *fds)
{
    long long tty_nr = stat_tty_nr();
    char *path = tty_nr > 0 ? ctty_path(tty_nr, fds) : NULL;
    long long fg = foreground_pgid();

    put(b, "{\"ctty\":");
    put_str(b, path);
    put(b, ",\"foregroundPgid\":");
    if (fg < 0)
        put(b, "null");
    else
        put_num(b, fg);
    put(b, "}");
    free(path);
}

/* ------------------------------------------------------------- credentials */

static void put_ids(Buf *b)
{
    put_key(b, "uid");  put_num(b, getuid());
    put_key(b, "euid"); put_num(b, geteuid());
    put_key(b, "gid");  put_num(b, getgid());
    put_key(b, "egid"); put_num(b, getegid());

    put_key(b, "groups");
    put(b, "[");
    int n = getgroups(0, NULL);
    if (n > 0) {
        gid_t *g = xrealloc(NULL, (size_t)n * sizeof *g);
        n = getgroups(n, g);
        for (int i = 0; i < n; i++) {
            if (i)
                put(b, ",");
            put_num(b, g[i]);
        }
        free(g);
    }
    put(b, "]");
}

/* ------------------------------------------------------------ filesystem view */

static void put_fs(Buf *b)
{
    /* glibc's getcwd(NULL, 0) allocates; it fails (ENOENT) when the cwd was
     * deleted or lies outside our root, rather than returning "(unreachable)". */
    char *cwd = getcwd(NULL, 0);
    put_key(b, "cwd");
    put_str(b, cwd);
    free(cwd);

    char *root = read_link("/proc/self/root");
    put_key(b, "root");
    put_str(b, root);
    free(root);

    /* umask can only be read by setting it; put it straight back. */
    mode_t m = umask(0);
    umask(m);
    put_key(b, "umask");
    put_num(b, m);
}

/* ------------------------------------------------------------------ signals */

static const char *const sig_names_std[32] = {
    NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
    "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
    "SIGPWR",  "SIGSYS",
};

/* Name of signal 1..64. 32 and 33 are reserved by glibc (thread cancellation,
 * setxid), so the application-visible SIGRTMIN is 34. */
static const char *sig_name(int sig)
{
    static char buf[MAX_SIG + 1][16];
    if (sig < 1 || sig > MAX_SIG)
        return NULL;
    if (sig < 32)
        return sig_names_std[sig];
    if (!buf[sig][0]) {
        if (sig < 34)
            snprintf(buf[sig], sizeof buf[sig], "SIG%d", sig);
        else if (sig == 34)
            snprintf(buf[sig], sizeof buf[sig], "SIGRTMIN");
        else if (sig == MAX_SIG)
            snprintf(buf[sig], sizeof buf[sig], "SIGRTMAX");
        else
            snprintf(buf[sig], sizeof buf[sig], "SIGRTMIN+%d", sig - 34);
    }
    return buf[sig];
}

/* "SIGTERM", "TERM" or "15" -> 15; 0 if unknown. */
static int sig_parse(const char *s)
{
    long long n;
    if (parse_num(s, MAX_SIG, &n))
        return (int)n;
    for (int sig = 1; sig <= MAX_SIG; sig++) {
        const char *name = sig_name(sig);
        if (strcmp(s, name) == 0 || strcmp(s, name + 3) == 0)
            return sig;
    }
    return 0;
}

/* Current handler of sig: SIG_DFL, SIG_IGN or a function; false if unknown.
 * glibc's sigaction() refuses its internal signals 32/33 (EINVAL), so ask the
 * kernel directly for those. The generic kernel struct starts with the handler
 * (true on x86, arm, riscv...; not on mips/alpha, where this is skipped). */
static bool sig_handler(int sig, void (**handler)(int))
{
    struct sigaction old;
    if (sigaction(sig, NULL, &old) == 0) {
        *handler = old.sa_handler;
        return true;
    }
#if defined(SYS_rt_sigaction) && !defined(__mips__) && !defined(__alpha__)
    struct {
        void (*handler)(int);
        unsigned long rest[16]; /* flags, restorer, mask: room to spare */
    } k;
    if (syscall(SYS_rt_sigaction, sig, NULL, &k, (size_t)8) == 0) {
        *handler = k.handler;
        return true;
    }
#endif
    return false;
}

static void put_sig_list(Buf *b, const bool *set)
{
    put(b, "[");
    bool first = true;
    for (int sig = 1; sig <= MAX_SIG; sig++) {
        if (!set[sig])
            continue;
        if (!first)
            put(b, ",");
        put_str(b, sig_name(sig));
        first = false;
    }
    put(b, "]");
}

static void put_signals(Buf *b)
{
    bool ignored[MAX_SIG + 1] = {false}, blocked[MAX_SIG + 1] = {false},
         caught[MAX_SIG + 1] = {false};

    /* Across exec, caught signals are reset to default; ignored ones and the
     * blocked mask are inherited. Anything "caught" was installed by our libc. */
    for (int sig = 1; sig <= MAX_SIG; sig++) {
        void (*h)(int);
        if (!sig_handler(sig, &h))
            continue;
        ignored[sig] = h == SIG_IGN;
        caught[sig] = h != SIG_IGN && h != SIG_DFL;
    }

    /* Querying the mask returns the kernel's view unfiltered (including 32/33). */
    sigset_t mask;
    sigemptyset(&mask);
    if (sigprocmask(SIG_BLOCK, NULL, &mask) == 0)
        for (int sig = 1; sig <= MAX_SIG; sig++)
            blocked[sig] = sigismember(&mask, sig) == 1;

    put(b, "{\"ignored\":");
    put_sig_list(b, ignored);
    put(b, ",\"blocked\":");
    put_sig_list(b, blocked);
    put(b, ",\"caught\":");
    put_sig_list(b, caught);
    put(b, "}");
}

/* ------------------------------------------------------------------- tracer */

/* TracerPid from /proc/self/status, -1 when /proc is unavailable. */
static long long tracer_pid(void)
{
    char *s = read_file("/proc/self/status");
    if (!s)
        return -1;
    long long pid = -1;
    char *p = strstr(s, "\nTracerPid:");
    if (p && sscanf(p + strlen("\nTracerPid:"), "%lld", &pid) != 1)
        pid = -1;
    free(s);
    return pid;
}

/* ------------------------------------------------------------- capabilities */

#define MAX_CAP 63

static const char *const cap_names[] = {
    "CAP_CHOWN",            "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",           "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",          "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",        "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",       "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",        "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",     "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",            "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",     "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",    "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
#define NCAP_NAMES ((int)(sizeof cap_names / sizeof cap_names[0]))

/* "CAP_NET_BIND_SERVICE", or "CAP_<n>" for a bit this table does not name. */
static const char *cap_name(int cap)
{
    static char buf[MAX_CAP + 1][16];
    if (cap < NCAP_NAMES)
        return cap_names[cap];
    if (!buf[cap][0])
        snprintf(buf[cap], sizeof buf[cap], "CAP_%d", cap);
    return buf[cap];
}

/* The kernel's highest capability: /proc/sys/kernel/cap_last_cap, or (no /proc, in a
 * chroot) the last one PR_CAPBSET_READ accepts: it fails with EINVAL past the last. */
static int cap_last_cap(void)
{
    long long n;
    char *s = read_file("/proc/sys/kernel/cap_last_cap");
    if (s) {
        s[strcspn(s, "\n")] = '\0';
        bool ok = parse_num(s, MAX_CAP, &n);
        free(s);
        if (ok)
            return (int)n;
    }
    int cap = 0;
    while (cap < MAX_CAP && prctl(PR_CAPBSET_READ, (unsigned long)cap + 1, 0, 0, 0) >= 0)
        cap++;
    return cap;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the bits set in `bits`, sorted by name. */
static void put_cap_set(Buf *b, uint64_t bits)
{
    const char *names[MAX_CAP + 1];
    int n = 0;
    for (int cap = 0; cap <= MAX_CAP; cap++)
        if (bits & ((uint64_t)1 << cap))
            names[n++] = cap_name(cap);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    put(b, "[");
    for (int i = 0; i < n; i++) {
        if (i)
            put(b, ",");
        put_str(b, names[i]);
    }
    put(b, "]");
}

/* Each set as a list of names; a set the kernel would not tell is empty (capget and
 * prctl work without /proc; ambient capabilities need Linux 4.3). */
static void put_capabilities(Buf *b)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    uint64_t inh = 0, prm = 0, eff = 0, bnd = 0, amb = 0;
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &hdr, data) == 0) {
        inh = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
        prm = data[0].permitted | (uint64_t)data[1].permitted << 32;
        eff = data[0].effective | (uint64_t)data[1].effective << 32;
    }
    int last = cap_last_cap();
    for (int cap = 0; cap <= last; cap++) {
        if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) == 1)
            bnd |= (uint64_t)1 << cap;
#ifdef PR_CAP_AMBIENT
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (unsigned long)cap, 0, 0) == 1)
            amb |= (uint64_t)1 << cap;
#endif
    }
    put(b, "{\"inheritable\":");
    put_cap_set(b, inh);
    put(b, ",\"permitted\":");
    put_cap_set(b, prm);
    put(b, ",\"effective\":");
    put_cap_set(b, eff);
    put(b, ",\"bounding\":");
    put_cap_set(b, bnd);
    put(b, ",\"ambient\":");
    put_cap_set(b, amb);
    put(b, "}");
}

/* --------------------------------------------------------------- namespaces */

/* Each namespace's inode (stat follows /proc/self/ns/X to the nsfs inode): two
 * processes share a namespace when the numbers match. null without /proc. */
static void put_namespaces(Buf *b)
{
    static const struct {
        const char *key, *file;
    } ns[] = {
        {"user", "user"}, {"pid", "pid"},       {"mnt", "mnt"},
        {"uts", "uts"},   {"ipc", "ipc"},       {"net", "net"},
        {"cgroup", "cgroup"}, {"pidForChildren", "pid_for_children"},
    };
    put(b, "{");
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/proc/self/ns/%s", ns[i].file);
        put_key(b, ns[i].key);
        if (stat(path, &st) == 0)
            put_unum(b, (unsigned long long)st.st_ino);
        else
            put(b, "null");
    }
    put(b, "}");
}

/* ------------------------------------------------------ id maps and cgroup */

/* /proc/self/uid_map or gid_map as [{containerId, hostId, size}], in the file's
 * order; [] when the map is empty (a new user namespace before its map is
 * written), null when it cannot be read. */
static void put_id_map(Buf *b, const char *path)
{
    char *s = read_file(path);
    if (!s) {
        put(b, "null");
        return;
    }
    put(b, "[");
    bool first = true;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long long inside, outside, count;
        if (sscanf(line, "%llu %llu %llu", &inside, &outside, &count) != 3)
            continue;
        if (!first)
            put(b, ",");
        put(b, "{\"containerId\":");
        put_unum(b, inside);
        put(b, ",\"hostId\":");
        put_unum(b, outside);
        put(b, ",\"size\":");
        put_unum(b, count);
        put(b, "}");
        first = false;
    }
    put(b, "]");
    free(s);
}

static void put_id_maps(Buf *b)
{
    put(b, "{\"uid\":");
    put_id_map(b, "/proc/self/uid_map");
    put(b, ",\"gid\":");
    put_id_map(b, "/proc/self/gid_map");
    /* "allow" or "deny": whether setgroups(2) is permitted in this user namespace. */
    char *s = read_file("/proc/self/setgroups");
    const char *setgroups = NULL;
    if (s && strncmp(s, "allow", 5) == 0)
        setgroups = "allow";
    else if (s && strncmp(s, "deny", 4) == 0)
        setgroups = "deny";
    free(s);
    put(b, ",\"setgroups\":");
    put_str(b, setgroups);
    put(b, "}");
}

/* The cgroup v2 path: the "0::PATH" line of /proc/self/cgroup; null without it. */
static void put_cgroup(Buf *b)
{
    char *s = read_file("/proc/self/cgroup");
    const char *path = NULL;
    for (char *line = s ? strtok(s, "\n") : NULL; line; line = strtok(NULL, "\n"))
        if (strncmp(line, "0::", 3) == 0) {
            path = line + 3;
            break;
        }
    put_str(b, path);
    free(s);
}

/* ----------------------------------------------------------------- rlimits */

static const struct {
    const char *name;
    int resource;
} rlimits[] = {
    {"CPU", RLIMIT_CPU},         {"FSIZE", RLIMIT_FSIZE},     {"DATA", RLIMIT_DATA},
    {"STACK", RLIMIT_STACK},     {"CORE", RLIMIT_CORE},       {"RSS", RLIMIT_RSS},
    {"NPROC", RLIMIT_NPROC},     {"NOFILE", RLIMIT_NOFILE},   {"MEMLOCK", RLIMIT_MEMLOCK},
    {"AS", RLIMIT_AS},           {"LOCKS", RLIMIT_LOCKS},     {"SIGPENDING", RLIMIT_SIGPENDING},
    {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},     {"RTPRIO", RLIMIT_RTPRIO},
    {"RTTIME", RLIMIT_RTTIME},
};

static void put_rlim(Buf *b, uint64_t v)
{
    if (v == UINT64_MAX) /* RLIM64_INFINITY */
        put_str(b, "unlimited");
    else
        put_unum(b, v);
}

/* Every resource by name: {soft, hard}, a number or "unlimited"; null when the kernel
 * does not know the resource. prlimit64 gives 64-bit values on every architecture. */
static void put_rlimits(Buf *b)
{
    put(b, "{");
    for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++) {
        struct {
            uint64_t cur, max;
        } lim;
        bool ok = syscall(SYS_prlimit64, 0, rlimits[i].resource, NULL, &lim) == 0;
        struct rlimit rl;
        if (!ok && errno == ENOSYS && getrlimit(rlimits[i].resource, &rl) == 0) {
            ok = true;
            lim.cur = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
            lim.max = rl.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_max;
        }
        put_key(b, rlimits[i].name);
        if (!ok) {
            put(b, "null");
            continue;
        }
        put(b, "{\"soft\":");
        put_rlim(b, lim.cur);
        put(b, ",\"hard\":");
        put_rlim(b, lim.max);
        put(b, "}");
    }
    put(b, "}");
}

/* ------------------------------------------------------- scheduling, misc. */

/* The parent-death signal (PR_SET_PDEATHSIG), by name; null when none. */
static void put_pdeathsig(Buf *b)
{
    int sig = 0;
    if (prctl(PR_GET_PDEATHSIG, (unsigned long)&sig, 0, 0, 0) != 0 || sig == 0)
        put(b, "null");
    else if (sig_name(sig))
        put_str(b, sig_name(sig));
    else
        put_num(b, sig);
}

/* The nice value, -20..19. getpriority() may rightly return -1, so errno tells a
 * failure (null) from nice -1. */
static void put_nice(Buf *b)
{
    errno = 0;
    int prio = getpriority(PRIO_PROCESS, 0);
    if (prio == -1 && errno != 0)
        put(b, "null");
    else
        put_num(b, prio);
}

/* The CPUs this process may run on, ascending. The kernel refuses (EINVAL) a set
 * smaller than its own, so grow it until it fits. */
static void put_cpu_affinity(Buf *b)
{
    put(b, "[");
    for (int ncpu = 1024; ncpu <= (1 << 22); ncpu *= 2) {
        cpu_set_t *set = CPU_ALLOC(ncpu);
        size_t size = CPU_ALLOC_SIZE(ncpu);
        if (!set)
            die(1, "out of memory");
        if (sched_getaffinity(0, size, set) == 0) {
            bool first = true;
            for (int cpu = 0; cpu < ncpu; cpu++) {
                if (!CPU_ISSET_S(cpu, size, set))
                    continue;
                if (!first)
                    put(b, ",");
                put_num(b, cpu);
                first = false;
            }
            CPU_FREE(set);
            break;
        }
        CPU_FREE(set);
        if (errno != EINVAL)
            break;
    }
    put(b, "]");
}

/* /proc/self/oom_score_adj (-1000..1000); null without /proc. */
static void put_oom_score_adj(Buf *b)
{
    char *s = read_file("/proc/self/oom_score_adj");
    long long v;
    if (s && sscanf(s, "%lld", &v) == 1)
        put_num(b, v);
    else
        put(b, "null");
    free(s);
}

/* ------------------------------------------------------------------ options */

typedef struct {
    int fd;
    const char *text;
} Say;

typedef struct {
    int out_fd;           /* default 1 */
    int hidden_fd;        /* --report-fd: left out of the table; -1 */
    const char *out_file; /* overrides out_fd when set (last option wins) */
    bool quiet;
    Say *says;
    size_t nsays;
    long long sleep_ms;   /* 0: no sleep */
    int signal;           /* 0: none */
    int exit_code;
} Options;

static Options parse_options(int argc, char **argv)
{
    Options o = {.out_fd = 1, .hidden_fd = -1};
    long long n;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] != '-' || a[1] == '\0')
            continue; /* plain argument: only reported in "argv" */
        if (strcmp(a, "--quiet") == 0) {
            o.quiet = true;
            continue;
        }
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--out") == 0 || strcmp(a, "--out-file") == 0 || strcmp(a, "--report-fd") == 0 ||
            strcmp(a, "--say") == 0 || strcmp(a, "--sleep") == 0 ||
            strcmp(a, "--exit") == 0 || strcmp(a, "--signal") == 0) {
            if (!val)
                die(2, "%s needs a value", a);
            i++;
        } else {
            die(2, "unknown option: %s", a);
        }

        if (strcmp(a, "--out") == 0 || strcmp(a, "--report-fd") == 0) {
            if (!parse_num(val, INT_MAX, &n))
                die(2, "%s: bad descriptor: %s", a, val);
            o.out_fd = (int)n;
            o.out_file = NULL;
            if (strcmp(a, "--report-fd") == 0)
                o.hidden_fd = (int)n;
        } else if (strcmp(a, "--out-file") == 0) {
            o.out_file = val;
        } else if (strcmp(a, "--say") == 0) {
            const char *colon = strchr(val, ':');
            char num[32];
            size_t len = colon ? (size_t)(colon - val) : 0;
            if (!colon || len == 0 || len >= sizeof num)
                die(2, "--say: expected FD:TEXT, got: %s", val);
            memcpy(num, val, len);
            num[len] = '\0';
            if (!parse_num(num, INT_MAX, &n))
                die(2, "--say: bad descriptor: %s", val);
            o.says = xrealloc(o.says, (o.nsays + 1) * sizeof *o.says);
            o.says[o.nsays++] = (Say){(int)n, colon + 1};
        } else if (strcmp(a, "--sleep") == 0) {
            if (!parse_num(val, LLONG_MAX / 1000000, &n))
                die(2, "--sleep: bad milliseconds: %s", val);
            o.sleep_ms = n;
        } else if (strcmp(a, "--exit") == 0) {
            if (!parse_num(val, 255, &n))
                die(2, "--exit: expected 0..255: %s", val);
            o.exit_code = (int)n;
        } else { /* --signal */
            o.signal = sig_parse(val);
            if (!o.signal)
                die(2, "--signal: unknown signal: %s", val);
        }
    }
    return o;
}

/* --------------------------------------------------------------------- main */

static void sleep_ms(long long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ; /* ts now holds the remaining time */
}

int main(int argc, char **argv)
{
    Options opt = parse_options(argc, argv);

    /* 1. Descriptors first, before we open anything. */
    FdList fds = collect_fds(opt.hidden_fd);

    /* 2. Everything else. */
    Buf b = {NULL, 0, 0};
    put(&b, "{");
    put_key(&b, "pid");  put_num(&b, getpid());
    put_key(&b, "ppid"); put_num(&b, getppid());
    put_key(&b, "pgid"); put_num(&b, getpgid(0));
    put_key(&b, "sid");  put_num(&b, getsid(0));
    put_key(&b, "tty");  put_tty(&b, &fds);
    put_ids(&b);
    put_fs(&b);
    put_key(&b, "fds");  put_fds(&b, &fds);
    put_key(&b, "signals"); put_signals(&b);
    long long tracer = tracer_pid();
    put_key(&b, "tracer");
    if (tracer < 0)
        put(&b, "null");
    else
        put_num(&b, tracer);
    put_key(&b, "capabilities"); put_capabilities(&b);
    put_key(&b, "namespaces");   put_namespaces(&b);
    put_key(&b, "idMaps");       put_id_maps(&b);
    put_key(&b, "cgroup");       put_cgroup(&b);
    put_key(&b, "rlimits");      put_rlimits(&b);
    put_key(&b, "pdeathsig");    put_pdeathsig(&b);
    put_key(&b, "noNewPrivs");   put_bool(&b, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
    put_key(&b, "nice");         put_nice(&b);
    put_key(&b, "cpuAffinity");  put_cpu_affinity(&b);
    put_key(&b, "oomScoreAdj");  put_oom_score_adj(&b);
    put_key(&b, "env");  put_str_array(&b, environ);
    put_key(&b, "argv"); put_str_array(&b, argc > 0 ? argv : NULL);
    put(&b, "}\n");

    /* 3. Output. */
    if (!opt.quiet) {
        int fd = opt.out_fd;
        if (opt.out_file) {
            /* A new file only, never through a link: a path in a shared folder could be planted. */
            fd = open(opt.out_file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd < 0)
                die(1, "cannot open %s: %s", opt.out_file, strerror(errno));
        }
        if (write_all(fd, b.data, b.len) < 0)
            die(1, "cannot write JSON to fd %d: %s", fd, strerror(errno));
        if (opt.out_file)
            close(fd);
    }
    for (size_t i = 0; i < opt.nsays; i++) {
        size_t len = strlen(opt.says[i].text);
        char *line = xrealloc(NULL, len + 1);
        memcpy(line, opt.says[i].text, len);
        line[len] = '\n';
        (void)write_all(opt.says[i].fd, line, len + 1); /* errors ignored */
        free(line);
    }

    /* 4. Then linger, signal ourselves, exit. */
    if (opt.sleep_ms > 0)
        sleep_ms(opt.sleep_ms);
    if (opt.signal)
        kill(getpid(), opt.signal); /* SIGSTOP: execution resumes here on SIGCONT */
    return opt.exit_code;
}
