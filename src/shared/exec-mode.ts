// proclab exec (the seed's Exec): the process replaces itself with the program, so no lab is
// left to read a pipe, drive a terminal, trace, time or stop the child. What each such field
// becomes there, decided once: the CLI, the library and the app's Exec view all read it here
// (README, "proclab exec").
import type { Problem } from './problems';
import type { FileSpec, NormalizedProfile } from './profile';

export interface ExecMode {
  /** The files the helper gets: a pipe on 0, 1 or 2 becomes this process's own fd. */
  files: FileSpec[];
  /** Fields exec cannot honour: the profile is refused (exit 2), nothing runs. */
  errors: Problem[];
  /** What exec does differently from a launch, said on stderr before it replaces itself. */
  notes: Problem[];
}

const NO_LAB = 'exec replaces this process with the program, so no lab is left';

function execFile(file: FileSpec, fd: number, mode: ExecMode): FileSpec {
  const path = `files[${fd}]`;
  if (file.type === 'pty') {
    mode.errors.push({ path, message: `a pseudo-terminal's other end is the lab's, and ${NO_LAB} to drive it: use {"type":"inherit","fd":${fd}} to pass on the terminal proclab exec runs in` });
  }
  if (file.type !== 'pipe') return file;
  if (fd > 2) {
    mode.errors.push({ path, message: `a pipe is read by the lab, and ${NO_LAB} to read it: use "inherit" or "file"` });
    return file;
  }
  // What `proclab run` does with these pipes: fd 0 gets its input, 1 and 2 go to its own.
  mode.notes.push({ path, message: `a pipe is read by the lab, and ${NO_LAB}: the program gets this process's own fd ${fd}, where proclab run would ${fd === 0 ? 'forward its input from' : 'show the output'}` });
  return { type: 'inherit', fd };
}

export function execMode(profile: NormalizedProfile): ExecMode {
  const mode: ExecMode = { files: [], errors: [], notes: [] };
  mode.files = profile.files.map((file, fd) => execFile(file, fd, mode));
  if (profile.stdin !== undefined) {
    mode.errors.push({ path: 'stdin', message: `${NO_LAB} to write the text to fd 0: pipe it into proclab exec instead (printf ... | proclab exec FILE)` });
  }
  if (profile.timeoutMs !== undefined) {
    mode.errors.push({ path: 'timeoutMs', message: `${NO_LAB} to time the program: run proclab exec under timeout(1) instead` });
  }
  if (profile.sys.ptrace) {
    mode.errors.push({ path: 'sys.ptrace', message: `the tracer would be the lab, and ${NO_LAB} to answer the program's stops` });
  }
  if (profile.sys.cgroup) {
    mode.errors.push({ path: 'sys.cgroup', message: "the lab puts a child in a cgroup as it creates it (clone3), and exec creates none: write the pid to the cgroup's cgroup.procs before proclab exec" });
  }
  if (profile.stopScope !== 'child') {
    mode.notes.push({ path: 'stopScope', message: `${NO_LAB} to stop the program: stopScope has no effect` });
  }
  if (profile.waitDelayMs !== undefined) {
    mode.notes.push({ path: 'waitDelayMs', message: `${NO_LAB} to read output: waitDelayMs has no effect` });
  }
  if (!profile.engine.closeOtherFds) {
    // libuv's uv_disable_stdio_inheritance, at Node's start, before any code of the lab's.
    mode.notes.push({ path: 'engine.closeOtherFds', message: "Node marks the descriptors it was started with close-on-exec before the lab runs, so the caller's cannot be told from Node's own: only the files are passed on; name others in files (inherit)" });
  }
  if (profile.sys.cloneflags.length > 0) {
    mode.notes.push({ path: 'sys.cloneflags', message: 'namespaces made by clone need a new process: the program runs as a child of this one, which waits, passes signals on, and ends as it ends (its pid is the child\'s)' });
  }
  return mode;
}
