// What the probe saw: the process state the child really received.
import { Fragment, useId, useState, type ReactNode } from 'react';

import type { ProbeCapabilities, ProbeReport, RlimitName } from '@shared/api';
import { textOf } from '../../lib/draft';
import { askedVsGot, type AskedVerdict } from '@shared/asked-vs-got';
import { RLIMITS } from '@shared/engine-names';
import { NAMESPACE_FILES, NAMESPACE_ORIGIN_TEXT, NAMESPACES, namespaceOrigins, type NamespaceIds } from '@shared/namespaces';
import { idMapText, PROBE_GROUPS, RLIMIT_HINTS, type ProbeRow, type ProbeText } from '@shared/probe-observations';

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
const unknown = <span className="muted">unknown</span>;
const shown = (text: ProbeText) => text ?? none;
const list = (items: readonly (string | number)[]) => (items.length === 0 ? none : items.join(', '));

const CAP_SETS: readonly (keyof ProbeCapabilities)[] = ['effective', 'permitted', 'inheritable', 'ambient', 'bounding'];

/** Lists longer than this show two lines until asked for all. */
const CAP_FOLD = 8;

/** Names wrapping between names, never inside one; a long list folded to two lines (its text stays whole). */
function NameList({ id, names }: { id: string; names: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const folds = names.length > CAP_FOLD;
  return (
    <>
      <span className={`mono probe-names${folds && !open ? ' folded' : ''}`} data-testid={`probe-${id}`}>
        {names.map((name, i) => (
          <span key={name}>
            {i > 0 && ', '}
            <span className="nowrap">{name}</span>
          </span>
        ))}
      </span>
      {folds && (
        <button type="button" className="link-button probe-fold" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'fewer' : `all ${names.length}`}
        </button>
      )}
    </>
  );
}

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);

/** One row per set, with its count; a set equal to one above says so instead of repeating it. */
function Capabilities({ caps }: { caps: ProbeCapabilities }) {
  return (
    <table className="kv-table probe-caps">
      <tbody>
        {CAP_SETS.map((set, i) => {
          const names = caps[set];
          const same = names.length > 0 ? CAP_SETS.slice(0, i).find((earlier) => sameNames(caps[earlier], names)) : undefined;
          return (
            <tr key={set}>
              <th scope="row" title={`the ${set} set (capget; bounding: PR_CAPBSET_READ, ambient: PR_CAP_AMBIENT)`}>
                {set} <span className="probe-count">{names.length}</span>
              </th>
              <td>
                {names.length === 0 ? (
                  <span data-testid={`probe-caps-${set}`}>{none}</span>
                ) : same ? (
                  <span className="muted" data-testid={`probe-caps-${set}`} data-same-as={same}>
                    same as {same}
                  </span>
                ) : (
                  <NameList id={`caps-${set}`} names={names} />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Each namespace's inode, tagged with whether it is the lab's own when the lab's are known. */
function Namespaces({ ids, lab }: { ids: NamespaceIds; lab?: NamespaceIds }) {
  const origins = lab && namespaceOrigins(ids, lab);
  return (
    <table className="kv-table">
      <tbody>
        {NAMESPACES.map((name) => {
          const origin = origins?.[name];
          const note = origin && (
            <span className={`tag${origin === 'new' ? ' probe-ns-new' : ''}`} data-testid={`probe-ns-${name}-origin`}>
              {NAMESPACE_ORIGIN_TEXT[origin]}
            </span>
          );
          return (
            <Row key={name} label={NAMESPACE_FILES[name].replaceAll('_', ' ')} id={`ns-${name}`} hint={`stat /proc/self/ns/${NAMESPACE_FILES[name]}: its inode`} note={note}>
              {ids[name] ?? unknown}
            </Row>
          );
        })}
      </tbody>
    </table>
  );
}

function IdMaps({ maps }: { maps: ProbeReport['idMaps'] }) {
  return (
    <table className="kv-table">
      <tbody>
        <Row label="uid map" id="uid-map" hint="/proc/self/uid_map: id in its user namespace → id outside (how many)">
          {idMapText(maps.uid) ?? unknown}
        </Row>
        <Row label="gid map" id="gid-map" hint="/proc/self/gid_map: id in its user namespace → id outside (how many)">
          {idMapText(maps.gid) ?? unknown}
        </Row>
        <Row label="setgroups" id="setgroups" hint="/proc/self/setgroups: whether setgroups(2) is allowed in its user namespace">
          {maps.setgroups ?? unknown}
        </Row>
      </tbody>
    </table>
  );
}

function RlimitTable({ names, limits }: { names: readonly RlimitName[]; limits: ProbeReport['rlimits'] }) {
  return (
    <table className="grid-table compact probe-rlimits">
      <thead>
        <tr>
          <th scope="col">resource</th>
          <th scope="col">soft</th>
          <th scope="col">hard</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const limit = limits[name];
          const value = (v: number | 'unlimited') => (v === 'unlimited' ? <span className="muted">unlimited</span> : v);
          return (
            <tr key={name} data-testid={`probe-rlimit-${name}`}>
              <th scope="row" className="mono" title={`RLIMIT_${name}: ${RLIMIT_HINTS[name]}`}>
                {name}
              </th>
              {limit ? (
                <>
                  <td className="mono">{value(limit.soft)}</td>
                  <td className="mono">{value(limit.hard)}</td>
                </>
              ) : (
                <td colSpan={2}>{unknown}</td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

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

const VERDICTS: Record<AskedVerdict, { mark: string; text: string }> = {
  match: { mark: '✓', text: 'as asked' },
  differs: { mark: '✗', text: 'differs' },
  unknown: { mark: '?', text: 'not seen' },
};

/**
 * A value that may wrap after each "/" as well as at spaces (a long path breaks between its
 * parts), never inside "a = b" (sid = pid stays one phrase).
 */
function Breakable({ text }: { text: string }) {
  const parts = text.replace(/(\S) = (\S)/g, '$1\u00a0=\u00a0$2').split(/(?<=\/)/);
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}

/** Each thing the profile asked that the probe can observe, beside what it saw; nothing when it asked for none. */
function AskedVsGot({ profile, report, labNamespaces }: { profile: unknown; report: ProbeReport; labNamespaces?: NamespaceIds }) {
  const id = useId();
  const rows = askedVsGot(profile, report, labNamespaces);
  if (rows.length === 0) return null;
  const count = (verdict: AskedVerdict) => rows.filter((r) => r.verdict === verdict).length;
  const tally = (['match', 'differs', 'unknown'] as const).filter((v) => count(v) > 0).map((v) => `${count(v)} ${VERDICTS[v].text}`);
  return (
    <div className="asked" data-testid="asked-vs-got">
      <div className="asked-head">
        <h5 id={`${id}-heading`}>What the profile asked, and what the child got</h5>
        <span className="muted">{tally.join(' · ')}</span>
      </div>
      <table className="grid-table compact asked-table" aria-labelledby={`${id}-heading`}>
        <thead>
          <tr>
            <th scope="col" className="asked-mark">
              <span className="sr-only">verdict</span>
            </th>
            <th scope="col">field</th>
            <th scope="col">asked</th>
            <th scope="col">got</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const explained = row.why !== undefined || row.note !== undefined;
            const whyId = `${id}-why-${row.key}`;
            return (
              <Fragment key={row.key}>
                <tr
                  className={`asked-${row.verdict}${explained ? ' explained' : ''}`}
                  data-testid="asked-row"
                  data-field={row.field}
                  data-verdict={row.verdict}
                  aria-describedby={explained ? whyId : undefined}
                >
                  <td className="asked-mark" title={VERDICTS[row.verdict].text}>
                    <span aria-hidden="true">{VERDICTS[row.verdict].mark}</span>
                    <span className="sr-only">{VERDICTS[row.verdict].text}</span>
                  </td>
                  <th scope="row" title={row.path}>
                    {row.field}
                  </th>
                  <td className="asked-value">
                    <Breakable text={row.asked} />
                  </td>
                  <td className="asked-value">
                    <Breakable text={row.got} />
                  </td>
                </tr>
                {explained && (
                  <tr className={`asked-why asked-${row.verdict}`} data-testid="asked-why" data-field={row.field}>
                    <td />
                    <td colSpan={3} id={whyId}>
                      {row.why && <span className="asked-reason">{row.why}</span>}
                      {row.note && <span className="asked-note">{row.note}</span>}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `labNamespaces`: the lab's own, when known, to tag each of the child's namespaces as the
 * lab's or new. `profile`: the profile as launched, to compare what it asked with what the
 * probe saw.
 */
export function ProbeReportView({ report, labNamespaces, profile }: { report: ProbeReport; labNamespaces?: NamespaceIds; profile?: unknown }) {
  const profileArgs: unknown[] | null = profile && typeof profile === 'object' && Array.isArray((profile as { args?: unknown }).args) ? (profile as { args: unknown[] }).args : null;
  const half = Math.ceil(RLIMITS.length / 2);
  return (
    <section className="probe-report" data-testid="probe-report" aria-labelledby="probe-heading">
      <div className="subhead">
        <h4 id="probe-heading">What the child received</h4>
        <span className="muted">reported by the probe, run in place of the program</span>
      </div>
      {profile !== undefined && <AskedVsGot profile={profile} report={report} labNamespaces={labNamespaces} />}
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
      <h5>Capabilities</h5>
      <Capabilities caps={report.capabilities} />
      <div className="probe-grid">
        <div>
          <h5>Namespaces</h5>
          <Namespaces ids={report.namespaces} lab={labNamespaces} />
        </div>
        <div>
          <h5>User namespace id maps</h5>
          <IdMaps maps={report.idMaps} />
        </div>
      </div>
      <h5>Resource limits</h5>
      <div className="probe-grid">
        <RlimitTable names={RLIMITS.slice(0, half)} limits={report.rlimits} />
        <RlimitTable names={RLIMITS.slice(half)} limits={report.rlimits} />
      </div>
      <h5>argv</h5>
      <div className="probe-grid">
        <div>
          <span className="muted">the probe’s</span>
          <ol className="mono probe-list" data-testid="probe-argv" start={0}>
            {report.argv.map((a, i) => (
              <li key={i}>{JSON.stringify(a)}</li>
            ))}
          </ol>
        </div>
        {profileArgs && (
          // The probe ran in the program's place with argv of its own: the program's would have been this.
          <div>
            <span className="muted">the program’s, as the profile gives it</span>
            <ol className="mono probe-list" data-testid="probe-profile-argv" start={0}>
              {profileArgs.map((a, i) => (
                <li key={i}>{JSON.stringify(textOf(a))}</li>
              ))}
            </ol>
          </div>
        )}
      </div>
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
