// The launch as the seed writes it: syscall.ForkExec with a ProcAttr, whose Files index is
// the child's fd (^uintptr(0), Go's -1: closed), then Wait4.
import type { NormalizedProfile } from '../profile';
import { header, slotsOf, stdinBytes, unsupported, xEscaped, type ExportedCode, type Slot } from './common';
import { goOpenFlags, GO_HELPERS, GO_REASONS, GO_SUPPORTED, goEnv, goImports, goNeedsLookup, goPath, GO_LOOK_PATH, goStart, goStrings } from './go-attr';

// The uintptr for one child fd, with the lines that make it and those that run after the fork.
function fileFor(slot: Slot, p: NormalizedProfile): { expr: string; before: string[]; after: string[] } {
  const s = slot.source;
  const v = `f${slot.fd}`;
  switch (s.kind) {
    case 'null':
      return { expr: `${v}.Fd()`, before: [`${v} := must(os.OpenFile("/dev/null", os.O_RDWR, 0))`], after: [`${v}.Close()`] };
    case 'file':
      return { expr: `${v}.Fd()`, before: [`${v} := must(os.OpenFile(${xEscaped(s.path)}, ${goOpenFlags(s)}, 0666))`], after: [`${v}.Close()`] };
    case 'inherit':
      return { expr: `${s.fd}`, before: [], after: [] };
    case 'closed':
      return { expr: '^uintptr(0)', before: [], after: [] };
    case 'pipe': {
      const stdin = s.role === 'stdin';
      const [child, ours] = stdin ? [`r${slot.fd}`, `w${slot.fd}`] : [`w${slot.fd}`, `r${slot.fd}`];
      const work = stdin
        ? `${ours}.Write([]byte(${xEscaped(stdinBytes(p))})); ${ours}.Close()`
        : `io.Copy(os.${s.role === 'stderr' ? 'Stderr' : 'Stdout'}, ${ours})`;
      return {
        expr: `${child}.Fd()`,
        before: [`r${slot.fd}, w${slot.fd} := must2(os.Pipe())`],
        after: [`${child}.Close() // the child has its copy`, 'copies.Add(1)', `go func() { defer copies.Done(); ${work} }()`],
      };
    }
  }
}

export function exportGoSyscall(p: NormalizedProfile): ExportedCode {
  const gaps = unsupported(p, GO_SUPPORTED, GO_REASONS, 'go-syscall');
  const slots = slotsOf(p);
  const files = slots.map((s) => ({ slot: s, ...fileFor(s, p) }));
  const hasPipe = slots.some((s) => s.source.kind === 'pipe');
  const code = `${header(p, '//', [
    'Build: go build -o launch main.go (Go 1.19 or newer, standard library only). Run: ./launch',
    "syscall.ForkExec as the seed uses it: Files[i] becomes the child's fd i. It copies the pipes",
    "the lab would capture to its own stdout and stderr, and exits with the child's status (a",
    "child killed by signal n: 128+n). A launch that fails before the exec exits 253, as the lab's child.",
  ])}
package main

import (
${goImports(['fmt', 'os', 'strconv', 'strings', 'sync', 'syscall'], { io: slots.some((s) => s.source.kind === 'pipe' && s.source.role !== 'stdin'), time: p.timeoutMs !== undefined, 'path/filepath': goNeedsLookup(p) })}
)
${hasPipe ? `
func must2(r, w *os.File, err error) (*os.File, *os.File) {
	must(0, err)
	return r, w
}
` : ''}${GO_HELPERS}${goNeedsLookup(p) ? GO_LOOK_PATH : ''}
func main() {
	closeStrays()
	var copies sync.WaitGroup
	env := ${goEnv(p)}
	path := ${goPath(p)}
	args := ${goStrings(p.args)}
${files.flatMap((f) => f.before).map((l) => `\t${l}`).join('\n')}
	attr := &syscall.ProcAttr{
${p.dir ? `\t\tDir:   ${xEscaped(p.dir)},\n` : ''}		Env:   env,
		Files: []uintptr{${files.map((f) => f.expr).join(', ')}},
${goStart(p, gaps, 'Sys', 'pid, startErr := syscall.ForkExec(path, args, attr)')}
${files.flatMap((f) => f.after).map((l) => `\t${l}`).join('\n')}
${p.timeoutMs !== undefined ? `\ttime.AfterFunc(${p.timeoutMs}*time.Millisecond, func() { syscall.Kill(pid, syscall.SIGKILL) }) // timeoutMs\n` : ''}	var ws syscall.WaitStatus
	for {
		if _, err := syscall.Wait4(pid, &ws, 0, nil); err != syscall.EINTR {
			break
		}
	}
	copies.Wait()
	exitLikeChild(ws)
}
`;
  return { lang: 'go-syscall', code, gaps, fileName: 'main.go' };
}
