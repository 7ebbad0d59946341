// The launch as Go's os/exec: exec.Cmd with SysProcAttr. Stdin, Stdout and Stderr are child
// fds 0 to 2 and ExtraFiles[i] is child fd 3+i (nil: closed), so fd numbers translate exactly.
import type { NormalizedProfile } from '../profile';
import { header, slotsOf, stdinBytes, unsupported, xEscaped, type ExportedCode, type ExportGap, type Slot } from './common';
import { goOpenFlags, GO_HELPERS, GO_REASONS, GO_SUPPORTED, goEnv, goImports, goNeedsLookup, goPath, GO_LOOK_PATH, goStart, goStrings } from './go-attr';

const STDIO = ['Stdin', 'Stdout', 'Stderr'] as const;

// The *os.File (or reader/writer) for one child fd, with the lines that make it.
function fileFor(slot: Slot, p: NormalizedProfile, gaps: ExportGap[]): { expr: string; before: string[]; after: string[] } {
  const s = slot.source;
  const stdio = slot.fd < 3;
  switch (s.kind) {
    case 'null':
      // Not nil: for a nil Stdin os/exec opens /dev/null read-only, the lab opens it read-write.
      return { expr: 'must(os.OpenFile("/dev/null", os.O_RDWR, 0))', before: [], after: [] };
    case 'file':
      return { expr: `must(os.OpenFile(${xEscaped(s.path)}, ${goOpenFlags(s)}, 0666))`, before: [], after: [] };
    case 'inherit':
      return { expr: `os.NewFile(${s.fd}, "fd ${s.fd}")`, before: [], after: [] };
    case 'closed':
      if (stdio) gaps.push({ field: `files[${slot.fd}]`, text: `os/exec cannot close child fd ${slot.fd}: a nil ${STDIO[slot.fd]} is /dev/null` });
      return { expr: 'nil', before: [], after: [] };
    case 'pipe':
      if (stdio) {
        // A reader or writer that is not an *os.File: os/exec gives the child a pipe and copies it.
        return s.role === 'stdin'
          ? { expr: `bytes.NewReader([]byte(${xEscaped(stdinBytes(p))}))`, before: [], after: [] }
          : { expr: `io.MultiWriter(os.${s.role === 'stderr' ? 'Stderr' : 'Stdout'})`, before: [], after: [] };
      }
      // ExtraFiles take files only: a pipe of our own, copied while the child runs.
      return {
        expr: `w${slot.fd}`,
        before: [`r${slot.fd}, w${slot.fd} := must2(os.Pipe())`, `copies.Add(1)`, `go func() { defer copies.Done(); io.Copy(os.Stdout, r${slot.fd}) }()`],
        after: [`w${slot.fd}.Close() // the child has its copy; EOF comes when it closes its own`],
      };
  }
}

export function exportGo(p: NormalizedProfile): ExportedCode {
  const gaps = unsupported(p, GO_SUPPORTED, GO_REASONS, 'go');
  const slots = slotsOf(p);
  const files = slots.map((s) => ({ slot: s, ...fileFor(s, p, gaps) }));
  if (slots.length < 3) gaps.push({ field: 'files', text: `the profile has ${slots.length} files: os/exec gives the child /dev/null on fds ${slots.length} to 2, where the lab leaves them closed` });
  const stdio = files.filter((f) => f.slot.fd < 3);
  const extra = files.filter((f) => f.slot.fd >= 3);
  const code = `${header(p, '//', [
    'Build: go build -o launch main.go (Go 1.19 or newer, standard library only). Run: ./launch',
    "It starts the program with the profile's setup through os/exec, copies the pipes the lab",
    'would capture to its own stdout and stderr, and exits with the child\'s status (a child',
    'killed by signal n: 128+n). A launch that fails before the exec exits 253, as the lab\'s child.',
  ])}
package main

import (
${goImports(['fmt', 'os', 'os/exec', 'strconv', 'strings', 'sync', 'syscall'], { bytes: files.some((f) => f.expr.startsWith('bytes.')), io: files.some((f) => f.slot.source.kind === 'pipe' && f.slot.source.role !== 'stdin'), time: p.timeoutMs !== undefined, 'path/filepath': goNeedsLookup(p) })}
)

func must2(r, w *os.File, err error) (*os.File, *os.File) {
	must(0, err)
	return r, w
}
${GO_HELPERS}${goNeedsLookup(p) ? GO_LOOK_PATH : ''}
func main() {
	closeStrays()
	var copies sync.WaitGroup
${extra.flatMap((f) => f.before).map((l) => `\t${l}`).join('\n')}
	env := ${goEnv(p)}
	cmd := &exec.Cmd{
		Path: ${goPath(p)},
		Args: ${goStrings(p.args)},
		Env:  env, // never nil: a nil Env would be this program's environment
${p.dir ? `\t\tDir:  ${xEscaped(p.dir)},\n` : ''}${stdio.map((f) => `\t\t${STDIO[f.slot.fd]}: ${f.expr},`).join('\n')}
${extra.length > 0 ? `\t\tExtraFiles: []*os.File{${extra.map((f) => f.expr).join(', ')}}, // child fds 3 to ${2 + extra.length}\n` : ''}${goStart(p, gaps, 'SysProcAttr', 'startErr := cmd.Start()')}
${extra.flatMap((f) => f.after).map((l) => `\t${l}`).join('\n')}
${p.timeoutMs !== undefined ? `\ttime.AfterFunc(${p.timeoutMs}*time.Millisecond, func() { cmd.Process.Kill() }) // timeoutMs: SIGKILL\n` : ''}	cmd.Wait() // its status is in ProcessState, exit or signal alike
	copies.Wait()
	exitLikeChild(cmd.ProcessState.Sys().(syscall.WaitStatus))
}
`;
  return { lang: 'go', code, gaps, fileName: 'main.go' };
}
