// What the profile asked for, beside what the probe saw: one row per thing a profile set
// that the probe can observe, each with a verdict. The probe reports what it could read and
// nothing else (null: not seen, e.g. no /proc in a chroot); a row whose observation is
// missing says "unknown", never a guess.
//
// The profile is read as the loose object it is (the run view holds the draft as launched,
// which the lab validated before launching): a value of the wrong type counts as not set.
// Only what the profile set is listed: a boolean left off, an empty list, a umask or nice
// left out ask nothing of the kernel.
import type { IdMapping, ProbeReport, RlimitValue } from './api';
import { NAMESPACE_FLAGS, RLIMITS } from './engine-names';
import { fieldLabel } from './fields';
import { namespaceOrigins, type NamespaceIds, type NamespaceName, type NamespaceOrigin } from './namespaces';
import { cpuList } from './probe-observations';

export type AskedVerdict = 'match' | 'differs' | 'unknown';

export interface AskedRow {
  /** Unique among the rows: the field's path, and which of its parts (sys.rlimits.NOFILE). */
  key: string;
  /** The field's path in a profile (sys.umask, dir). */
  path: string;
  /** The field's label in the builder (fields.ts). */
  field: string;
  /** What the profile asked, in words ("umask 027"). */
  asked: string;
  /** What the probe saw, in the same words ("umask 022"); "unknown" when it could not see it. */
  got: string;
  verdict: AskedVerdict;
  /** Why it differs, or why the probe could not see it. */
  why?: string;
  /** Something to know about the field whatever the verdict (unshare CLONE_NEWPID: go#19716). */
  note?: string;
}

type Loose = Record<string, unknown>;

const objectAt = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const intAt = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);
const textAt = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arrayAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const intsAt = (v: unknown): number[] => arrayAt(v).filter((x): x is number => Number.isInteger(x));
const namesAt = (v: unknown): string[] => arrayAt(v).filter((x): x is string => typeof x === 'string');
const limitAt = (v: unknown): RlimitValue | undefined => (v === 'unlimited' ? v : intAt(v));

const NO_PROC = 'no /proc (as in a chroot without it)';

/** The namespace each flag makes, and its name in words. */
const FLAG_NAMESPACES: Record<(typeof NAMESPACE_FLAGS)[number], { ns: NamespaceName; words: string }> = {
  CLONE_NEWUSER: { ns: 'user', words: 'user' },
  CLONE_NEWPID: { ns: 'pid', words: 'PID' },
  CLONE_NEWNS: { ns: 'mnt', words: 'mount' },
  CLONE_NEWUTS: { ns: 'uts', words: 'UTS' },
  CLONE_NEWIPC: { ns: 'ipc', words: 'IPC' },
  CLONE_NEWNET: { ns: 'net', words: 'network' },
  CLONE_NEWCGROUP: { ns: 'cgroup', words: 'cgroup' },
};

const octal = (mask: number) => mask.toString(8).padStart(3, '0');
const limitText = (l: { soft: RlimitValue; hard: RlimitValue }) => `${l.soft}/${l.hard}`;
const mapText = (map: readonly IdMapping[]) => (map.length === 0 ? 'empty' : map.map((m) => `${m.containerId}→${m.hostId} (${m.size})`).join('; '));
const sortedMap = (map: readonly IdMapping[]) => [...map].sort((a, b) => a.containerId - b.containerId);
const sameMap = (a: readonly IdMapping[], b: readonly IdMapping[]) => {
  const [x, y] = [sortedMap(a), sortedMap(b)];
  return x.length === y.length && x.every((m, i) => m.containerId === y[i]!.containerId && m.hostId === y[i]!.hostId && m.size === y[i]!.size);
};
const sameSet = (a: readonly number[], b: readonly number[]) => {
  const [x, y] = [new Set(a), new Set(b)];
  return x.size === y.size && [...x].every((n) => y.has(n));
};
// Sorted: the order of supplementary groups means nothing (the kernel keeps them sorted).
const groupsText = (groups: readonly number[]) => `[${[...new Set(groups)].sort((a, b) => a - b).join(', ')}]`;

/** A path with its "." and ".." resolved by name, doubled and trailing slashes dropped. */
function lexicalPath(p: string): string {
  const absolute = p.startsWith('/');
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/**
 * The rows: what the profile asked that the probe can observe, and what it saw.
 * `labNamespaces`: the lab's own namespace ids (sent with the report), to tell the child's
 * new namespaces from the lab's; without them a namespace row is unknown.
 */
export function askedVsGot(profile: unknown, report: ProbeReport, labNamespaces?: NamespaceIds | null): AskedRow[] {
  const p = objectAt(profile);
  const sys = objectAt(p.sys);
  const rows: AskedRow[] = [];
  // /proc/self/root is read for every report: null says the probe had no /proc.
  const procSeen = report.root !== null;

  const add = (path: string, part: string, asked: string, got: string, verdict: AskedVerdict, why?: string, note?: string) => {
    rows.push({ key: part ? `${path}.${part}` : path, path, field: fieldLabel(path), asked, got, verdict, ...(why !== undefined && verdict !== 'match' && { why }), ...(note && { note }) });
  };

  // --- session, process group and parent
  if (sys.setsid === true) {
    const leads = report.sid === report.pid;
    add('sys.setsid', '', 'a new session (setsid): sid = pid', leads ? `sid = pid (${report.pid})` : `sid ${report.sid}, pid ${report.pid}`, leads ? 'match' : 'differs',
      `it does not lead its session: it is in session ${report.sid}, led by another process`);
  }
  if (sys.setpgid === true) {
    const pgid = intAt(sys.pgid) ?? 0;
    if (pgid === 0) {
      const leads = report.pgid === report.pid;
      add('sys.setpgid', '', 'own process group (setpgid 0): pgid = pid', leads ? `pgid = pid (${report.pid})` : `pgid ${report.pgid}, pid ${report.pid}`, leads ? 'match' : 'differs',
        `it does not lead a process group: it is in group ${report.pgid}`);
    } else {
      add('sys.setpgid', '', `process group ${pgid} (setpgid ${pgid})`, `process group ${report.pgid}`, report.pgid === pgid ? 'match' : 'differs', `it is in process group ${report.pgid}, not ${pgid}`);
    }
  }
  const pdeathsig = textAt(sys.pdeathsig);
  if (pdeathsig) {
    add('sys.pdeathsig', '', `pdeathsig ${pdeathsig}`, `pdeathsig ${report.pdeathsig ?? 'none'}`, report.pdeathsig === pdeathsig ? 'match' : 'differs',
      report.pdeathsig === null
        ? 'it has no parent-death signal: the kernel clears it when the effective or filesystem uid or gid changes, and at an execve of a set-user-ID, set-group-ID or file-capability program (prctl(2))'
        : `its parent-death signal is ${report.pdeathsig}`);
  }

  // --- controlling terminal
  const ctty = report.tty.ctty;
  if (sys.setctty === true) {
    const fd = intAt(sys.ctty) ?? 0;
    const target = report.fds.find((f) => f.fd === fd)?.target ?? null;
    const asked = `controlling terminal on fd ${fd} (setctty)`;
    if (ctty === null && !procSeen) add('sys.setctty', '', asked, 'unknown', 'unknown', `${NO_PROC}: the controlling terminal is read from /proc/self/stat`);
    else if (ctty === null) add('sys.setctty', '', asked, 'no controlling terminal', 'differs', 'it has no controlling terminal');
    else if (target === null) add('sys.setctty', '', asked, `controlling terminal ${ctty}`, 'unknown', `what fd ${fd} is open on could not be read (${NO_PROC}, or fd ${fd} is not open)`);
    else add('sys.setctty', '', asked, ctty === target ? `controlling terminal on fd ${fd} (${ctty})` : `controlling terminal ${ctty}`, ctty === target ? 'match' : 'differs', `its controlling terminal is ${ctty}, but fd ${fd} is ${target}`);
  }
  if (sys.noctty === true) {
    const asked = 'no controlling terminal (noctty)';
    if (ctty === null && !procSeen) add('sys.noctty', '', asked, 'unknown', 'unknown', `${NO_PROC}: the controlling terminal is read from /proc/self/stat`);
    else add('sys.noctty', '', asked, ctty === null ? 'no controlling terminal' : `controlling terminal ${ctty}`, ctty === null ? 'match' : 'differs', `it still has a controlling terminal: ${ctty}`);
  }
  if (sys.foreground === true) {
    const fg = report.tty.foregroundPgid;
    const asked = "foreground: the terminal's foreground group is its group";
    if (fg === null) add('sys.foreground', '', asked, 'unknown', 'unknown', 'the probe could not open /dev/tty (it has no controlling terminal, or there is no /dev/tty inside its root): no foreground group to read');
    else add('sys.foreground', '', asked, fg === report.pgid ? `foreground group = its group (${fg})` : `foreground group ${fg}, its group ${report.pgid}`, fg === report.pgid ? 'match' : 'differs', `the terminal's foreground group is ${fg}, not its group ${report.pgid}`);
  }

  // --- credentials and privileges
  const credential = objectAt(sys.credential);
  const uid = intAt(credential.uid);
  const gid = intAt(credential.gid);
  if (uid !== undefined && gid !== undefined) {
    const keepGroups = credential.noSetGroups === true;
    const groups = intsAt(credential.groups);
    const asked = `uid ${uid} / gid ${gid}${keepGroups ? ' (groups kept: noSetGroups)' : ` / groups ${groupsText(groups)}`}`;
    const idText = (real: number, effective: number, name: string) => `${name} ${real}${effective !== real ? ` (e${name} ${effective})` : ''}`;
    const got = `${idText(report.uid, report.euid, 'uid')} / ${idText(report.gid, report.egid, 'gid')}${keepGroups ? '' : ` / groups ${groupsText(report.groups)}`}`;
    const off: string[] = [];
    if (report.uid !== uid || report.euid !== uid) off.push(`uid ${report.uid}, euid ${report.euid} (asked ${uid})`);
    if (report.gid !== gid || report.egid !== gid) off.push(`gid ${report.gid}, egid ${report.egid} (asked ${gid})`);
    if (!keepGroups && !sameSet(report.groups, groups)) off.push(`groups ${groupsText(report.groups)} (asked ${groupsText(groups)})`);
    add('sys.credential', '', asked, got, off.length === 0 ? 'match' : 'differs', off.join('; '));
  }
  const ambient = namesAt(sys.ambientCaps);
  if (ambient.length > 0) {
    const held = report.capabilities.ambient;
    const missing = ambient.filter((cap) => !held.includes(cap));
    add('sys.ambientCaps', '', `ambient ${ambient.join(', ')}`, `ambient ${held.length === 0 ? 'none' : held.join(', ')}`, missing.length === 0 ? 'match' : 'differs',
      `not in its ambient set: ${missing.join(', ')} (a capability leaves the ambient set when it leaves the permitted or inheritable set, and at an execve of a set-user-ID program)`);
  }
  if (sys.noNewPrivs === true) {
    add('sys.noNewPrivs', '', 'no_new_privs on', `no_new_privs ${report.noNewPrivs ? 'on' : 'off'}`, report.noNewPrivs ? 'match' : 'differs', 'PR_GET_NO_NEW_PRIVS says off: it is never undone once set, so the step did not run');
  }

  // --- root, working directory and tracing
  const chroot = textAt(sys.chroot);
  if (chroot) {
    if (report.root === null) add('sys.chroot', '', `root ${chroot}`, 'unknown', 'unknown', `${NO_PROC} inside the new root: /proc/self/root could not be read`);
    else add('sys.chroot', '', `root ${chroot}`, `root ${report.root} (as it sees itself)`, 'unknown', 'a process sees its own root as /, in a chroot or not: the probe cannot tell which directory it is (the trace shows the chroot step)');
  }
  const dir = textAt(p.dir);
  if (dir) {
    const inRoot = chroot ? ' (inside the new root)' : '';
    const want = lexicalPath(dir);
    const asked = `cwd ${dir}${inRoot}`;
    if (report.cwd === null) {
      add('dir', '', asked, 'unknown', 'unknown', 'getcwd failed: its working directory is outside its root, or was removed');
    } else {
      const cwd = report.cwd;
      const same = want.startsWith('/') ? cwd === want : cwd === want || cwd.endsWith(`/${want}`);
      const why = want.startsWith('/')
        ? `its working directory is ${cwd}${chroot ? ' (a path inside its root)' : ''}: getcwd gives the path without symbolic links`
        : `its working directory ${cwd} does not end with ${want} (a relative dir is resolved from the lab's working directory)`;
      add('dir', '', asked, `cwd ${cwd}`, same ? 'match' : 'differs', why);
    }
  }
  if (sys.ptrace === true) {
    const tracer = report.tracer;
    const asked = 'ptrace: traced by the lab';
    if (tracer === null) add('sys.ptrace', '', asked, 'unknown', 'unknown', `${NO_PROC}: TracerPid is read from /proc/self/status`);
    else if (tracer > 0) add('sys.ptrace', '', asked, `traced by ${tracer}`, 'match');
    else add('sys.ptrace', '', asked, 'not traced', 'differs', 'no tracer: the lab detached from it (Detach) before the probe ran');
  }

  // --- namespaces
  const origins = labNamespaces ? namespaceOrigins(report.namespaces, labNamespaces) : undefined;
  const cloneflags = namesAt(sys.cloneflags);
  const unshareflags = namesAt(sys.unshareflags);
  for (const [path, flags, via] of [['sys.cloneflags', cloneflags, 'clone'], ['sys.unshareflags', unshareflags, 'unshare']] as const) {
    for (const flag of NAMESPACE_FLAGS.filter((f) => flags.includes(f))) {
      const { ns, words } = FLAG_NAMESPACES[flag];
      // unshare(CLONE_NEWPID) moves only the children the process makes after it (go#19716).
      const pidByUnshare = flag === 'CLONE_NEWPID' && via === 'unshare';
      const expected: NamespaceOrigin = pidByUnshare ? 'lab' : 'new';
      const inWords = (origin: NamespaceOrigin) => (origin === 'lab' ? `the lab's ${words} namespace` : `new ${words} namespace`);
      const asked = pidByUnshare ? `the lab's PID namespace (unshare CLONE_NEWPID)` : `new ${words} namespace (${via})`;
      const note = pidByUnshare
        ? "unshare(CLONE_NEWPID) puts only the children it makes afterwards in the new PID namespace; the program itself stays in the lab's (go#19716)"
        : undefined;
      const origin = origins?.[ns];
      if (report.namespaces[ns] === null) add(path, flag, asked, 'unknown', 'unknown', `${NO_PROC}: /proc/self/ns/${ns} could not be read`, note);
      else if (origin === undefined || origin === 'unknown') add(path, flag, asked, 'unknown', 'unknown', `the lab's own ${words} namespace id is not known: nothing to compare with`, note);
      else add(path, flag, asked, inWords(origin), origin === expected ? 'match' : 'differs', `it is in ${inWords(origin)}, not ${expected === 'lab' ? "the lab's" : 'a new one'}`, note);
    }
  }
  const newUser = cloneflags.includes('CLONE_NEWUSER') || unshareflags.includes('CLONE_NEWUSER');
  const noUserns = 'no new user namespace was asked (CLONE_NEWUSER in cloneflags or unshareflags): the maps are written only for one';
  const mapAt = (v: unknown): IdMapping[] =>
    arrayAt(v)
      .map(objectAt)
      .map((m) => ({ containerId: intAt(m.containerId), hostId: intAt(m.hostId), size: intAt(m.size) }))
      .filter((m): m is IdMapping => m.containerId !== undefined && m.hostId !== undefined && m.size !== undefined);
  const maps = { uid: mapAt(sys.uidMappings), gid: mapAt(sys.gidMappings) };
  for (const which of ['uid', 'gid'] as const) {
    const map = maps[which];
    if (map.length === 0) continue;
    const path = `sys.${which}Mappings`;
    const seen = report.idMaps[which];
    const asked = `${which} map ${mapText(map)}`;
    if (seen === null) add(path, '', asked, 'unknown', 'unknown', `${NO_PROC}: /proc/self/${which}_map could not be read`);
    else add(path, '', asked, `${which} map ${mapText(seen)}`, sameMap(seen, map) ? 'match' : 'differs', newUser ? `its user namespace's ${which}_map is not the one asked` : noUserns);
  }
  // "deny" is written before a gid_map unless the profile allows setgroups (go#10626).
  if (newUser && maps.gid.length > 0) {
    const want = sys.gidMappingsEnableSetgroups === true ? 'allow' : 'deny';
    const path = want === 'allow' ? 'sys.gidMappingsEnableSetgroups' : 'sys.gidMappings';
    const seen = report.idMaps.setgroups;
    if (seen === null) add(path, 'setgroups', `setgroups ${want}`, 'unknown', 'unknown', `${NO_PROC}: /proc/self/setgroups could not be read`);
    else add(path, 'setgroups', `setgroups ${want}`, `setgroups ${seen}`, seen === want ? 'match' : 'differs', `setgroups is ${seen} in its user namespace`);
  }

  // --- limits and scheduling
  const umask = textAt(sys.umask);
  if (umask !== undefined && /^[0-7]{1,4}$/.test(umask)) {
    const mask = parseInt(umask, 8);
    add('sys.umask', '', `umask ${octal(mask)}`, `umask ${octal(report.umask)}`, report.umask === mask ? 'match' : 'differs', `the mask it started with is ${octal(report.umask)}`);
  }
  const rlimits = objectAt(sys.rlimits);
  for (const name of RLIMITS) {
    const asked = objectAt(rlimits[name]);
    const soft = limitAt(asked.soft);
    const hard = limitAt(asked.hard);
    if (soft === undefined || hard === undefined) continue;
    const seen = report.rlimits[name];
    const words = `RLIMIT_${name} ${limitText({ soft, hard })}`;
    if (seen === null) add('sys.rlimits', name, words, 'unknown', 'unknown', `the kernel the probe ran on does not know RLIMIT_${name}`);
    else add('sys.rlimits', name, words, `RLIMIT_${name} ${limitText(seen)}`, seen.soft === soft && seen.hard === hard ? 'match' : 'differs', `its limits are soft ${seen.soft}, hard ${seen.hard}`);
  }
  const nice = intAt(sys.nice);
  if (nice !== undefined) {
    if (report.nice === null) add('sys.nice', '', `nice ${nice}`, 'unknown', 'unknown', 'getpriority failed');
    else add('sys.nice', '', `nice ${nice}`, `nice ${report.nice}`, report.nice === nice ? 'match' : 'differs', `its nice value is ${report.nice}`);
  }
  const cpus = [...new Set(intsAt(sys.cpuAffinity))].sort((a, b) => a - b);
  if (cpus.length > 0) {
    add('sys.cpuAffinity', '', `CPUs ${cpuList(cpus)}`, `CPUs ${cpuList(report.cpuAffinity) ?? 'none'}`, sameSet(report.cpuAffinity, cpus) ? 'match' : 'differs',
      'sched_setaffinity keeps only the CPUs that are online and allowed by its cpuset');
  }
  const oom = intAt(sys.oomScoreAdj);
  if (oom !== undefined) {
    if (report.oomScoreAdj === null) add('sys.oomScoreAdj', '', `oom_score_adj ${oom}`, 'unknown', 'unknown', `${NO_PROC}: oom_score_adj is read from /proc/self`);
    else add('sys.oomScoreAdj', '', `oom_score_adj ${oom}`, `oom_score_adj ${report.oomScoreAdj}`, report.oomScoreAdj === oom ? 'match' : 'differs', `its oom_score_adj is ${report.oomScoreAdj}`);
  }
  const cgroup = textAt(sys.cgroup);
  if (cgroup) {
    const seen = report.cgroup;
    const dirPath = lexicalPath(cgroup);
    if (seen === null) add('sys.cgroup', '', `cgroup ${cgroup}`, 'unknown', 'unknown', `${NO_PROC}, or no cgroup v2: the cgroup is read from /proc/self/cgroup`);
    else if (seen === '/') add('sys.cgroup', '', `cgroup ${cgroup}`, 'cgroup /', 'unknown', 'it is at the root of its cgroup hierarchy (or of a new cgroup namespace): which directory that is, the path does not say');
    else add('sys.cgroup', '', `cgroup ${cgroup}`, `cgroup ${seen}`, dirPath === seen || dirPath.endsWith(seen) ? 'match' : 'differs',
      `it is in ${seen} (a path from the root of its cgroup hierarchy), which ${cgroup} does not end with`);
  }
  return rows;
}
