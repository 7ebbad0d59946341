// A shell command line (read into a ShellLine by the bash grammar) -> a profile: `VAR=x`
// prefixes and `env` give the environment (inherited, as a shell passes its own, unless
// `env -i`), `cd DIR &&` the working directory, the redirections files[], the wrappers
// their fields. The program keeps the name as typed: the profile's PATH lookup finds it,
// as the shell would. What the profile cannot say throws Unsupported, and the line runs as
// `sh -c LINE` instead (shellFallback).
import { joinBytes, showBytes, type Bytes } from '../bytes';
import type { ImportResult } from '../import';
import type { Profile } from '../profile';
import { inDir } from './in-dir';
import { filesOf } from './redirects';
import { Unsupported, type ShellLine } from './shell-command';
import { WRAPPERS, type Draft, type ImportHost } from './wrappers';

export type { ImportHost };

// Builtins that run inside the shell, with no program of their own to launch.
const SHELL_ONLY = new Set(['cd', 'export', 'source', '.', 'alias', 'unalias', 'set', 'unset', 'shopt', 'eval', 'exit', 'return', 'break', 'continue', 'read', 'declare', 'local', 'readonly', 'typeset', 'trap', 'wait', 'jobs', 'fg', 'bg', 'ulimit', 'umask', 'hash', 'type', 'builtin', 'command', 'let', 'shift', 'getopts', 'history', 'pushd', 'popd', 'dirs', 'times', 'enable', 'caller', 'complete', 'compgen', 'disown', 'suspend', 'logout', 'mapfile', 'readarray', 'bind', 'help', 'fc', 'coproc', 'time']);
// Builtins bash runs itself that also exist as programs: the lab runs the program.
const ALSO_PROGRAMS = new Set(['echo', 'printf', 'kill', 'test', '[', 'true', 'false', 'pwd']);

const NAME_LIMIT = 60;

function profileName(line: string): string {
  const oneLine = line.replace(/\s+/g, ' ').trim();
  return `imported: ${oneLine.length > NAME_LIMIT ? `${oneLine.slice(0, NAME_LIMIT - 1)}…` : oneLine}`;
}

const description = (line: string) => `Imported from the shell line: ${line}`;

/** `cd a && cd b &&`: where the command runs (relative to the shell's own directory when relative). */
function cdDir(cds: readonly Bytes[]): Bytes | undefined {
  let dir: Bytes | undefined;
  for (const cd of cds) {
    const to = showBytes(cd);
    if (to === '-' || to === '') throw new Unsupported(`cd ${to || '""'}: the shell's previous or home directory, which the importer does not know`);
    dir = inDir(cd, dir);
  }
  return dir;
}

/** Takes the wrappers off words[] one by one; returns where the program starts. */
function unwrap(words: readonly Bytes[], draft: Draft, host: ImportHost): number {
  let at = 0;
  for (;;) {
    const name = showBytes(words[at]!);
    const wrapper = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name]! : undefined;
    if (!wrapper || (wrapper.builtin && at > 0)) return at;
    const taken = wrapper.unwrap(words.slice(at + 1), draft, host);
    if ('keep' in taken) {
      if (taken.keep) draft.warnings.push(taken.keep);
      else if (wrapper.builtin) throw new Unsupported(`${name} without a command: it changes the shell itself`);
      return at;
    }
    at += 1 + taken.took;
  }
}

/** Throws Unsupported when the profile cannot say what the line does. */
export function shellLineProfile(line: ShellLine, source: string, host: ImportHost): ImportResult {
  const { command } = line;
  if (command.words.length === 0) throw new Unsupported('no command, only assignments or redirections: they change the shell itself');
  const first = showBytes(command.words[0]!);
  if (SHELL_ONLY.has(first)) throw new Unsupported(`${first} is a shell builtin: it runs inside the shell, with no program of its own`);
  const start = cdDir(line.cds);
  const draft: Draft = { inheritEnv: true, env: new Map(), sys: {}, warnings: [] };
  if (start !== undefined) draft.dir = start;
  for (const { name, value } of command.assignments) draft.env.set(name, joinBytes(`${name}=`, value));
  const at = unwrap(command.words, draft, host);
  const program = command.words[at]!;
  if (at === 0 && ALSO_PROGRAMS.has(first)) draft.warnings.push(`${first} is a bash builtin: the lab runs the program ${first} found in PATH instead`);
  const name = showBytes(program);
  if (draft.emptiedByEnv && !draft.env.has('PATH') && !name.includes('/')) {
    draft.warnings.push(`env -i leaves no PATH: ${name} is looked up in execvp's default (/bin:/usr/bin) there, and in the lab's own PATH by the lab`);
  }
  // Redirections are bash's, made before any wrapper runs: relative to the cd, not a chroot.
  const { files, warnings } = filesOf(command.redirects, start);
  const profile: Profile = {
    version: 1,
    name: profileName(source),
    description: description(source),
    path: program,
    args: [draft.argv0 ?? program, ...command.words.slice(at + 1)],
    ...(draft.dir !== undefined && { dir: draft.dir }),
    inheritEnv: draft.inheritEnv,
    env: [...draft.env.values()],
    files,
    ...(Object.keys(draft.sys).length > 0 && { sys: draft.sys }),
    ...(draft.timeoutMs !== undefined && { timeoutMs: draft.timeoutMs }),
  };
  return { profile, warnings: [...draft.warnings, ...warnings] };
}

/** The line as `sh -c LINE`, with one warning per construct that made it so. */
export function shellFallback(source: string, reasons: readonly string[]): ImportResult {
  const profile: Profile = {
    version: 1,
    name: profileName(source),
    description: `${description(source)}\nRun by sh -c: ${reasons.join('; ')}.`,
    path: '/bin/sh',
    args: ['sh', '-c', source],
    inheritEnv: true,
    files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }],
  };
  return { profile, warnings: reasons.map((reason) => `runs as sh -c: ${reason}`) };
}
