// What each child really got, compared: its descriptor table (the probe's, or /proc's right
// after exec) fd by fd, and, when both runs are probe runs, every field of the probe's
// report. What differs from one run to the next by nature is compared as what it means: a
// pipe is "pipe" whatever its inode, a process group is "its own" when the child leads it,
// a namespace is the lab's or a new one.
import type { ObservedFd, ProbeReport } from './api';
import { RLIMITS } from './engine-names';
import { splitEnvEntry } from './env-entry';
import { NAMESPACE_FILES, NAMESPACE_ORIGIN_TEXT, NAMESPACES, namespaceOrigins } from './namespaces';
import { idMapText, PROBE_GROUPS, RLIMIT_HINTS, type ProbeText, type ProbeValue } from './probe-observations';
import { notEnded, notKept, row, text, type CompareCell, type CompareRow, type ComparedRun } from './run-compare-rows';

/** A descriptor's target without what changes every run: a pipe's or socket's inode, a pty's number. */
const targetOf = (target: string | null): string =>
  target === null ? 'unknown target' : target.replace(/^(pipe|socket):\[\d+\]$/, '$1').replace(/^\/dev\/pts\/\d+$/, '/dev/pts/N');

const fdCell = (fd: ObservedFd | undefined): CompareCell =>
  fd ? text([targetOf(fd.target), fd.access, fd.cloexec ? 'close-on-exec' : ''].filter(Boolean).join(' · ')) : text('not open', 'muted');

function noTable(run: ComparedRun): CompareCell | null {
  if (run.observed && !run.observed.error) return null;
  return notKept(run, 'descriptor table') ?? notEnded(run) ?? { missing: run.observed?.error ?? 'not observed (no child, or it ended before /proc was read)' };
}

const SOURCE_WORDS = { probe: "the probe's own (taken before it opened anything)", proc: 'read from /proc after exec (the program may have changed it)' };

function fdRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const [missingA, missingB] = [noTable(a), noTable(b)];
  if (missingA || missingB) {
    const count = (run: ComparedRun) => text(`${run.observed!.fds.length} open`);
    return [row('observed', 'fds', 'descriptors', missingA ?? count(a), missingB ?? count(b))];
  }
  const [oa, ob] = [a.observed!, b.observed!];
  const byFd = (fds: readonly ObservedFd[]) => new Map(fds.map((fd) => [fd.fd, fd]));
  const [ma, mb] = [byFd(oa.fds), byFd(ob.fds)];
  const fds = [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x - y);
  const note = oa.source !== ob.source ? `A's table is ${SOURCE_WORDS[oa.source]}; B's is ${SOURCE_WORDS[ob.source]}` : undefined;
  return fds.map((fd, i) => row('observed', `fd.${fd}`, `fd ${fd}`, fdCell(ma.get(fd)), fdCell(mb.get(fd)), i === 0 && note ? { note } : {}));
}

const NONE = text('none', 'muted');
const shownText = (value: ProbeText): CompareCell => (value === null ? NONE : text(String(value)));
const listCell = (items: readonly (string | number)[]): CompareCell => (items.length === 0 ? NONE : text(items.join(', ')));

/** For two lists: what only one of them holds ("only A: CAP_CHOWN · only B: CAP_KILL"). */
function listNote(a: readonly (string | number)[], b: readonly (string | number)[]): string | undefined {
  const onlyA = a.filter((x) => !b.includes(x));
  const onlyB = b.filter((x) => !a.includes(x));
  const parts = [onlyA.length > 0 && `only A: ${onlyA.join(', ')}`, onlyB.length > 0 && `only B: ${onlyB.join(', ')}`].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function listRow(key: string, label: string, a: readonly (string | number)[], b: readonly (string | number)[]): CompareRow {
  const r = row('observed', key, label, listCell(a), listCell(b));
  const note = r.verdict === 'differs' ? listNote(a, b) : undefined;
  return note ? { ...r, note } : r;
}

// Ids that name the child's own process when it leads: compared as "its own" rather than by number.
const OWN_WHEN_LEADING = new Set(['pgid', 'sid', 'tty.foregroundPgid']);

function valueCell(value: ProbeValue, report: ProbeReport): CompareCell {
  const shown = value.text(report);
  if (OWN_WHEN_LEADING.has(value.key) && shown === report.pid) return text('its own (it leads it)');
  return shownText(shown);
}

function scalarRows(a: ProbeReport, b: ProbeReport): CompareRow[] {
  const values = PROBE_GROUPS.flatMap((group) => group.rows.flatMap((r) => (r.also ? [r, r.also] : [r])));
  // Its own pid differs every run: what matters is how the other ids relate to it.
  return values.filter((v) => v.key !== 'pid').map((v) => row('observed', `probe.${v.id}`, v.label, valueCell(v, a), valueCell(v, b)));
}

function namespaceRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const [ra, rb] = [a.probeReport!, b.probeReport!];
  // A new namespace has a new inode every run: its origin (the lab's or new) is what compares.
  const origins = (run: ComparedRun) => run.labNamespaces && namespaceOrigins(run.probeReport!.namespaces, run.labNamespaces);
  const [oa, ob] = [origins(a), origins(b)];
  return NAMESPACES.map((name) => {
    const cell = (report: ProbeReport, origin: ReturnType<typeof origins>): CompareCell =>
      origin ? text(NAMESPACE_ORIGIN_TEXT[origin[name]]) : shownText(report.namespaces[name]);
    return row('observed', `ns.${name}`, `${NAMESPACE_FILES[name].replaceAll('_', ' ')} namespace`, cell(ra, oa), cell(rb, ob));
  });
}

const limitCell = (limit: ProbeReport['rlimits'][keyof ProbeReport['rlimits']]): CompareCell =>
  limit ? text(`soft ${limit.soft} · hard ${limit.hard}`) : text('unknown', 'muted');

/** The environment by name: a variable's value, or not set. */
function envRows(a: ProbeReport, b: ProbeReport): CompareRow[] {
  const vars = (env: readonly string[]) => new Map(env.map((entry) => [splitEnvEntry(entry).name, splitEnvEntry(entry).value]));
  const [va, vb] = [vars(a.env), vars(b.env)];
  const names = [...new Set([...va.keys(), ...vb.keys()])];
  const cell = (vars: Map<string, string>, name: string): CompareCell => (vars.has(name) ? text(vars.get(name)!) : text('not set', 'muted'));
  return names.map((name) => row('observed', `env.${name}`, `env ${name}`, cell(va, name), cell(vb, name)));
}

function probeRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const [ra, rb] = [a.probeReport!, b.probeReport!];
  return [
    ...scalarRows(ra, rb),
    ...(['ignored', 'blocked', 'caught'] as const).map((set) => listRow(`signals.${set}`, `signals ${set}`, ra.signals[set], rb.signals[set])),
    ...(['effective', 'permitted', 'inheritable', 'ambient', 'bounding'] as const).map((set) =>
      listRow(`caps.${set}`, `capabilities ${set}`, ra.capabilities[set], rb.capabilities[set]),
    ),
    ...namespaceRows(a, b),
    row('observed', 'idmap.uid', 'uid map', shownText(idMapText(ra.idMaps.uid)), shownText(idMapText(rb.idMaps.uid))),
    row('observed', 'idmap.gid', 'gid map', shownText(idMapText(ra.idMaps.gid)), shownText(idMapText(rb.idMaps.gid))),
    row('observed', 'idmap.setgroups', 'setgroups', shownText(ra.idMaps.setgroups), shownText(rb.idMaps.setgroups)),
    ...RLIMITS.map((name) => row('observed', `rlimit.${name}`, `rlimit ${name}`, limitCell(ra.rlimits[name]), limitCell(rb.rlimits[name]), { hint: RLIMIT_HINTS[name] })),
    ...envRows(ra, rb),
  ];
}

/** Why a run has no probe report to compare. */
function noReport(run: ComparedRun): CompareCell {
  return notKept(run, 'probe report') ?? notEnded(run) ?? { missing: run.probe ? 'the probe did not report' : 'not a probe run: launch it with the probe to compare what the child got' };
}

export function observedRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const rows = fdRows(a, b);
  if (a.probeReport && b.probeReport) return [...rows, ...probeRows(a, b)];
  if (a.probe || b.probe) {
    const reported = text('reported', 'muted');
    rows.push(row('observed', 'probe', 'probe report', a.probeReport ? reported : noReport(a), b.probeReport ? reported : noReport(b)));
  }
  return rows;
}
