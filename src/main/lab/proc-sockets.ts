// The sockets of a network namespace as /proc/PID/net shows them (proc(5): /proc/net/tcp,
// tcp6, udp, udp6, unix), by inode: what "socket:[inode]" in an fd link is. For inspect's
// socket addresses, and the other end of a TCP connection within the same namespace.
import { readFileSync } from 'node:fs';

export interface SocketEntry {
  /** "tcp 127.0.0.1:8080 -> 127.0.0.1:51234 ESTABLISHED", "unix /run/x.sock", "udp 0.0.0.0:53". */
  address: string;
  /** The inode of the other end of a TCP connection whose both ends are in this namespace. */
  peerInode?: number;
}

// include/net/tcp_states.h
const TCP_STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

/** The sockets of the namespace `pid` is in, by inode; empty when its /proc/PID/net cannot be read. */
export function socketsOf(pid: number): Map<number, SocketEntry> {
  const sockets = new Map<number, SocketEntry>();
  const byEnds = new Map<string, number>();
  const connections: { inode: number; local: string; remote: string }[] = [];
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const row of rows(pid, proto)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const [, local, remote, st, , , , , , inode] = row;
      if (!local || !remote || !st || !inode || inode === '0') continue;
      const state = TCP_STATES[parseInt(st, 16)] ?? st;
      const [from, to] = [endpoint(local), endpoint(remote)];
      const connected = !/^(0\.0\.0\.0|\[::\]):0$/.test(to);
      const name = proto.replace('6', '');
      const address = `${name} ${from}${connected && state !== 'LISTEN' ? ` -> ${to}` : ''}${name === 'tcp' ? ` ${state}` : ''}`;
      sockets.set(Number(inode), { address });
      if (name === 'tcp' && state === 'ESTABLISHED') {
        byEnds.set(`${from}|${to}`, Number(inode));
        connections.push({ inode: Number(inode), local: from, remote: to });
      }
    }
  }
  for (const c of connections) {
    const peer = byEnds.get(`${c.remote}|${c.local}`);
    if (peer !== undefined) sockets.get(c.inode)!.peerInode = peer;
  }
  for (const row of rows(pid, 'unix')) {
    // Num RefCount Protocol Flags Type St Inode [Path]
    const inode = row[6];
    if (!inode) continue;
    const path = row.slice(7).join(' ');
    const address = path === '' ? 'unix (unnamed)' : path.startsWith('@') ? `unix abstract ${path}` : `unix ${path}`;
    sockets.set(Number(inode), { address });
  }
  return sockets;
}

function rows(pid: number, table: string): string[][] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/));
}

// "0100007F:1F90" -> "127.0.0.1:8080"; IPv6 as four 32-bit words, each in host (little-endian) order.
function endpoint(hex: string): string {
  const [addr = '', port = '0'] = hex.split(':');
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  const p = parseInt(port, 16);
  if (bytes.length === 4) return `${bytes.join('.')}:${p}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `[${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}]:${p}`;
}
