// What both Go targets (os/exec and syscall.ForkExec) write alike: the SysProcAttr literal,
// the environment, and the helpers of the generated program. Debian's Go 1.19 builds it.
import { showBytes } from '../bytes';
import { CAPABILITIES } from '../engine-names';
import type { NormalizedProfile } from '../profile';
import { gapComments, signalNumber, xEscaped, type ExportGap, type Feature, type SlotSource } from './common';

export const GO_SUPPORTED: Feature[] = [
  'timeoutMs', 'sys.setsid', 'sys.setpgid', 'sys.chroot', 'sys.credential', 'sys.pdeathsig', 'sys.noctty', 'sys.setctty',
  'sys.cloneflags', 'sys.unshareflags', 'sys.uidMappings', 'sys.ambientCaps', 'sys.umask',
];

export const GO_REASONS: Partial<Record<Feature, string>> = {
  'sys.cgroup': 'SysProcAttr.UseCgroupFD needs Go 1.20; this export targets Go 1.19',
  'sys.rlimits': "SysProcAttr has no rlimits (and Go 1.21+ puts the NOFILE soft limit back in the child): run the program under prlimit",
  'sys.nice': 'SysProcAttr has no nice: renice the child after Start, or run the program under nice',
  'sys.noNewPrivs': 'SysProcAttr has no no_new_privs: run the program under setpriv --no-new-privs',
  'sys.cpuAffinity': 'SysProcAttr has no CPU affinity: run the program under taskset',
  'sys.oomScoreAdj': 'SysProcAttr has no oom_score_adj: write /proc/PID/oom_score_adj after Start',
  'sys.foreground': "Foreground takes a parent fd in Ctty (golang/go#29458), which this export does not translate",
  'sys.ptrace': 'Ptrace stops the child at its exec with SIGTRAP; the export writes no tracer to continue it',
};

/** The import block's lines: those always used, and those the profile needs; Go refuses an unused import. */
export function goImports(always: readonly string[], when: Record<string, boolean>): string {
  const used = [...always, ...Object.keys(when).filter((k) => when[k])].sort();
  return used.map((pkg) => `\t${JSON.stringify(pkg)}`).join('\n');
}

/** os.OpenFile's flags for a file slot (Go spells O_CREAT as O_CREATE). */
export const goOpenFlags = (s: Extract<SlotSource, { kind: 'file' }>) =>
  [s.access, ...s.flags].map((f) => `os.${f === 'O_CREAT' ? 'O_CREATE' : f}`).join('|');

/** A []string literal of byte-exact strings. */
export const goStrings = (values: readonly Parameters<typeof xEscaped>[0][]) => `[]string{${values.map(xEscaped).join(', ')}}`;

/** The SysProcAttr fields the profile sets, one `Name: value,` per line. */
function sysProcAttrFields(p: NormalizedProfile): string[] {
  const { sys } = p;
  const lines: string[] = [];
  if (sys.setsid) lines.push('Setsid: true,');
  if (sys.setpgid) lines.push('Setpgid: true,', `Pgid: ${sys.pgid},`);
  if (sys.chroot) lines.push(`Chroot: ${xEscaped(sys.chroot)},`);
  const cred = sys.credential;
  if (cred) lines.push(`Credential: &syscall.Credential{Uid: ${cred.uid}, Gid: ${cred.gid}, Groups: []uint32{${cred.groups.join(', ')}}, NoSetGroups: ${cred.noSetGroups}},`);
  if (sys.pdeathsig) lines.push(`Pdeathsig: syscall.Signal(${signalNumber(sys.pdeathsig)}), // ${sys.pdeathsig}`);
  if (sys.noctty) lines.push('Noctty: true,');
  // Since Go 1.15 Ctty is a child fd for Setctty, as the lab's ctty.
  if (sys.setctty) lines.push('Setctty: true,', `Ctty: ${sys.ctty},`);
  if (sys.cloneflags.length > 0) lines.push(`Cloneflags: ${sys.cloneflags.map((f) => `syscall.${f}`).join(' | ')},`);
  if (sys.unshareflags.length > 0) lines.push(`Unshareflags: ${sys.unshareflags.map((f) => `syscall.${f}`).join(' | ')},`);
  const maps = (m: NormalizedProfile['sys']['uidMappings']) => m.map((x) => `{ContainerID: ${x.containerId}, HostID: ${x.hostId}, Size: ${x.size}}`).join(', ');
  if (sys.uidMappings.length > 0) lines.push(`UidMappings: []syscall.SysProcIDMap{${maps(sys.uidMappings)}},`);
  if (sys.gidMappings.length > 0) lines.push(`GidMappings: []syscall.SysProcIDMap{${maps(sys.gidMappings)}},`, `GidMappingsEnableSetgroups: ${sys.gidMappingsEnableSetgroups},`);
  if (sys.ambientCaps.length > 0) lines.push(`AmbientCaps: []uintptr{${sys.ambientCaps.map((c) => `${CAPABILITIES.indexOf(c)} /* ${c} */`).join(', ')}},`);
  return lines;
}

/** The environment expression: exactly the profile's, or this program's with the profile's on top. */
export function goEnv(p: NormalizedProfile): string {
  const own = goStrings(p.env);
  return p.inheritEnv ? `mergeEnv(os.Environ(), ${own})` : own;
}

/** Whether the program is a name to look up in PATH (no '/'), as exec.LookPath would. */
export const goNeedsLookup = (p: NormalizedProfile) => !showBytes(p.path).includes('/');

/** The program's path expression: the name looked up in the child's PATH when it has no '/'. */
export const goPath = (p: NormalizedProfile) => (goNeedsLookup(p) ? `lookPath(${xEscaped(p.path)}, env)` : xEscaped(p.path));

/** lookPath, for a program name: Go's exec.LookPath searches this program's PATH, the lab the child's. */
export const GO_LOOK_PATH = `
// lookPath finds a program name in the PATH of the child's environment, as the lab does
// (exec.LookPath would search this program's own PATH). Not found: the name, for exec to fail.
func lookPath(name string, env []string) string {
	dirs := ""
	for _, e := range env {
		if strings.HasPrefix(e, "PATH=") {
			dirs = e[len("PATH="):]
		}
	}
	for _, dir := range filepath.SplitList(dirs) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return name
}
`;

/** Go's helpers, used by both targets. */
export const GO_HELPERS = `
// must ends the program when the launch cannot even be prepared.
func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		os.Exit(1)
	}
	return v
}

// mergeEnv: the environment "base", then "own" on top, an entry of the same name replacing
// the earlier one in its place (execve would pass both, and getenv finds the first).
func mergeEnv(base, own []string) []string {
	at := map[string]int{}
	var out []string
	for _, e := range append(base, own...) {
		name, _, _ := strings.Cut(e, "=")
		if i, ok := at[name]; ok {
			out[i] = e
			continue
		}
		at[name] = len(out)
		out = append(out, e)
	}
	return out
}

// closeStrays marks every fd this program inherited above 2 close-on-exec, so that the
// child gets only its files, as the lab's closeOtherFds: Go passes on any fd left open.
func closeStrays() {
	entries, _ := os.ReadDir("/proc/self/fd")
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}

// exitLikeChild exits with the child's status; a child killed by a signal gives 128+n, as
// a shell reports it (the Go runtime owns this program's signal handlers).
func exitLikeChild(ws syscall.WaitStatus) {
	if ws.Signaled() {
		os.Exit(128 + int(ws.Signal()))
	}
	os.Exit(ws.ExitStatus())
}
`;

/** The umask is process-wide: set it around the start (the child inherits it at fork), then put it back. */
function goUmask(p: NormalizedProfile, start: string): string {
  if (p.sys.umask === undefined) return start;
  return `// Go has no umask for the child: set ours across the fork (process-wide, so only
	// in a program like this one that starts nothing else meanwhile), then put it back.
	oldMask := syscall.Umask(0${parseInt(p.sys.umask, 8).toString(8)})
	${start}
	syscall.Umask(oldMask)`;
}

/**
 * The end of the attribute literal (its SysProcAttr, in `field`), the gaps as
 * comments, and the start itself (`start` sets startErr): a failed start exits 253, as the lab's child.
 */
export function goStart(p: NormalizedProfile, gaps: readonly ExportGap[], field: 'Sys' | 'SysProcAttr', start: string): string {
  return `\t\t${field}: &syscall.SysProcAttr{
${sysProcAttrFields(p).map((l) => `\t\t\t${l}`).join('\n')}
\t\t},
\t}
${gapComments(gaps, '//', '\t')}\t${goUmask(p, start)}
\tif startErr != nil {
\t\tfmt.Fprintln(os.Stderr, "launch failed:", startErr)
\t\tos.Exit(253)
\t}`;
}
