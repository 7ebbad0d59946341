// proclab import --pid PID: a profile that launches a running process's program again with
// the setup /proc shows it has (proc(5)): argv, exe, the environment it was started with,
// cwd and root, its descriptors (process-files.ts), credentials, session and group,
// controlling terminal, capabilities, namespaces, cgroup, limits, umask, nice, affinity.
// Where a field of the profile cannot say what the process has (a signal it ignores, a
// namespace it is in rather than a new one), a warning says so. Only what /proc showed goes
// in: a process this user may not read is an error naming what could not be read.
import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

import { bytesValue, showBytes, type Bytes } from '../../../shared/bytes';
import { CAPABILITIES, NAMESPACE_FLAGS } from '../../../shared/engine-names';
import type { ImportOutcome } from '../../../shared/import';
import type { InspectedProcess } from '../../../shared/inspect';
import { NAMESPACES, type NamespaceName } from '../../../shared/namespaces';
import type { Profile } from '../../../shared/profile';
import { inspectProcess, statusOf } from '../inspect';
import { labNamespaceIds } from '../namespaces';
import { processFiles } from './process-files';

type Sys = NonNullable<Profile['sys']>;

const CGROUP_ROOT = '/sys/fs/cgroup';

const NAMESPACE_FLAG: Partial<Record<NamespaceName, (typeof NAMESPACE_FLAGS)[number]>> = {
  user: 'CLONE_NEWUSER', pid: 'CLONE_NEWPID', mnt: 'CLONE_NEWNS', uts: 'CLONE_NEWUTS', ipc: 'CLONE_NEWIPC', net: 'CLONE_NEWNET', cgroup: 'CLONE_NEWCGROUP',
};

/** What /proc/PID holds that inspect does not read, or the names of what it could not. */
function procFiles(pid: number) {
  const unreadable: string[] = [];
  const attempt = <T>(what: string, read: () => T): T | null => {
    try {
      return read();
    } catch {
      unreadable.push(what);
      return null;
    }
  };
  const nulSeparated = (file: string) => {
    const bytes = readFileSync(`/proc/${pid}/${file}`);
    const parts: Bytes[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) continue;
      parts.push(bytesValue(bytes.subarray(start, i)));
      start = i + 1;
    }
    return parts;
  };
  const read = {
    argv: attempt('cmdline', () => nulSeparated('cmdline')),
    exe: attempt('exe (the program)', () => readlinkSync(`/proc/${pid}/exe`)),
    environ: attempt('environ', () => nulSeparated('environ')),
    cwd: attempt('cwd', () => readlinkSync(`/proc/${pid}/cwd`)),
    root: attempt('root', () => readlinkSync(`/proc/${pid}/root`)),
    status: attempt('status', () => statusOf(readFileSync(`/proc/${pid}/status`, 'utf8'))),
    // stat's 19th field; the command name before it may hold ") " itself.
    nice: attempt('stat', () => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    }),
    oomScoreAdj: attempt('oom_score_adj', () => Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8'))),
  };
  return { ...read, unreadable };
}

/** A user namespace's id map file as the profile's mappings. */
function idMap(pid: number, file: 'uid_map' | 'gid_map'): NonNullable<Sys['uidMappings']> {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/).map(Number))
    .map(([containerId, hostId, size]) => ({ containerId: containerId!, hostId: hostId!, size: size! }));
}

/** A path as the process sees it inside its root (the link reads it from ours). */
const insideRoot = (path: string, root: string) => (root === '/' ? path : path.startsWith(`${root}/`) ? path.slice(root.length) : path === root ? '/' : path);

function sessionFields(seen: InspectedProcess, lab: InspectedProcess, sys: Sys, files: NonNullable<Profile['files']>, notes: string[]): void {
  if (seen.sid === seen.pid) sys.setsid = true;
  else if (seen.pgid === seen.pid) sys.setpgid = true;
  else if (seen.pgid !== lab.pgid) {
    if (seen.sid === lab.sid) Object.assign(sys, { setpgid: true, pgid: seen.pgid });
    notes.push(
      seen.sid === lab.sid
        ? `it is in process group ${seen.pgid}, which the profile joins (setpgid, pgid ${seen.pgid}) while that group exists`
        : `it is in process group ${seen.pgid} of session ${seen.sid}, which the lab cannot join from its own session: the child stays in the lab's group`,
    );
  }
  if (seen.tty === null) return;
  const ptySlot = files.findIndex((f) => f.type === 'pty');
  if (seen.sid === seen.pid && ptySlot >= 0) Object.assign(sys, { setctty: true, ctty: ptySlot });
  else notes.push(`its controlling terminal is ${seen.tty}${seen.sid === seen.pid ? ', which none of its fds is: the child gets none' : ` (session ${seen.sid}'s): the child gets the lab's, if any`}`);
}

function privilegeFields(seen: InspectedProcess, lab: InspectedProcess, sys: Sys, notes: string[]): void {
  const { uids, gids, groups, capabilities } = seen;
  const sameGroups = (a: number[] | null, b: number[] | null) => JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
  if (uids && gids && (uids.real !== lab.uids?.real || gids.real !== lab.gids?.real || !sameGroups(groups, lab.groups))) {
    sys.credential = { uid: uids.real, gid: gids.real, groups: groups ?? [] };
  }
  if (uids && (uids.effective !== uids.real || uids.saved !== uids.real)) notes.push(`its uids differ (real ${uids.real}, effective ${uids.effective}, saved ${uids.saved}): the profile sets all three to ${uids.real}`);
  if (gids && (gids.effective !== gids.real || gids.saved !== gids.real)) notes.push(`its gids differ (real ${gids.real}, effective ${gids.effective}, saved ${gids.saved}): the profile sets all three to ${gids.real}`);
  const ambient = (capabilities?.ambient ?? []).filter((c): c is (typeof CAPABILITIES)[number] => (CAPABILITIES as readonly string[]).includes(c));
  if (ambient.length > 0) sys.ambientCaps = ambient;
  const extra = (capabilities?.effective ?? []).filter((c) => !ambient.includes(c as (typeof CAPABILITIES)[number]));
  if (uids?.real !== 0 && extra.length > 0) notes.push(`it holds ${extra.join(', ')} beyond its ambient set (file capabilities, or kept across a setuid): the profile can give only ambient ones`);
  const { signals } = seen;
  if (signals && (signals.ignored.length > 0 || signals.blocked.length > 0)) {
    const parts = [signals.ignored.length > 0 && `ignores ${signals.ignored.join(', ')}`, signals.blocked.length > 0 && `blocks ${signals.blocked.join(', ')}`].filter(Boolean);
    notes.push(`it ${parts.join(' and ')} now (perhaps its own doing after exec): a profile cannot set dispositions or a mask, only reset them (resetSignals), which it does`);
  }
}

function namespaceFields(pid: number, seen: InspectedProcess, sys: Sys, notes: string[]): void {
  const other = NAMESPACES.filter((n) => NAMESPACE_FLAG[n] && seen.namespaces[n]?.origin === 'new');
  if (other.length === 0) return;
  sys.cloneflags = other.map((n) => NAMESPACE_FLAG[n]!);
  notes.push(`its ${other.join(', ')} namespaces are not the lab's: the profile asks for NEW ones (cloneflags), empty of what its own hold (mounts, interfaces, hostname, processes); the lab cannot join existing ones`);
  if (other.includes('user')) {
    try {
      sys.uidMappings = idMap(pid, 'uid_map');
      sys.gidMappings = idMap(pid, 'gid_map');
      sys.gidMappingsEnableSetgroups = readFileSync(`/proc/${pid}/setgroups`, 'utf8').trim() === 'allow';
    } catch {
      notes.push("its user namespace's id maps could not be read: the new one is left unmapped");
    }
  }
}

function limitFields(seen: InspectedProcess, lab: InspectedProcess, sys: Sys): void {
  const limit = (v: string) => (v === 'unlimited' ? 'unlimited' : Number(v));
  const rlimits: NonNullable<Sys['rlimits']> = {};
  for (const [name, l] of Object.entries(seen.rlimits ?? {})) {
    const own = lab.rlimits?.[name];
    if (own && (own.soft !== l.soft || own.hard !== l.hard) && /^(\d+|unlimited)$/.test(l.soft) && /^(\d+|unlimited)$/.test(l.hard)) rlimits[name] = { soft: limit(l.soft), hard: limit(l.hard) };
  }
  if (Object.keys(rlimits).length > 0) sys.rlimits = rlimits;
  if (seen.umask !== null && seen.umask !== lab.umask) sys.umask = seen.umask;
  if (seen.cgroup !== null && seen.cgroup !== lab.cgroup) sys.cgroup = `${CGROUP_ROOT}${seen.cgroup}`;
}

function cpuList(list: string | undefined): number[] {
  return (list ?? '').split(',').filter(Boolean).flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  });
}

export function importProcess(pid: number): ImportOutcome {
  const lab = inspectProcess(process.pid, labNamespaceIds(), { descendants: false });
  const seen = inspectProcess(pid, labNamespaceIds(), { descendants: false });
  if (!seen || !lab) return { ok: false, message: `no process ${pid}` };
  const proc = procFiles(pid);
  if (seen.fds === null) proc.unreadable.push('fds');
  if (proc.unreadable.length > 0) {
    return { ok: false, message: `cannot read pid ${pid} (${seen.comm}): its ${proc.unreadable.join(', ')}: /proc lets only the process's own user (while it is dumpable) and root read these` };
  }
  if (proc.argv!.length === 0) return { ok: false, message: `pid ${pid} (${seen.comm}) has no command line: a kernel thread or a zombie has no program to launch` };

  const root = proc.root!;
  const notes: string[] = [];
  const exe = proc.exe!.endsWith(' (deleted)') ? proc.exe!.slice(0, -' (deleted)'.length) : proc.exe!;
  if (exe !== proc.exe) notes.push(`its program ${exe} has been deleted or replaced since it started: the profile names the path, which may now be another program or none`);
  const { files, notes: fileNotes } = processFiles(pid, seen.fds!);
  const env = proc.environ!.filter((entry) => /^[^=]+=/.test(showBytes(entry)));
  if (env.length < proc.environ!.length) notes.push(`${proc.environ!.length - env.length} of its environment entries are not NAME=value: left out`);
  const sys: Sys = {};
  if (root !== '/') sys.chroot = root;
  sessionFields(seen, lab, sys, files, notes);
  privilegeFields(seen, lab, sys, notes);
  namespaceFields(pid, seen, sys, notes);
  limitFields(seen, lab, sys);
  if (proc.nice !== os.getPriority()) sys.nice = proc.nice!;
  const cpus = cpuList(proc.status!.get('Cpus_allowed_list'));
  if (cpus.join() !== cpuList(statusOf(readFileSync('/proc/self/status', 'utf8')).get('Cpus_allowed_list')).join()) sys.cpuAffinity = cpus;
  if (proc.status!.get('NoNewPrivs') === '1') sys.noNewPrivs = true;
  if (proc.oomScoreAdj !== Number(readFileSync('/proc/self/oom_score_adj', 'utf8'))) sys.oomScoreAdj = proc.oomScoreAdj!;

  const warnings = [...fileNotes, ...notes];
  const profile: Profile = {
    version: 1,
    name: `imported: pid ${pid} (${seen.comm})`,
    description: [
      `Imported from pid ${pid} (${seen.comm}) at ${new Date().toISOString()}.`,
      'The environment is the one it was started with (/proc/PID/environ keeps what its exec got, not later changes); argv is as it reads now (a program may rewrite it).',
      ...warnings,
    ].join('\n'),
    path: insideRoot(exe, root),
    args: proc.argv!,
    dir: insideRoot(proc.cwd!, root),
    inheritEnv: false,
    env,
    files,
    ...(Object.keys(sys).length > 0 && { sys }),
  };
  return { ok: true, profile, warnings };
}
