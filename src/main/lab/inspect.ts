// A live process's setup as /proc shows it (proclab inspect, contract section 4): ids,
// session, group and terminal, signals and capabilities by name, namespaces (the lab's or
// new), cgroup, limits, umask, every fd with its target, close-on-exec and, for a pipe or a
// socket, who holds the other end; and its descendants, each the same. Works for any pid the
// user may read: what /proc does not let it see is listed, never guessed (proc(5)).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

import { CAPABILITIES, RLIMITS } from '../../shared/engine-names';
import type { InspectedFd, InspectedProcess } from '../../shared/inspect';
import { namespaceOrigins, NAMESPACES, type NamespaceIds } from '../../shared/namespaces';
import { signalByNumber } from '../../shared/signals';
import { labNamespaceIds, namespaceIdsOf } from './namespaces';
import { commOf, descriptorFlags, openDescriptors } from './proc-fds';
import { socketsOf, type SocketEntry } from './proc-sockets';

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** /proc/PID/status as key -> value. */
export function statusOf(text: string): Map<string, string> {
  return new Map(text.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
}

/** A hex mask of /proc/PID/status (SigIgn, CapEff...) as the names of its bits. */
function bits(hex: string | undefined, name: (bit: number) => string): string[] {
  if (hex === undefined) return [];
  const mask = BigInt(`0x${hex}`);
  const out: string[] = [];
  for (let bit = 0; bit < 64; bit++) if (mask & (1n << BigInt(bit))) out.push(name(bit));
  return out;
}
const signalName = (bit: number) => signalByNumber(bit + 1)?.name ?? `SIG${bit + 1}`;
const capName = (bit: number) => CAPABILITIES[bit] ?? `CAP_${bit}`;

/** A terminal's name from stat's tty_nr (major 136-143: /dev/pts/N; 4: /dev/ttyN). */
function ttyName(nr: number): string | null {
  if (nr === 0) return null;
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `/dev/pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return `/dev/tty${minor}`;
  if (major === 5 && minor === 0) return '/dev/tty';
  return `tty ${major}:${minor}`;
}

/** Every pipe and socket descriptor of every process we may read, by target (for the peers of each). */
function holdersByTarget(): Map<string, { pid: number; fd: number }[]> {
  const holders = new Map<string, { pid: number; fd: number }[]>();
  for (const { pid, fd, target } of openDescriptors()) {
    if (/^(pipe|socket):/.test(target)) holders.set(target, [...(holders.get(target) ?? []), { pid, fd }]);
  }
  return holders;
}

function fdsOf(pid: number, holders: () => Map<string, { pid: number; fd: number }[]>): InspectedFd[] | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  let sockets: Map<number, SocketEntry> | undefined;
  const holdersOf = (target: string) =>
    (holders().get(target) ?? [])
      .filter((h) => h.pid !== pid)
      // The lab itself holds the other end of each pipe it reads.
      .map((h) => ({ ...h, comm: h.pid === process.pid ? 'the lab' : commOf(h.pid) }));
  return names
    .map(Number)
    .sort((a, b) => a - b)
    .map((fd) => {
      let target: string | null = null;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        // gone, or not ours to read
      }
      const flags = descriptorFlags(pid, fd);
      const entry: InspectedFd = { fd, target, cloexec: flags === null ? null : (flags & 0o2000000) !== 0 };
      if (target && /^(pipe|socket):/.test(target)) entry.peers = holdersOf(target);
      const inode = target && /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) {
        const socket = (sockets ??= socketsOf(pid)).get(Number(inode));
        if (socket) entry.address = socket.address;
        // A TCP connection's other end, in this namespace: its socket's holders.
        if (socket?.peerInode !== undefined) entry.peers = [...entry.peers!, ...holdersOf(`socket:[${socket.peerInode}]`)];
      }
      return entry;
    });
}

function childrenOf(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  return tasks.flatMap((tid) => (read(`/proc/${pid}/task/${tid}/children`) ?? '').trim().split(/\s+/).filter(Boolean).map(Number));
}

function rlimitsOf(pid: number): InspectedProcess['rlimits'] {
  const text = read(`/proc/${pid}/limits`);
  if (text === null) return null;
  const lines = text.split('\n').slice(1).filter(Boolean);
  // The kernel's order in /proc/PID/limits is the resources' own (RLIMIT_CPU first).
  return Object.fromEntries(lines.slice(0, RLIMITS.length).map((line, i) => {
    const [soft, hard] = line.slice(26).trim().split(/\s+/);
    return [RLIMITS[i]!, { soft: soft ?? '?', hard: hard ?? '?' }];
  }));
}

/** The processes (other than this one) holding an open file whose /proc link reads `target`, e.g. "pipe:[123]". */
export function processesHolding(target: string): { pid: number; comm: string }[] {
  const pids = new Set<number>();
  for (const d of openDescriptors()) if (d.target === target && d.pid !== process.pid) pids.add(d.pid);
  return [...pids].map((pid) => ({ pid, comm: commOf(pid) }));
}

/** The process `pid` and its descendants (unless `descendants` is false), or null when there is no such process. */
export function inspectProcess(pid: number, lab: NamespaceIds = labNamespaceIds(), { descendants = true } = {}): InspectedProcess | null {
  let holders: Map<string, { pid: number; fd: number }[]> | undefined;
  const lazyHolders = () => (holders ??= holdersByTarget());
  const inspect = (p: number): InspectedProcess | null => {
    const stat = read(`/proc/${p}/stat`);
    if (stat === null) return null;
    // "pid (comm) state ppid pgrp session tty_nr tpgid ...": comm may hold ") " itself.
    const close = stat.lastIndexOf(')');
    const [state, ppid, pgid, sid, ttyNr, tpgid] = stat.slice(close + 2).split(' ');
    const status = statusOf(read(`/proc/${p}/status`) ?? '');
    const unreadable: string[] = [];
    const triple = (key: string) => {
      const v = status.get(key)?.split(/\s+/).map(Number);
      return v && v.length >= 3 ? { real: v[0]!, effective: v[1]!, saved: v[2]! } : null;
    };
    const cmdline = read(`/proc/${p}/cmdline`);
    if (cmdline === null) unreadable.push('cmdline');
    const fds = fdsOf(p, lazyHolders);
    if (fds === null) unreadable.push('fds (only its owner and root may list them)');
    const ns = namespaceIdsOf(p);
    const origins = namespaceOrigins(ns, lab);
    if (NAMESPACES.some((n) => ns[n] === null)) unreadable.push('some namespaces');
    return {
      pid: p,
      comm: status.get('Name') ?? stat.slice(stat.indexOf('(') + 1, close),
      argv: cmdline === null ? null : cmdline.split('\0').slice(0, -1),
      state: status.get('State') ?? state!,
      ppid: Number(ppid),
      pgid: Number(pgid),
      sid: Number(sid),
      tpgid: Number(tpgid),
      tty: ttyName(Number(ttyNr)),
      uids: triple('Uid'),
      gids: triple('Gid'),
      groups: status.has('Groups') ? status.get('Groups')!.split(/\s+/).filter(Boolean).map(Number) : null,
      signals: status.has('SigIgn')
        ? { ignored: bits(status.get('SigIgn'), signalName), blocked: bits(status.get('SigBlk'), signalName), caught: bits(status.get('SigCgt'), signalName), pending: bits(status.get('SigPnd'), signalName) }
        : null,
      capabilities: status.has('CapEff')
        ? { inheritable: bits(status.get('CapInh'), capName), permitted: bits(status.get('CapPrm'), capName), effective: bits(status.get('CapEff'), capName), bounding: bits(status.get('CapBnd'), capName), ambient: bits(status.get('CapAmb'), capName) }
        : null,
      namespaces: Object.fromEntries(NAMESPACES.map((n) => [n, { id: ns[n], origin: origins[n] }])),
      cgroup: read(`/proc/${p}/cgroup`)?.match(/^0::(.*)$/m)?.[1] ?? null,
      rlimits: rlimitsOf(p),
      umask: status.get('Umask') ?? null,
      fds,
      children: (descendants ? childrenOf(p) : []).map(inspect).filter((c): c is InspectedProcess => c !== null),
      unreadable,
    };
  };
  return inspect(pid);
}
