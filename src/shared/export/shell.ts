// The launch as a shell line: redirections in the lab's own two passes (`5>&2` copies up,
// then `1<file`, `2>&5`, `3>&-`), wrappers for the steps (setsid, chroot, prlimit, nice,
// setpriv, taskset, choom, a umask shim), `env -i` for an exact environment.
import { bytesOf, showBytes, type Bytes } from '../bytes';
import type { NormalizedProfile } from '../profile';
import { byteLiteral, header, highestFd, isText, slotsOf, stdinBytes, unsupported, type ExportedCode, type ExportGap, type Feature, type Slot } from './common';

const SUPPORTED: Feature[] = [
  'sys.setsid', 'sys.cloneflags', 'sys.unshareflags', 'sys.chroot', 'sys.credential', 'sys.noNewPrivs', 'sys.pdeathsig', 'sys.rlimits', 'sys.nice', 'sys.umask', 'sys.cpuAffinity', 'sys.oomScoreAdj',
];

const REASONS: Partial<Record<Feature, string>> = {
  timeoutMs: 'timeout(1) would stand between the shell and the program, in a process group of its own: not used',
  'sys.setpgid': 'no wrapper makes a process group alone (setsid makes a session too)',
  'sys.uidMappings': 'unshare(1) maps one id at most (--map-user, --map-group): the maps are not exported',
};

/** A word for sh: single-quoted text, or printf's octal escapes for bytes that are not text. */
export function shellWord(value: Bytes | Uint8Array): string {
  const bytes = value instanceof Uint8Array ? value : bytesOf(value);
  // Inside single quotes every character stands for itself, but a quote; a newline too, which a reader may not notice.
  if (!(value instanceof Uint8Array) && isText(value) && !bytes.some((b) => b < 0x20 && b !== 0x09)) return `'${showBytes(value).replaceAll("'", "'\\''")}'`;
  return `"$(printf '${octalEscaped(bytes)}')"`;
}

/** printf's format with every byte that is not plain ASCII as \ooo (and %, \ and ' escaped). */
const octalEscaped = (bytes: Uint8Array) => byteLiteral(bytes, "%\\'", (b) => `\\${b.toString(8).padStart(3, '0')}`);

// A file slot as a redirection: sh's operators open with fixed flags, so the nearest is used
// (never one that truncates where the lab would not) and a gap says what differs.
function fileRedirection(slot: Slot & { source: { kind: 'file' } }, gaps: ExportGap[]): string {
  const { access, flags, path } = slot.source;
  const key = [access, ...flags].join('|');
  const exact: Record<string, string> = {
    O_RDONLY: '<',
    'O_RDWR|O_CREAT': '<>',
    'O_WRONLY|O_CREAT|O_TRUNC': '>',
    'O_WRONLY|O_APPEND|O_CREAT': '>>',
  };
  let op = exact[key];
  if (!op) {
    op = flags.includes('O_APPEND') ? '>>' : flags.includes('O_TRUNC') ? '>' : access === 'O_RDONLY' ? '<' : '<>';
    gaps.push({ field: `files[${slot.fd}]`, text: `sh has no redirection that opens with ${key}: \`${op}\` is used (${{ '<': 'O_RDONLY', '<>': 'O_RDWR|O_CREAT', '>': 'O_WRONLY|O_CREAT|O_TRUNC', '>>': 'O_WRONLY|O_APPEND|O_CREAT' }[op]})` });
  }
  return `${slot.fd}${op}${shellWord(path)}`;
}

// The redirections, in the lab's two passes: every inherited source first copied to a
// scratch fd above all the slots (so that no later redirection overwrites a source a slot
// still needs, golang/go#61751), then each slot from its source, then the scratch fds closed.
function redirections(p: NormalizedProfile, gaps: ExportGap[]): string[] {
  const slots = slotsOf(p);
  let scratch = highestFd(slots) + 1;
  const firstPass: string[] = [];
  const secondPass: string[] = [];
  const scratchFds: number[] = [];
  const copyUp = (fd: number) => {
    const at = scratch++;
    firstPass.push(`${at}>&${fd}`);
    scratchFds.push(at);
    return at;
  };
  for (const slot of slots) {
    const s = slot.source;
    if (s.kind === 'inherit' && s.fd !== slot.fd) secondPass.push(`${slot.fd}>&${copyUp(s.fd)}`);
    else if (s.kind === 'null') secondPass.push(`${slot.fd}<>/dev/null`);
    else if (s.kind === 'file') secondPass.push(fileRedirection(slot as Slot & { source: { kind: 'file' } }, gaps));
    else if (s.kind === 'closed') secondPass.push(`${slot.fd}>&-`);
    else if (s.kind === 'pipe' && slot.fd >= 3) {
      gaps.push({ field: `files[${slot.fd}]`, text: `sh cannot give a pipe to fd ${slot.fd} and copy it: it gets the script's stdout (fd 1 before the redirections)` });
      secondPass.push(`${slot.fd}>&${copyUp(1)}`);
    }
  }
  // The lab closes 0..2 when the profile has fewer than 3 files.
  for (let fd = slots.length; fd < 3; fd++) secondPass.push(`${fd}>&-`);
  // An inherited fd beyond the slots is the script's own: copied where it goes, then closed.
  const sources = new Set(slots.flatMap((s) => (s.source.kind === 'inherit' && s.source.fd >= slots.length ? [s.source.fd] : [])));
  return [...firstPass, ...secondPass, ...[...scratchFds, ...sources].map((fd) => `${fd}>&-`)];
}

/** unshare(1)'s option for each namespace flag. */
const UNSHARE_OPTIONS: Record<NormalizedProfile['sys']['cloneflags'][number], string> = {
  CLONE_NEWUSER: '--user', CLONE_NEWPID: '--pid', CLONE_NEWNS: '--mount', CLONE_NEWUTS: '--uts',
  CLONE_NEWIPC: '--ipc', CLONE_NEWNET: '--net', CLONE_NEWCGROUP: '--cgroup',
};

function wrappers(p: NormalizedProfile, gaps: ExportGap[]): string[] {
  const { sys } = p;
  const words: string[] = [];
  // --wait: setsid forks when it leads a process group already; then it waits and passes on the status.
  if (sys.setsid) words.push('setsid --wait');
  const flags = [...new Set([...sys.cloneflags, ...sys.unshareflags])];
  if (flags.length > 0) {
    // A new PID namespace made by clone has the program as its pid 1: unshare --fork. Made by
    // unshare(2) it holds only the program's children (go#19716): no --fork.
    const fork = sys.cloneflags.includes('CLONE_NEWPID') ? ' --fork' : '';
    words.push(`unshare ${flags.map((f) => UNSHARE_OPTIONS[f]).join(' ')}${fork}`);
  }
  if (sys.chroot) {
    words.push(`chroot ${shellWord(sys.chroot)}`);
    if (p.dir) gaps.push({ field: 'dir', text: 'chroot(1) changes to the new root\'s / after the chroot: dir (inside the new root) is not reached' });
  }
  const limits = Object.entries(sys.rlimits).map(([name, l]) => `--${name.toLowerCase()}=${l.soft}:${l.hard}`);
  if (limits.length > 0) words.push(`prlimit ${limits.join(' ')} --`);
  // nice -n adds to this shell's niceness (0 as a rule), where the lab sets the value itself.
  if (sys.nice !== undefined) words.push(`nice -n ${sys.nice}`);
  if (sys.cpuAffinity.length > 0) words.push(`taskset -c ${sys.cpuAffinity.join(',')}`);
  if (sys.oomScoreAdj !== undefined) words.push(`choom -n ${sys.oomScoreAdj} --`);
  const priv: string[] = [];
  const cred = sys.credential;
  if (cred) priv.push(`--reuid=${cred.uid}`, `--regid=${cred.gid}`, cred.noSetGroups ? '--keep-groups' : cred.groups.length > 0 ? `--groups=${cred.groups.join(',')}` : '--clear-groups');
  if (sys.noNewPrivs) priv.push('--no-new-privs');
  if (sys.pdeathsig) priv.push(`--pdeathsig=${sys.pdeathsig}`);
  if (priv.length > 0) words.push(`setpriv ${priv.join(' ')}`);
  // The program's umask, set after every redirection has opened its file with this shell's.
  if (sys.umask !== undefined) words.push(`sh -c 'umask ${sys.umask} && exec "$@"' umask`);
  return words;
}

export function exportShell(p: NormalizedProfile): ExportedCode {
  const gaps = unsupported(p, SUPPORTED, REASONS, 'shell');
  const [argv0, ...rest] = p.args;
  const pathWord = shellWord(p.path);
  if (argv0 === undefined || shellWord(argv0) !== pathWord) {
    gaps.push({ field: 'args[0]', text: `sh gives the program the word it runs as argv[0] (${pathWord}), not args[0]${argv0 === undefined ? ' (none)' : ` (${shellWord(argv0)})`}` });
  }
  const redirs = redirections(p, gaps);
  const highFd = Math.max(...redirs.map((r) => Number(/^\d+/.exec(r)?.[0] ?? 0)), ...redirs.map((r) => Number(/&(\d+)$/.exec(r)?.[1] ?? 0)));
  // dash takes fd numbers 0 to 9 only.
  const shell = highFd > 9 ? '/bin/bash' : '/bin/sh';
  const env = p.inheritEnv ? ['env', ...p.env.map(shellWord)] : ['env -i', ...p.env.map(shellWord)];
  const command = [...wrappers(p, gaps), ...env, pathWord, ...rest.map(shellWord), ...redirs].join(' \\\n  ');
  const stdinPipe = slotsOf(p)[0]?.source.kind === 'pipe';
  const code = `#!${shell}
${header(p, '#', [
  `Run: ${shell === '/bin/sh' ? 'sh' : 'bash'} launch.sh`,
  "The wrappers run in turn, each execing the next, and the program replaces the last; the exit",
  'status is the child\'s (a signal death: 128+n, as sh reports it, unless the script was exec\'d into).',
  "The pipes the lab captures on fds 1 and 2 are this script's own stdout and stderr here;",
  "a pipe on fd 0 is fed from printf. Fds this script inherited above the profile's also reach the",
  'program (sh cannot close descriptors it does not know of).',
  ...(shell === '/bin/bash' ? ['bash, not sh: an fd above 9 is named, which dash cannot redirect.'] : []),
])}
${gaps.map((g) => `# NOT EXPORTED ${g.field}: ${g.text}`).join('\n')}${gaps.length > 0 ? '\n' : ''}${p.dir && !p.sys.chroot ? `cd ${shellWord(p.dir)} || exit 253\n` : ''}${stdinPipe ? `printf '${octalEscaped(stdinBytes(p))}' | ${command}\n` : `exec ${command}\n`}`;
  return { lang: 'shell', code, gaps, fileName: 'launch.sh' };
}
