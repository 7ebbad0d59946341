// What the program gets: the table execve keeps at the end of the walk, beside what files[]
// asks for. A child fd that got something else (or nothing) is marked wrong, including one
// whose source the lab does not have open (the walk's `missing` source); one files[] never
// asked for is a stray (golang/go#37857).
import type { FdEntry, FdWalk } from '@shared/fd-view';
import { Heading } from '../Heading';
import { largest, numberColumns } from './columnWidths';
import { SourceLabel } from './SourceLabel';
import { VirtualRows } from './VirtualRows';

const MAX_ROWS = 10;

interface ExecRow {
  fd: number;
  got: FdEntry | null;
  /** What files[] asks for (a `missing` source: a lab fd that is not open). */
  wanted: FdEntry | null;
  verdict: 'right' | 'wrong' | 'stray';
}

function execRows(walk: FdWalk): ExecRow[] {
  const got = new Map(walk.atExec.map((e) => [e.fd, e]));
  const wanted = new Map(walk.intended.map((e) => [e.fd, e]));
  const wrong = new Set(walk.wrongFds);
  const fds = [...new Set([...got.keys(), ...wanted.keys()])].sort((a, b) => a - b);
  return fds.map((fd) => {
    const want = wanted.get(fd) ?? null;
    const verdict = wrong.has(fd) ? 'wrong' : want ? 'right' : 'stray';
    return { fd, got: got.get(fd) ?? null, wanted: want, verdict };
  });
}

const TEST_IDS = { right: 'fd-exec-row', wrong: 'fd-wrong', stray: 'fd-stray' } as const;

function Verdict({ rows }: { rows: readonly ExecRow[] }) {
  const wrong = rows.filter((r) => r.verdict === 'wrong');
  const strays = rows.filter((r) => r.verdict === 'stray').length;
  const text = wrong.length
    ? `✗ ${wrong.length === 1 ? `fd ${wrong[0]!.fd} is` : `${wrong.length} fds are`} not what files[] asks for`
    : '✓ every fd is what files[] asks for';
  return (
    <span className={wrong.length ? 'error-text' : 'ok-text'} data-testid="fd-exec-verdict">
      {text}
      {strays > 0 && `; ${strays} stray${strays === 1 ? '' : 's'} files[] never asked for`}
    </span>
  );
}

export function ExecTable({ walk, hostFdOf }: { walk: FdWalk; hostFdOf: ReadonlyMap<string, number> }) {
  const rows = execRows(walk);
  const describe = (entry: FdEntry | null) => {
    if (!entry) return <span className="muted">nothing</span>;
    if (entry.source.kind === 'missing') return <span className="error-text">{entry.source.label}</span>;
    return (
      <>
        <span className="mono fd-from">{hostFdOf.get(entry.source.id) ?? '?'}</span> <SourceLabel source={entry.source} />
      </>
    );
  };
  return (
    <section className="fd-exec" data-testid="fd-exec-table">
      <div className="fd-exec-head">
        <Heading className="fd-subtitle">What the program gets</Heading>
        <Verdict rows={rows} />
      </div>
      {rows.length === 0 ? (
        <p className="muted">No descriptors at all: files[] is empty, and fds 0 to 2 are closed.</p>
      ) : (
        <div className="fd-table" style={numberColumns(largest(rows.map((r) => r.fd)))} role="table" aria-label="What the program gets" aria-rowcount={rows.length + 1}>
          <div className="fd-row fd-head" role="row" aria-rowindex={1}>
            <span role="columnheader">fd</span>
            <span role="columnheader">gets (← lab fd)</span>
            <span role="columnheader">files[] asks for</span>
            <span role="columnheader">
              <span className="sr-only">as files[] asks</span>
            </span>
          </div>
          <VirtualRows
            count={rows.length}
            visibleRows={Math.min(MAX_ROWS, rows.length)}
            label="What the program gets"
            renderRow={(i, style) => {
              const row = rows[i]!;
              return (
                <div key={row.fd} style={style} role="row" aria-rowindex={i + 2} className={`fd-row is-${row.verdict}`} data-testid={TEST_IDS[row.verdict]} data-fd={row.fd}>
                  <span role="cell" className="fd-num">{row.fd}</span>
                  <span role="cell" className="fd-what">{describe(row.got)}</span>
                  <span role="cell" className="fd-what">{row.verdict === 'stray' ? <span className="muted">not asked for (a stray)</span> : describe(row.wanted)}</span>
                  <span role="cell" className="fd-verdict">{row.verdict === 'right' ? '✓' : '✗'}</span>
                </div>
              );
            }}
          />
        </div>
      )}
    </section>
  );
}
