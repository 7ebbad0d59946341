// The Linux signal table (x86_64 and generic numbering): names exactly as bash's `kill -l`
// prints them, descriptions exactly as glibc's strsignal.
//
// SIGNALS was generated once, on x86_64 with glibc 2.36, bash 5.2 and Python 3.11, by:
//
//   import ctypes, re, subprocess
//   libc = ctypes.CDLL('libc.so.6'); libc.strsignal.restype = ctypes.c_char_p
//   listing = subprocess.run(['bash', '-c', 'kill -l'], capture_output=True, text=True).stdout
//   for number, name in re.findall(r'(\d+)\) (\S+)', listing):
//       description = libc.strsignal(int(number)).decode()
//       print(f"  {{ number: {number}, name: '{name}', description: '{description}' }},")
//
// 32 and 33 are missing on purpose: glibc keeps them for its threads, and SIGRTMIN is 34.
// Real-time signals are named from both ends, as glibc does: 34..49 are SIGRTMIN+n,
// 50..64 are SIGRTMAX-n.

export interface SignalInfo {
  number: number;
  /** As `kill -l` prints it, e.g. "SIGTERM", "SIGRTMIN+3". */
  name: string;
  /** glibc's strsignal text, e.g. "Terminated". */
  description: string;
}

export const SIGNALS: readonly SignalInfo[] = [
  { number: 1, name: 'SIGHUP', description: 'Hangup' },
  { number: 2, name: 'SIGINT', description: 'Interrupt' },
  { number: 3, name: 'SIGQUIT', description: 'Quit' },
  { number: 4, name: 'SIGILL', description: 'Illegal instruction' },
  { number: 5, name: 'SIGTRAP', description: 'Trace/breakpoint trap' },
  { number: 6, name: 'SIGABRT', description: 'Aborted' },
  { number: 7, name: 'SIGBUS', description: 'Bus error' },
  { number: 8, name: 'SIGFPE', description: 'Floating point exception' },
  { number: 9, name: 'SIGKILL', description: 'Killed' },
  { number: 10, name: 'SIGUSR1', description: 'User defined signal 1' },
  { number: 11, name: 'SIGSEGV', description: 'Segmentation fault' },
  { number: 12, name: 'SIGUSR2', description: 'User defined signal 2' },
  { number: 13, name: 'SIGPIPE', description: 'Broken pipe' },
  { number: 14, name: 'SIGALRM', description: 'Alarm clock' },
  { number: 15, name: 'SIGTERM', description: 'Terminated' },
  { number: 16, name: 'SIGSTKFLT', description: 'Stack fault' },
  { number: 17, name: 'SIGCHLD', description: 'Child exited' },
  { number: 18, name: 'SIGCONT', description: 'Continued' },
  { number: 19, name: 'SIGSTOP', description: 'Stopped (signal)' },
  { number: 20, name: 'SIGTSTP', description: 'Stopped' },
  { number: 21, name: 'SIGTTIN', description: 'Stopped (tty input)' },
  { number: 22, name: 'SIGTTOU', description: 'Stopped (tty output)' },
  { number: 23, name: 'SIGURG', description: 'Urgent I/O condition' },
  { number: 24, name: 'SIGXCPU', description: 'CPU time limit exceeded' },
  { number: 25, name: 'SIGXFSZ', description: 'File size limit exceeded' },
  { number: 26, name: 'SIGVTALRM', description: 'Virtual timer expired' },
  { number: 27, name: 'SIGPROF', description: 'Profiling timer expired' },
  { number: 28, name: 'SIGWINCH', description: 'Window changed' },
  { number: 29, name: 'SIGIO', description: 'I/O possible' },
  { number: 30, name: 'SIGPWR', description: 'Power failure' },
  { number: 31, name: 'SIGSYS', description: 'Bad system call' },
  { number: 34, name: 'SIGRTMIN', description: 'Real-time signal 0' },
  { number: 35, name: 'SIGRTMIN+1', description: 'Real-time signal 1' },
  { number: 36, name: 'SIGRTMIN+2', description: 'Real-time signal 2' },
  { number: 37, name: 'SIGRTMIN+3', description: 'Real-time signal 3' },
  { number: 38, name: 'SIGRTMIN+4', description: 'Real-time signal 4' },
  { number: 39, name: 'SIGRTMIN+5', description: 'Real-time signal 5' },
  { number: 40, name: 'SIGRTMIN+6', description: 'Real-time signal 6' },
  { number: 41, name: 'SIGRTMIN+7', description: 'Real-time signal 7' },
  { number: 42, name: 'SIGRTMIN+8', description: 'Real-time signal 8' },
  { number: 43, name: 'SIGRTMIN+9', description: 'Real-time signal 9' },
  { number: 44, name: 'SIGRTMIN+10', description: 'Real-time signal 10' },
  { number: 45, name: 'SIGRTMIN+11', description: 'Real-time signal 11' },
  { number: 46, name: 'SIGRTMIN+12', description: 'Real-time signal 12' },
  { number: 47, name: 'SIGRTMIN+13', description: 'Real-time signal 13' },
  { number: 48, name: 'SIGRTMIN+14', description: 'Real-time signal 14' },
  { number: 49, name: 'SIGRTMIN+15', description: 'Real-time signal 15' },
  { number: 50, name: 'SIGRTMAX-14', description: 'Real-time signal 16' },
  { number: 51, name: 'SIGRTMAX-13', description: 'Real-time signal 17' },
  { number: 52, name: 'SIGRTMAX-12', description: 'Real-time signal 18' },
  { number: 53, name: 'SIGRTMAX-11', description: 'Real-time signal 19' },
  { number: 54, name: 'SIGRTMAX-10', description: 'Real-time signal 20' },
  { number: 55, name: 'SIGRTMAX-9', description: 'Real-time signal 21' },
  { number: 56, name: 'SIGRTMAX-8', description: 'Real-time signal 22' },
  { number: 57, name: 'SIGRTMAX-7', description: 'Real-time signal 23' },
  { number: 58, name: 'SIGRTMAX-6', description: 'Real-time signal 24' },
  { number: 59, name: 'SIGRTMAX-5', description: 'Real-time signal 25' },
  { number: 60, name: 'SIGRTMAX-4', description: 'Real-time signal 26' },
  { number: 61, name: 'SIGRTMAX-3', description: 'Real-time signal 27' },
  { number: 62, name: 'SIGRTMAX-2', description: 'Real-time signal 28' },
  { number: 63, name: 'SIGRTMAX-1', description: 'Real-time signal 29' },
  { number: 64, name: 'SIGRTMAX', description: 'Real-time signal 30' },
];

/** Older names for the same numbers, still accepted by kill(1). */
const ALIASES: Readonly<Record<string, string>> = {
  SIGIOT: 'SIGABRT',
  SIGCLD: 'SIGCHLD',
  SIGPOLL: 'SIGIO',
};

const byNumber = new Map(SIGNALS.map((s) => [s.number, s]));
const byName = new Map(SIGNALS.map((s) => [s.name, s]));

export function signalByNumber(n: number): SignalInfo | undefined {
  return byNumber.get(n);
}

/** Accepts "TERM", "SIGTERM" and "sigterm" alike, and "RTMIN+3"; also SIGIOT, SIGCLD, SIGPOLL. */
export function signalByName(name: string): SignalInfo | undefined {
  const upper = name.toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return byName.get(ALIASES[full] ?? full);
}

/** Always answers: unknown numbers read as `SIG${n}`, "Unknown signal n" (glibc's wording). */
export function describeSignal(n: number): SignalInfo {
  return byNumber.get(n) ?? { number: n, name: `SIG${n}`, description: `Unknown signal ${n}` };
}

// signal(7)'s "Standard signals" table: what a signal does with its default disposition.
const CORE = ['SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGXCPU', 'SIGXFSZ', 'SIGSYS'];
const STOP = ['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'];
const IGNORE = ['SIGCHLD', 'SIGURG', 'SIGWINCH'];

/** A signal's default action (signal(7)): terminate, core (terminate and dump core), stop, continue, or ignore. */
export function defaultAction(name: string): 'terminate' | 'core' | 'stop' | 'continue' | 'ignore' {
  if (CORE.includes(name)) return 'core';
  if (STOP.includes(name)) return 'stop';
  if (IGNORE.includes(name)) return 'ignore';
  return name === 'SIGCONT' ? 'continue' : 'terminate';
}
