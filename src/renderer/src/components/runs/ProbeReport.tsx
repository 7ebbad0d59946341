// What the probe saw: the process state the child really received.
import type { ReactNode } from 'react';

import type { ProbeReport } from '@shared/api';

/** The value alone carries the testid (a spec compares probe-sid with probe-pid); notes go beside it. */
function Row({ label, id, children, hint, note }: { label: string; id: string; children: ReactNode; hint?: string; note?: ReactNode }) {
  return (
    <tr>
      <th scope="row" title={hint}>
        {label}
      </th>
      <td>
        <span className="mono" data-testid={`probe-${id}`}>
          {children}
        </span>
        {note}
      </td>
    </tr>
  );
}

/** A second value in the same row (euid beside uid), with its own testid. */
function Also({ label, id, value }: { label: string; id: string; value: number }) {
  return (
    <span className="also">
      {label} <span className="mono" data-testid={`probe-${id}`}>{value}</span>
    </span>
  );
}

const none = <span className="muted">none</span>;
const list = (items: readonly (string | number)[]) => (items.length === 0 ? none : items.join(', '));

export function ProbeReportView({ report }: { report: ProbeReport }) {
  const leader = report.sid === report.pid;
  const groupLeader = report.pgid === report.pid;
  return (
    <section className="probe-report" data-testid="probe-report" aria-labelledby="probe-heading">
      <div className="subhead">
        <h4 id="probe-heading">What the child received</h4>
        <span className="muted">reported by the probe, run in place of the program</span>
      </div>
      <div className="probe-grid">
        <table className="kv-table">
          <tbody>
            <Row label="pid" id="pid">{report.pid}</Row>
            <Row label="ppid" id="ppid">{report.ppid}</Row>
            <Row label="process group" id="pgid" hint="pgid" note={groupLeader && <span className="tag">leader</span>}>
              {report.pgid}
            </Row>
            <Row label="session" id="sid" hint="sid" note={leader && <span className="tag">leader</span>}>
              {report.sid}
            </Row>
            <Row label="controlling tty" id="tty">
              {report.tty.ctty ?? none}
            </Row>
            <Row label="foreground group" id="foreground" hint="tcgetpgrp on the controlling terminal">
              {report.tty.foregroundPgid ?? none}
            </Row>
            <Row label="tracer" id="tracer" hint="TracerPid">
              {report.tracer ? report.tracer : none}
            </Row>
          </tbody>
        </table>
        <table className="kv-table">
          <tbody>
            <Row label="uid" id="uid" note={<Also label="euid" id="euid" value={report.euid} />}>
              {report.uid}
            </Row>
            <Row label="gid" id="gid" note={<Also label="egid" id="egid" value={report.egid} />}>
              {report.gid}
            </Row>
            <Row label="groups" id="groups">{list(report.groups)}</Row>
            <Row label="cwd" id="cwd">{report.cwd ?? none}</Row>
            <Row label="root" id="root">{report.root ?? none}</Row>
            <Row label="umask" id="umask">{report.umask.toString(8).padStart(4, '0')}</Row>
          </tbody>
        </table>
      </div>
      <h5>Descriptors</h5>
      <table className="grid-table compact probe-fds" data-testid="probe-fds">
        <thead>
          <tr>
            <th scope="col">fd</th>
            <th scope="col">target</th>
            <th scope="col">type</th>
            <th scope="col">access</th>
            <th scope="col">close-on-exec</th>
            <th scope="col">tty</th>
          </tr>
        </thead>
        <tbody>
          {report.fds.map((fd) => (
            <tr key={fd.fd} data-testid="probe-fd" data-fd={fd.fd}>
              <td className="mono">{fd.fd}</td>
              <td className="mono break">{fd.target ?? '?'}</td>
              <td>{fd.type}</td>
              <td className="mono">
                {fd.access}
                {fd.append ? ' (append)' : ''}
              </td>
              <td>{fd.cloexec ? <span className="warning-text">yes</span> : 'no'}</td>
              <td>{fd.tty ? 'yes' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h5>Signals</h5>
      <table className="kv-table">
        <tbody>
          <Row label="ignored" id="signals-ignored">{list(report.signals.ignored)}</Row>
          <Row label="blocked" id="signals-blocked">{list(report.signals.blocked)}</Row>
          <Row label="caught" id="signals-caught">{list(report.signals.caught)}</Row>
        </tbody>
      </table>
      <h5>argv</h5>
      <ol className="mono probe-list" data-testid="probe-argv" start={0}>
        {report.argv.map((a, i) => (
          <li key={i}>{JSON.stringify(a)}</li>
        ))}
      </ol>
      <details className="probe-env">
        <summary>
          Environment <span className="muted">({report.env.length} entries)</span>
        </summary>
        <ul className="mono probe-list" data-testid="probe-env">
          {report.env.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}
