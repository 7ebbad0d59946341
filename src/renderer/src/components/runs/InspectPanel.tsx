// The run's child and its descendants as /proc shows them now (the lab's inspect), live
// while the child runs: refreshed about once a second while the panel is open. Each
// process: state, ids, session, group and terminal, signals against their defaults,
// capabilities, namespaces, cgroup, umask, limits, and every fd with, for a pipe or a
// socket, who holds the other end (and a socket's addresses).
import { useEffect, useState } from 'react';

import type { InspectedProcess } from '@shared/inspect';
import { capabilitiesWords, limitsWords, namespacesWords, signalsWords } from '@shared/inspect-words';
import { getLabApi } from '../../api';

const REFRESH_MS = 1000;

function ProcessView({ p }: { p: InspectedProcess }) {
  return (
    <li className="inspect-process" data-testid="inspect-process" data-pid={p.pid} data-comm={p.comm}>
      <div className="inspect-head">
        <strong className="mono">{p.pid}</strong> <span className="mono">{p.comm}</span> <span className="muted">{p.state}</span>
      </div>
      <div className="inspect-line muted">
        ppid {p.ppid} · pgid {p.pgid} · sid {p.sid} · {p.tty ? `terminal ${p.tty} (foreground group ${p.tpgid})` : 'no controlling terminal'}
        {p.uids && ` · uid ${p.uids.effective} gid ${p.gids?.effective}`}
      </div>
      {p.argv && <div className="inspect-line mono break">{p.argv.map((a) => JSON.stringify(a)).join(' ')}</div>}
      {p.signals && (
        <div className="inspect-line" data-testid="inspect-signals">
          <span className="muted">signals:</span> {signalsWords(p.signals)}
        </div>
      )}
      {p.capabilities && (
        <div className="inspect-line" data-testid="inspect-capabilities">
          <span className="muted">capabilities:</span> {capabilitiesWords(p.capabilities)}
        </div>
      )}
      <div className="inspect-line" data-testid="inspect-namespaces">
        <span className="muted">namespaces:</span> {namespacesWords(p.namespaces)} · <span className="muted">cgroup</span> <span className="mono">{p.cgroup ?? '?'}</span> ·{' '}
        <span className="muted">umask</span> <span className="mono">{p.umask ?? '?'}</span>
      </div>
      {p.rlimits && (
        <details className="inspect-line" data-testid="inspect-limits">
          <summary className="muted">limits (soft/hard)</summary>
          <span className="mono">{limitsWords(p.rlimits)}</span>
        </details>
      )}
      {p.fds && (
        <table className="grid-table compact inspect-fds">
          <tbody>
            {p.fds.map((fd) => (
              <tr key={fd.fd} data-testid="inspect-fd" data-fd={fd.fd}>
                <td className="mono">{fd.fd}</td>
                <td className="mono nowrap">
                  {fd.target ?? '?'}
                  {fd.address && <div className="muted" data-testid="inspect-fd-address">{fd.address}</div>}
                </td>
                <td>{fd.cloexec ? 'close-on-exec' : ''}</td>
                <td className="mono" data-testid="inspect-fd-peers">
                  {fd.peers && (fd.peers.length === 0 ? <span className="muted">no other holder</span> : fd.peers.map((h) => `⇄ ${h.pid} (${h.comm}) fd ${h.fd}`).join(', '))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.unreadable.length > 0 && <div className="inspect-line muted">could not see: {p.unreadable.join(', ')}</div>}
      {p.children.length > 0 && (
        <ul className="inspect-tree">
          {p.children.map((c) => (
            <ProcessView key={c.pid} p={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function InspectPanel({ runId, running }: { runId: string; running: boolean }) {
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState<InspectedProcess | null | undefined>(undefined);
  useEffect(() => {
    if (!open || !running) return;
    let stopped = false;
    const refresh = () =>
      void getLabApi()
        .inspect(runId)
        .then((p) => stopped || setSeen(p))
        .catch(() => stopped || setSeen(null));
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [open, running, runId]);
  if (!running && !seen) return null;
  return (
    <details className="inspect-panel" data-testid="inspect-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Inspect the child and its descendants <span className="muted">{running ? '(live, from /proc, once a second)' : '(as last seen: the child has ended)'}</span>
      </summary>
      {seen === undefined && open && <p className="muted">reading /proc…</p>}
      {seen === null && <p className="muted">The child has ended: nothing left to inspect.</p>}
      {seen && (
        <ul className="inspect-tree">
          <ProcessView p={seen} />
        </ul>
      )}
    </details>
  );
}
