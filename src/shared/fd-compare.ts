// The predicted table (what execve keeps, from the fd view's walk) set beside the child's
// real one (an 'observed' run update), matched fd by fd by identity: the file (dev/ino) of
// the predicted entry's source, as the lab saw it before the clone, against the observed
// descriptor's. Every difference says why it is there, or why the two cannot agree.
import type { ObservedFd, ObservedUpdate } from './api';
import type { FdEntry, FdTable } from './fd-view';
import type { FdIdentity } from './result';

export type ObservedSource = ObservedUpdate['source'];

/**
 * same: the planned file, kept across exec · missing: planned, not there · extra: there, not
 * planned · other-file: another file than planned · cloexec: the planned file, but marked
 * close-on-exec · unknown: an identity could not be read, so nothing can be compared.
 */
export type FdMatch = 'same' | 'missing' | 'extra' | 'other-file' | 'cloexec' | 'unknown';

export interface FdComparison {
  fd: number;
  predicted: FdEntry | null;
  /** The predicted source's file, as the lab saw it just before the clone. */
  expected: FdIdentity | null;
  observed: ObservedFd | null;
  match: FdMatch;
  /** For anything but `same`: why the two differ, or why they cannot be compared. */
  why?: string;
}

const sameFile = (a: FdIdentity | null, b: { dev: number | null; ino: number | null } | null): boolean =>
  !!a && !!b && a.dev === b.dev && a.ino === b.ino;

// Why, by where the observed table comes from: /proc is read while the program already
// runs (it may have changed its own table); the probe records its table before it opens
// anything, so there a difference is the launch's own doing.
const REASONS: Record<ObservedSource, Record<Exclude<FdMatch, 'same' | 'unknown'>, string>> = {
  proc: {
    extra: 'the program opened it itself after exec, before /proc was read (ls, for one, opens the directory it lists)',
    missing: 'the program closed or moved it after exec, before /proc was read (or it exited first)',
    'other-file': 'the program put another file here after exec (a dup2, or a close and an open, of its own)',
    cloexec: 'the program marked it close-on-exec itself after exec',
  },
  probe: {
    extra: 'the probe received a descriptor the plan does not give it: a stray, inherited (golang/go#37857)',
    missing: 'the probe did not receive a descriptor the plan gives it: lost on the way (golang/go#37857)',
    'other-file': 'the probe received another file here than the plan says: the remapping went wrong',
    cloexec: 'the probe received it marked close-on-exec, which execve should have made impossible',
  },
};

function unknownWhy(expected: FdIdentity | null, source: ObservedSource): string {
  if (!expected) return "the lab could not fstat this fd's source before the clone, so there is nothing to match it against";
  return source === 'probe'
    ? 'the probe could not fstat it, so its file cannot be matched'
    : 'its file could not be read through /proc (the program may have closed it meanwhile)';
}

function judge(
  predicted: FdEntry | null,
  expected: FdIdentity | null,
  observed: ObservedFd | null,
  source: ObservedSource,
  others: readonly { entry: FdEntry; identity: FdIdentity | null }[],
): Pick<FdComparison, 'match' | 'why'> {
  const reasons = REASONS[source];
  if (!observed) return { match: 'missing', why: reasons.missing };
  if (!predicted) {
    const planned = others.find((o) => sameFile(o.identity, observed));
    return { match: 'extra', why: planned ? `${reasons.extra}; it is the same file as fd ${planned.entry.fd} (${planned.entry.source.label})` : reasons.extra };
  }
  if (!expected || observed.dev === null || observed.ino === null) return { match: 'unknown', why: unknownWhy(expected, source) };
  if (!sameFile(expected, observed)) {
    const planned = others.find((o) => o.entry.fd !== observed.fd && sameFile(o.identity, observed));
    const which = planned ? `; what is here is the file of fd ${planned.entry.fd} (${planned.entry.source.label})` : '';
    return { match: 'other-file', why: `${reasons['other-file']}${which}` };
  }
  if (observed.cloexec) return { match: 'cloexec', why: reasons.cloexec };
  return { match: 'same' };
}

/**
 * Matches the predicted table (atExec: every entry is kept across exec) with the observed
 * one, fd by fd, in fd order. `identities` gives each source id's file (fd-sources.ts).
 */
export function compareFdTables(
  predicted: FdTable,
  identities: ReadonlyMap<string, FdIdentity | null>,
  observed: readonly ObservedFd[],
  source: ObservedSource,
): FdComparison[] {
  const planned = predicted.map((entry) => ({ entry, identity: identities.get(entry.source.id) ?? null }));
  const byFd = new Map(planned.map((p) => [p.entry.fd, p]));
  const seen = new Map(observed.map((o) => [o.fd, o]));
  const fds = [...new Set([...byFd.keys(), ...seen.keys()])].sort((a, b) => a - b);
  return fds.map((fd) => {
    const p = byFd.get(fd);
    const predictedEntry = p?.entry ?? null;
    const expected = p?.identity ?? null;
    const observedFd = seen.get(fd) ?? null;
    const verdict = judge(predictedEntry, expected, observedFd, source, planned);
    return { fd, predicted: predictedEntry, expected, observed: observedFd, ...verdict };
  });
}

/** The rows that do not agree. */
export const differences = (rows: readonly FdComparison[]): FdComparison[] => rows.filter((r) => r.match !== 'same');
