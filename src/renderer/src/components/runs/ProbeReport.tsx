// What the probe saw: the process state the child really received.
import type { ReactNode } from 'react';

import type { ProbeReport } from '@shared/api';
import { PROBE_GROUPS, type ProbeRow, type ProbeText } from '@shared/probe-observations';

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

const none = <span className="muted">none</span>;
const shown = (text: ProbeText) => text ?? none;
const list = (items: readonly (string | number)[]) => (items.length === 0 ? none : items.join(', '));

/** A row of PROBE_GROUPS: its value, its tag when it holds, and a second value (euid beside uid). */
function ObservationRow({ row, report }: { row: ProbeRow; report: ProbeReport }) {
  const note = (
    <>
      {row.tag?.when(report) && <span className="tag">{row.tag.text}</span>}
      {row.also && (
        <span className="also">
          {row.also.label} <span className="mono" data-testid={`probe-${row.also.id}`}>{shown(row.also.text(report))}</span>
        </span>
      )}
    </>
  );
  return (
    <Row label={row.label} id={row.id} hint={row.hint} note={note}>
      {shown(row.text(report))}
    </Row>
  );
}

export function ProbeReportView({ report }: { report: ProbeReport }) {
  return (
    <section className="probe-report" data-testid="probe-report" aria-labelledby="probe-heading">
      <div className="subhead">
        <h4 id="probe-heading">What the child received</h4>
        <span className="muted">reported by the probe, run in place of the program</span>
      </div>
      <div className="probe-grid">
        {PROBE_GROUPS.map((group) => (
          <table key={group.name} className="kv-table">
            <tbody>
              {group.rows.map((row) => (
                <ObservationRow key={row.id} row={row} report={report} />
              ))}
            </tbody>
          </table>
        ))}
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
