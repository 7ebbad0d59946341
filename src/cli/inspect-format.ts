// `proclab inspect PID` in words: a process and its descendants, indented by depth.
import type { InspectedProcess } from '../shared/inspect';
import { capabilitiesWords, limitsWords, namespacesWords, signalsWords } from '../shared/inspect-words';

const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(' '));

export function formatInspected(p: InspectedProcess, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const lines = [
    `pid ${p.pid} (${p.comm}) ${p.state}: ppid ${p.ppid}, pgid ${p.pgid}, sid ${p.sid}` +
      (p.tty ? `, terminal ${p.tty} (foreground group ${p.tpgid})` : ', no controlling terminal'),
  ];
  if (p.argv) lines.push(`argv: ${p.argv.map((a) => JSON.stringify(a)).join(' ')}`);
  if (p.uids && p.gids) {
    lines.push(`uid ${p.uids.real}/${p.uids.effective}/${p.uids.saved}, gid ${p.gids.real}/${p.gids.effective}/${p.gids.saved} (real/effective/saved), groups ${list((p.groups ?? []).map(String))}`);
  }
  if (p.signals) lines.push(`signals: ${signalsWords(p.signals)}`);
  if (p.capabilities) lines.push(`capabilities: ${capabilitiesWords(p.capabilities)}`);
  lines.push(`namespaces: ${namespacesWords(p.namespaces)}`);
  lines.push(`cgroup ${p.cgroup ?? '(unknown)'}, umask ${p.umask ?? '(unknown)'}`);
  if (p.rlimits) lines.push(`limits: ${limitsWords(p.rlimits)}`);
  if (p.fds) {
    lines.push('fds:');
    for (const fd of p.fds) {
      const peers = fd.peers?.length ? ` <-> ${fd.peers.map((h) => `pid ${h.pid} (${h.comm}) fd ${h.fd}`).join(', ')}` : fd.peers ? ' (no other holder)' : '';
      lines.push(`  ${fd.fd} ${fd.target ?? '?'}${fd.address ? ` ${fd.address}` : ''}${fd.cloexec ? ' [close-on-exec]' : ''}${peers}`);
    }
  }
  if (p.unreadable.length > 0) lines.push(`could not see: ${p.unreadable.join(', ')}`);
  const out = lines.map((line) => pad + line);
  for (const child of p.children) out.push(`${pad}child:`, ...formatInspected(child, depth + 1));
  return out;
}
