// Two probe reports of the same profile, launched two ways (an exported program and the lab
// itself), compared field by field. What differs by nature between two launches is compared
// as what it means: pids not at all (each launch is a new process), a process group or
// session by leadership (or by value when neither leads: both are then the launcher's), a
// pipe or socket by its kind and by which fds share it (their inode numbers are new each
// time), namespaces by whether each is the lab's own or a new one.
import type { ProbeReport } from './api';
import { namespaceOrigins, type NamespaceIds } from './namespaces';
import { PROBE_GROUPS } from './probe-observations';

export interface ReportDifference {
  /** What differs, in the probe report's terms (fds.3, env, uid). */
  field: string;
  /** As the exported program's child had it, and as the lab's own launch had it. */
  byExport: string;
  byLab: string;
}

// Compared elsewhere or not at all: pids differ by nature; pgid, sid and the foreground
// group as leadership below.
const NOT_AS_VALUES = new Set(['pid', 'ppid', 'pgid', 'sid', 'tty.foregroundPgid']);

const text = (v: unknown) => (v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));

/** A descriptor's target without what is new each launch: "pipe:[123]" is "pipe". */
const targetKind = (target: string | null) => (target === null ? 'unknown' : target.replace(/^(pipe|socket):\[\d+\]$/, '$1'));

/** Each fd's description, and which lower fd (if any) is the same open file's identity. */
function fdTable(report: ProbeReport): Map<number, string> {
  const firstOf = new Map<string, number>();
  const table = new Map<number, string>();
  for (const f of [...report.fds].sort((a, b) => a.fd - b.fd)) {
    const id = f.dev === null || f.ino === null ? null : `${f.dev}:${f.ino}`;
    const shared = id !== null && firstOf.has(id) ? `, the same file as fd ${firstOf.get(id)}` : '';
    if (id !== null && !firstOf.has(id)) firstOf.set(id, f.fd);
    table.set(f.fd, `${targetKind(f.target)} (${f.type}, ${f.access}${f.append ? ', append' : ''}${f.cloexec ? ', close-on-exec' : ''}${f.tty ? ', a terminal' : ''}${shared})`);
  }
  return table;
}

/** A process's place: leads it, or is in the launcher's (compared by value). */
const placeOf = (r: ProbeReport, key: 'pgid' | 'sid') => (r[key] === r.pid ? 'leads its own' : `${key} ${r[key]}`);

/** argv with the probe's own report option's value left out: each launch writes its own file. */
const argvShown = (argv: readonly string[]) => argv.map((a, i) => (argv[i - 1] === '--out-file' ? '<report file>' : a));

/**
 * The differences between what an exported program's child got and what the lab's own
 * child got. `labNamespaces`: the launcher's own namespaces, to compare new against the lab's.
 */
export function compareReports(byExport: ProbeReport, byLab: ProbeReport, labNamespaces: NamespaceIds): ReportDifference[] {
  const out: ReportDifference[] = [];
  const differ = (field: string, a: string, b: string) => {
    if (a !== b) out.push({ field, byExport: a, byLab: b });
  };
  differ('pgid', placeOf(byExport, 'pgid'), placeOf(byLab, 'pgid'));
  differ('sid', placeOf(byExport, 'sid'), placeOf(byLab, 'sid'));
  const foreground = (r: ProbeReport) => (r.tty.foregroundPgid === null ? 'none' : r.tty.foregroundPgid === r.pgid ? 'its own group' : 'another group');
  differ('tty.foregroundPgid', foreground(byExport), foreground(byLab));
  for (const row of PROBE_GROUPS.flatMap((g) => g.rows.flatMap((r) => [r, ...(r.also ? [r.also] : [])]))) {
    if (!NOT_AS_VALUES.has(row.key)) differ(row.key, text(row.text(byExport)), text(row.text(byLab)));
  }
  const [fdsA, fdsB] = [fdTable(byExport), fdTable(byLab)];
  for (const fd of [...new Set([...fdsA.keys(), ...fdsB.keys()])].sort((a, b) => a - b)) {
    differ(`fds.${fd}`, fdsA.get(fd) ?? 'not open', fdsB.get(fd) ?? 'not open');
  }
  for (const key of ['ignored', 'blocked', 'caught'] as const) differ(`signals.${key}`, byExport.signals[key].join(' ') || 'none', byLab.signals[key].join(' ') || 'none');
  for (const [key, set] of Object.entries(byExport.capabilities)) differ(`capabilities.${key}`, set.join(' ') || 'none', byLab.capabilities[key as keyof ProbeReport['capabilities']].join(' ') || 'none');
  const [nsA, nsB] = [namespaceOrigins(byExport.namespaces, labNamespaces), namespaceOrigins(byLab.namespaces, labNamespaces)];
  for (const name of Object.keys(nsA) as (keyof typeof nsA)[]) differ(`namespaces.${name}`, nsA[name], nsB[name]);
  differ('idMaps', text(byExport.idMaps), text(byLab.idMaps));
  for (const name of Object.keys(byLab.rlimits) as (keyof ProbeReport['rlimits'])[]) differ(`rlimits.${name}`, text(byExport.rlimits[name]), text(byLab.rlimits[name]));
  differ('argv', text(argvShown(byExport.argv)), text(argvShown(byLab.argv)));
  // The order of environment entries means nothing to getenv: compared as sets.
  const [envA, envB] = [new Set(byExport.env), new Set(byLab.env)];
  const only = (a: Set<string>, b: Set<string>) => [...a].filter((e) => !b.has(e)).sort();
  const [extra, missing] = [only(envA, envB), only(envB, envA)];
  if (extra.length > 0 || missing.length > 0) out.push({ field: 'env', byExport: extra.length ? `also ${extra.join(' ')}` : 'nothing more', byLab: missing.length ? `also ${missing.join(' ')}` : 'nothing more' });
  return out;
}

/** A difference in words, one line. */
export const differenceLine = (d: ReportDifference) => `${d.field}: the exported program's child got ${d.byExport}; the lab's got ${d.byLab}`;
