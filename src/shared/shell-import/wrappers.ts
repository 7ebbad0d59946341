// The programs a shell line wraps its command in, each taken off and turned into the profile
// fields it stands for: exec (bash's builtin), env, setsid, setpriv, unshare, prlimit, chroot,
// nice, taskset, timeout. A wrapper with an option the profile has no field for (setpriv
// --init-groups, env -u over an inherited environment...) is not taken off: it stays the
// program, and does that part itself, and a warning says why. A wrapper with no command
// after it (`env` alone prints the environment) is simply the program.
import { joinBytes, showBytes, type Bytes } from '../bytes';
import { CAPABILITIES, NAMESPACE_FLAGS, RLIMITS } from '../engine-names';
import type { Profile } from '../profile';
import { signalByName, signalByNumber } from '../signals';
import { inDir } from './in-dir';
import { parseOptions, type OptionSpec, type ParsedOption } from './options';

type Sys = NonNullable<Profile['sys']>;
type Limit = number | 'unlimited';

/** What the line's effects are relative to: the ids and niceness of the shell that would run it (the importer's). */
export interface ImportHost {
  uid: number;
  gid: number;
  nice: number;
}

/** The profile being built as the wrappers come off, one by one. */
export interface Draft {
  inheritEnv: boolean;
  /** By name, in order: "NAME=value" entries. */
  env: Map<string, Bytes>;
  /** The child's working directory, once a wrapper sets one (chroot, env -C); a cd before the command is the start. */
  dir?: Bytes;
  /** exec -a NAME: argv[0] other than the command name. */
  argv0?: Bytes;
  sys: Sys;
  timeoutMs?: number;
  warnings: string[];
  /** env -i ran: with no PATH left, env(1) and the wrappers after it look programs up in execvp's default path. */
  emptiedByEnv?: boolean;
}

/** How many words the wrapper took (options and operands; the command starts after), or why it stays the program ('' when there is no command). */
type Unwrapped = { took: number } | { keep: string };

interface Wrapper {
  /** Only as the line's first word: a builtin of bash, not a program another wrapper could run. */
  builtin?: boolean;
  unwrap(words: readonly Bytes[], draft: Draft, host: ImportHost): Unwrapped;
}

const text = (words: readonly Bytes[]) => words.map(showBytes);
const keep = (why: string): Unwrapped => ({ keep: why });
const noField = (wrapper: string, option: string) => keep(`${wrapper} ${option}: the profile has no field for it, so ${wrapper} stays the program and does it itself`);

/** Options, then `operands` words, then the command: or why the wrapper stays the program. */
function withOptions(
  wrapper: string,
  words: readonly Bytes[],
  specs: readonly OptionSpec[],
  operands: number,
  apply: (options: ParsedOption[], operandWords: readonly Bytes[]) => string | null,
): Unwrapped {
  const parsed = parseOptions(text(words), specs);
  if (!parsed.ok) return noField(wrapper, parsed.unknown);
  if (parsed.rest + operands >= words.length) return keep('');
  const problem = apply(parsed.options, words.slice(parsed.rest, parsed.rest + operands));
  return problem === null ? { took: parsed.rest + operands } : keep(problem);
}

const isId = (value: string | undefined): value is string => value !== undefined && /^\d+$/.test(value) && Number(value) < 0xffff_ffff;

function credentialOf(draft: Draft, host: ImportHost): NonNullable<Sys['credential']> {
  draft.sys.credential ??= { uid: host.uid, gid: host.gid, noSetGroups: true };
  return draft.sys.credential;
}

function setGroups(draft: Draft, host: ImportHost, groups: number[]): void {
  const credential = credentialOf(draft, host);
  credential.groups = groups;
  credential.noSetGroups = false;
}

/** An option that is a flag, or takes a value: its long form is its name unless `long` says otherwise (null: none). */
const flag = (name: string, short?: string, long: string | null = name): OptionSpec => ({ name, arg: 'none', ...(short && { short }), ...(long !== null && { long }) });
const valued = (name: string, short?: string, long: string | null = name): OptionSpec => ({ ...flag(name, short, long), arg: 'required' });

const envName = (entry: Bytes) => showBytes(entry).split('=', 1)[0]!;

const exec: Wrapper = {
  builtin: true,
  unwrap(words, draft) {
    const specs = [flag('clear', 'c', null), flag('login', 'l', null), valued('argv0', 'a', null)];
    const parsed = parseOptions(text(words), specs);
    if (!parsed.ok) return noField('exec', parsed.unknown);
    if (parsed.rest >= words.length) return keep('');
    for (const option of parsed.options) {
      if (option.name === 'clear') {
        draft.inheritEnv = false;
        draft.env.clear();
      }
      if (option.name === 'argv0') draft.argv0 = option.value!;
    }
    // -l: a login shell's argv[0], "-" before the name (or before -a's name).
    if (parsed.options.some((o) => o.name === 'login')) draft.argv0 = joinBytes('-', draft.argv0 ?? words[parsed.rest]!);
    return { took: parsed.rest };
  },
};

const env: Wrapper = {
  unwrap(words, draft) {
    const specs = [flag('ignore', 'i', 'ignore-environment'), valued('unset', 'u'), valued('chdir', 'C')];
    const parsed = parseOptions(text(words), specs);
    if (!parsed.ok) return noField('env', parsed.unknown);
    let at = parsed.rest;
    // A lone "-" is -i.
    const ignore = parsed.options.some((o) => o.name === 'ignore') || showBytes(words[at] ?? '') === '-';
    if (showBytes(words[at] ?? '') === '-') at++;
    const unsets = parsed.options.filter((o) => o.name === 'unset');
    if (!ignore && unsets.length > 0) {
      return keep(`env ${unsets[0]!.text}: the profile inherits the lab's environment whole (inheritEnv) and cannot leave one variable out, so env stays the program and does it itself`);
    }
    const assignments: Bytes[] = [];
    while (at < words.length && /^[^=]+=/.test(showBytes(words[at]!))) assignments.push(words[at++]!);
    if (at >= words.length) return keep('');
    if (ignore) {
      draft.inheritEnv = false;
      draft.env.clear();
    }
    for (const u of unsets) draft.env.delete(u.value!);
    for (const entry of assignments) draft.env.set(envName(entry), entry);
    const dir = parsed.options.find((o) => o.name === 'chdir');
    if (dir) draft.dir = inDir(dir.value!, draft.dir);
    if (ignore) draft.emptiedByEnv = true;
    return { took: at };
  },
};

const setsid: Wrapper = {
  unwrap(words, draft) {
    const specs = [flag('ctty', 'c'), flag('fork', 'f'), flag('wait', 'w')];
    return withOptions('setsid', words, specs, 0, (options) => {
      draft.sys.setsid = true;
      if (options.some((o) => o.name === 'ctty')) {
        draft.sys.setctty = true;
        draft.sys.ctty = 0;
        draft.warnings.push("setsid --ctty makes fd 0 the controlling terminal: it must be a terminal, and the lab's fd 0 is a pipe unless files[0] is made a pty");
      }
      return null;
    });
  },
};

/** "+net_bind_service,+sys_admin" as capability names; null when it is not a list of additions. */
function addedCaps(list: string): string[] | null {
  const names = list.split(',').map((item) => (item.startsWith('+') ? `CAP_${item.slice(1).toUpperCase()}` : ''));
  return names.every((name) => (CAPABILITIES as readonly string[]).includes(name)) ? names : null;
}

const setpriv: Wrapper = {
  unwrap(words, draft, host) {
    const specs = [
      ...['reuid', 'regid', 'groups', 'inh-caps', 'ambient-caps', 'pdeathsig'].map((name) => valued(name)),
      ...['clear-groups', 'keep-groups', 'nnp'].map((name) => flag(name)),
      flag('nnp', undefined, 'no-new-privs'),
    ];
    return withOptions('setpriv', words, specs, 0, (options) => {
      const value = (name: string) => options.find((o) => o.name === name);
      const reuid = value('reuid');
      const regid = value('regid');
      const groups = value('groups');
      const groupOption = value('clear-groups') ?? value('keep-groups') ?? groups;
      for (const id of [reuid, regid]) if (id && !isId(id.value)) return `setpriv ${id.text}: the profile names ids by number, so setpriv stays the program`;
      // setpriv itself refuses a new gid that leaves the supplementary groups unsaid.
      if (regid && !groupOption) return `setpriv ${regid.text} without --clear-groups, --keep-groups or --groups: setpriv refuses it, so it stays the program`;
      const groupList = groups?.value!.split(',') ?? [];
      if (groups && !groupList.every(isId)) return `setpriv ${groups.text}: the profile names groups by number, so setpriv stays the program`;
      const inh = value('inh-caps');
      const ambient = value('ambient-caps');
      const inhCaps = inh ? addedCaps(inh.value!) : [];
      const ambientCaps = ambient ? addedCaps(ambient.value!) : [];
      // The lab raises each ambient capability in the inheritable set too, and no other.
      if (!inhCaps || !ambientCaps || inhCaps.join() !== ambientCaps.join()) {
        return `setpriv ${[inh?.text, ambient?.text].filter(Boolean).join(' ')}: the profile can only raise the same capabilities in the inheritable and ambient sets (ambientCaps), so setpriv stays the program`;
      }
      const pdeathsig = value('pdeathsig');
      const signal = pdeathsig && (signalByName(pdeathsig.value!) ?? signalByName(`SIG${pdeathsig.value!.toUpperCase()}`) ?? signalByNumber(Number(pdeathsig.value)));
      if (pdeathsig && !signal) return `setpriv ${pdeathsig.text}: not a signal the profile can name, so setpriv stays the program`;

      if (reuid || regid || groupOption) {
        const credential = credentialOf(draft, host);
        if (reuid) credential.uid = Number(reuid.value);
        if (regid) credential.gid = Number(regid.value);
      }
      if (value('clear-groups')) setGroups(draft, host, []);
      if (groups) setGroups(draft, host, groupList.map(Number));
      if (value('nnp')) draft.sys.noNewPrivs = true;
      if (ambientCaps.length > 0) draft.sys.ambientCaps = ambientCaps as Sys['ambientCaps'];
      if (signal) draft.sys.pdeathsig = signal.name;
      return null;
    });
  },
};

const NAMESPACE_OPTIONS: [short: string, long: string, flag: (typeof NAMESPACE_FLAGS)[number]][] = [
  ['m', 'mount', 'CLONE_NEWNS'],
  ['u', 'uts', 'CLONE_NEWUTS'],
  ['i', 'ipc', 'CLONE_NEWIPC'],
  ['n', 'net', 'CLONE_NEWNET'],
  ['U', 'user', 'CLONE_NEWUSER'],
  ['C', 'cgroup', 'CLONE_NEWCGROUP'],
  ['p', 'pid', 'CLONE_NEWPID'],
];

const unshare: Wrapper = {
  unwrap(words, draft, host) {
    const specs: OptionSpec[] = [
      // --mount=FILE makes the namespace persistent: no field for that.
      ...NAMESPACE_OPTIONS.map(([short, long]) => ({ name: long, short, long, arg: 'optional' as const, shortArg: 'none' as const })),
      flag('fork', 'f'),
      flag('map-root-user', 'r'),
    ];
    return withOptions('unshare', words, specs, 0, (options) => {
      const persistent = options.find((o) => o.value !== undefined);
      if (persistent) return `unshare ${persistent.text}: the profile cannot bind a namespace to a file, so unshare stays the program`;
      const mapRoot = options.some((o) => o.name === 'map-root-user');
      const flags = NAMESPACE_OPTIONS.filter(([, long, flag]) => options.some((o) => o.name === long) || (mapRoot && flag === 'CLONE_NEWUSER')).map(([, , flag]) => flag);
      // Without -f unshare(1) calls unshare(2) and execs: unshareflags. With -f it forks
      // after, so the program is made in the namespaces, as by clone: cloneflags.
      const field = options.some((o) => o.name === 'fork') ? 'cloneflags' : 'unshareflags';
      draft.sys[field] = [...new Set([...(draft.sys[field] ?? []), ...flags])];
      if (mapRoot) {
        // unshare -r maps root in the namespace to the ids it runs with, and denies setgroups.
        draft.sys.uidMappings = [{ containerId: 0, hostId: draft.sys.credential?.uid ?? host.uid, size: 1 }];
        draft.sys.gidMappings = [{ containerId: 0, hostId: draft.sys.credential?.gid ?? host.gid, size: 1 }];
      }
      return null;
    });
  },
};

/** prlimit's resources, by option: its short letter and the profile's name. */
const PRLIMIT_RESOURCES: [short: string, long: string, name: (typeof RLIMITS)[number]][] = [
  ['c', 'core', 'CORE'], ['d', 'data', 'DATA'], ['e', 'nice', 'NICE'], ['f', 'fsize', 'FSIZE'],
  ['i', 'sigpending', 'SIGPENDING'], ['l', 'memlock', 'MEMLOCK'], ['m', 'rss', 'RSS'], ['n', 'nofile', 'NOFILE'],
  ['q', 'msgqueue', 'MSGQUEUE'], ['r', 'rtprio', 'RTPRIO'], ['s', 'stack', 'STACK'], ['t', 'cpu', 'CPU'],
  ['u', 'nproc', 'NPROC'], ['v', 'as', 'AS'], ['x', 'locks', 'LOCKS'], ['y', 'rttime', 'RTTIME'],
];

function limitOf(value: string): Limit | null {
  if (value === 'unlimited' || value === 'infinity') return 'unlimited';
  return /^\d+$/.test(value) ? Number(value) : null;
}

const prlimit: Wrapper = {
  unwrap(words, draft) {
    const specs: OptionSpec[] = PRLIMIT_RESOURCES.map(([short, long]) => ({ name: long, short, long, arg: 'optional' }));
    return withOptions('prlimit', words, specs, 0, (options) => {
      const rlimits: Record<string, { soft: Limit; hard: Limit }> = {};
      for (const option of options) {
        // SOFT:HARD, or one value for both; a side left empty keeps the current one, which the profile cannot say.
        const [soft, hard = soft] = (option.value ?? '').split(':');
        const [s, h] = [soft, hard].map((v) => limitOf(v ?? ''));
        if (s == null || h == null) return `prlimit ${option.text}: the profile sets both limits, as numbers or "unlimited", so prlimit stays the program`;
        rlimits[PRLIMIT_RESOURCES.find(([, long]) => long === option.name)![2]] = { soft: s, hard: h };
      }
      draft.sys.rlimits = { ...draft.sys.rlimits, ...rlimits };
      return null;
    });
  },
};

const chroot: Wrapper = {
  unwrap(words, draft, host) {
    const specs = [valued('userspec'), valued('groups'), flag('skip-chdir')];
    return withOptions('chroot', words, specs, 1, (options, [root]) => {
      if (typeof root !== 'string') return 'chroot: a root that is not UTF-8 text: the profile\'s chroot is text, so chroot stays the program';
      const userspec = options.find((o) => o.name === 'userspec');
      const [user, group] = userspec?.value!.split(':') ?? [];
      if (userspec && (!isId(user) || (group !== undefined && !isId(group)))) return `chroot ${userspec.text}: the profile names ids by number, so chroot stays the program`;
      const groups = options.find((o) => o.name === 'groups');
      if (groups && !groups.value!.split(',').every(isId)) return `chroot ${groups.text}: the profile names groups by number, so chroot stays the program`;
      draft.sys.chroot = root;
      // chroot(1) then changes to the new root's "/".
      if (!options.some((o) => o.name === 'skip-chdir')) draft.dir = '/';
      if (userspec) {
        const credential = credentialOf(draft, host);
        credential.uid = Number(user);
        if (group !== undefined) credential.gid = Number(group);
      }
      if (groups) setGroups(draft, host, groups.value!.split(',').map(Number));
      return null;
    });
  },
};

const nice: Wrapper = {
  unwrap(words, draft, host) {
    const all = text(words);
    let adjustment = 10;
    let at = 0;
    // nice's own forms: -N or --N (the old style), -n N, -nN, --adjustment=N.
    const old = /^-(-?\d+)$/.exec(all[0] ?? '');
    if (old) {
      adjustment = Number(old[1]);
      at = 1;
    } else {
      const parsed = parseOptions(all, [valued('adjustment', 'n')]);
      if (!parsed.ok) return noField('nice', parsed.unknown);
      const given = parsed.options.at(-1)?.value;
      if (given !== undefined && !/^[+-]?\d+$/.test(given)) return keep(`nice ${parsed.options.at(-1)!.text}: not a number, so nice stays the program`);
      if (given !== undefined) adjustment = Number(given);
      at = parsed.rest;
    }
    if (at >= words.length) return keep('');
    const base = draft.sys.nice ?? host.nice;
    draft.sys.nice = Math.min(19, Math.max(-20, base + adjustment));
    if (base !== 0) draft.warnings.push(`nice adds ${adjustment} to the shell's niceness (${base} here): the profile sets ${draft.sys.nice}`);
    return { took: at };
  },
};

/** taskset's CPU list ("0-2,5") or hex mask ("0x3"), as CPU numbers; null when it is neither. */
function cpusOf(value: string, isList: boolean): number[] | null {
  if (!isList) {
    if (!/^(0x)?[0-9a-f]+$/i.test(value)) return null;
    const mask = BigInt(value.startsWith('0x') ? value : `0x${value}`);
    return Array.from({ length: 1024 }, (_, cpu) => cpu).filter((cpu) => (mask >> BigInt(cpu)) & 1n);
  }
  const cpus: number[] = [];
  for (const part of value.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return null;
    for (let cpu = Number(range[1]); cpu <= Number(range[2] ?? range[1]); cpu++) cpus.push(cpu);
  }
  return cpus;
}

const taskset: Wrapper = {
  unwrap(words, draft) {
    const specs = [flag('cpu-list', 'c')];
    return withOptions('taskset', words, specs, 1, (options, [given]) => {
      const cpus = cpusOf(showBytes(given!), options.length > 0);
      if (!cpus || cpus.length === 0 || cpus.some((cpu) => cpu > 1023)) return `taskset ${showBytes(given!)}: not a CPU list or mask the profile can hold, so taskset stays the program`;
      draft.sys.cpuAffinity = cpus;
      return null;
    });
  },
};

const DURATION_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const timeout: Wrapper = {
  unwrap(words, draft) {
    const specs = [valued('signal', 's'), valued('kill-after', 'k'), flag('foreground'), flag('preserve-status'), flag('verbose', 'v')];
    return withOptions('timeout', words, specs, 1, (options, [given]) => {
      const duration = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(showBytes(given!));
      if (!duration) return `timeout ${showBytes(given!)}: not a duration the importer reads, so timeout stays the program`;
      const ms = Math.round(Number(duration[1]) * DURATION_UNITS[duration[2]!]!);
      // 0: no timeout at all.
      if (ms === 0) return null;
      draft.timeoutMs = ms;
      const signal = options.find((o) => o.name === 'signal')?.value ?? 'TERM';
      const kills = ['KILL', 'SIGKILL', '9'].includes(signal.toUpperCase());
      draft.warnings.push(
        `timeout ${showBytes(given!)}: the lab's timeout sends SIGKILL${kills ? '' : `, where timeout(1) sends SIG${signal.toUpperCase().replace(/^SIG/, '')} (the program cannot clean up first)`}; and timeout(1) runs the program as its own child in a process group of its own, where the lab's child stays the lab's child in the lab's group`,
      );
      return null;
    });
  },
};

export const WRAPPERS: Readonly<Record<string, Wrapper>> = { exec, env, setsid, setpriv, unshare, prlimit, chroot, nice, taskset, timeout };
