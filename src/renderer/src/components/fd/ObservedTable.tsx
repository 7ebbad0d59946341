// The child's real table beside the predicted one (what execve keeps, from the walk),
// matched fd by fd by identity (dev/ino). Every difference is flagged with why it is there,
// or why the two cannot agree (a /proc snapshot is taken while the program already runs).
import type { CSSProperties } from 'react';

import type { ObservedUpdate } from '@shared/api';
import { differences, type FdComparison } from '@shared/fd-compare';
import type { FdIdentity } from '@shared/result';
import { Heading } from '../Heading';
import { largest, numberColumns } from './columnWidths';
import { SourceLabel } from './SourceLabel';
import { VirtualRows } from './VirtualRows';

/** Rows make room for a second line (why) only when some row has one. */
const ROW_HEIGHT = { plain: 26, explained: 46 };
const MAX_ROWS = 8;

const identity = (id: { dev: number | null; ino: number | null } | FdIdentity | null) =>
  id && id.dev !== null && id.ino !== null ? `${id.dev}:${id.ino}` : 'unknown';

function ObservedFrom({ observed, launchedAt }: { observed: ObservedUpdate; launchedAt: number }) {
  if (observed.source === 'probe') {
    return (
      <>
        Observed by the probe itself, first thing after exec and before it opened anything: the table it received, as it sees it.
      </>
    );
  }
  const after = Math.max(0, Math.round(observed.atMs - launchedAt));
  return (
    <>
      Observed in <code>/proc/PID/fd</code> about {after} ms after the launch: a snapshot of a program already running, which may have opened or
      closed descriptors of its own by then.
    </>
  );
}

function Row({ row, index, style }: { row: FdComparison; index: number; style: CSSProperties }) {
  const same = row.match === 'same';
  return (
    <div
      style={style}
      role="row"
      aria-rowindex={index + 2}
      className={`fd-row observed-row is-${row.match}`}
      data-testid={same ? 'fd-match' : 'fd-diff'}
      data-fd={row.fd}
      data-match={row.match}
    >
      <span role="cell" className="fd-num">{row.fd}</span>
      <span role="cell" className="fd-what" title={row.predicted ? `${row.predicted.source.label}: file ${identity(row.expected)}` : undefined}>
        {row.predicted ? (
          <>
            <span className="fd-identity mono">{identity(row.expected)}</span>
            <SourceLabel source={row.predicted.source} />
          </>
        ) : (
          <span className="muted">nothing</span>
        )}
      </span>
      <span role="cell" className="fd-what" title={row.observed ? `${row.observed.target ?? 'target unknown'}: file ${identity(row.observed)}, ${row.observed.access}${row.observed.cloexec ? ', close-on-exec' : ''}` : undefined}>
        {row.observed ? (
          <>
            <span className="fd-identity mono">{identity(row.observed)}</span>
            <span className="mono">{row.observed.target ?? <span className="muted">target unknown</span>}</span>
          </>
        ) : (
          <span className="muted">nothing</span>
        )}
      </span>
      <span role="cell" className="fd-verdict">{same ? '✓' : '✗'}</span>
      {row.why && (
        <span role="cell" className="observed-why" data-testid="fd-diff-why" title={row.why}>
          {row.why}
        </span>
      )}
    </div>
  );
}

interface ObservedTableProps {
  rows: readonly FdComparison[] | null;
  observed: ObservedUpdate | undefined;
  launchedAt: number;
  /** Why there is nothing to compare yet (the run is going, no child was created). */
  waiting?: string;
}

export function ObservedTable({ rows, observed, launchedAt, waiting }: ObservedTableProps) {
  const diffs = rows ? differences(rows).length : 0;
  return (
    <section className="fd-observed" aria-label="Predicted and observed" data-testid="fd-observed">
      <div className="fd-exec-head">
        <Heading className="fd-subtitle">What the program got: predicted and observed</Heading>
        {rows && observed && !observed.error && (
          <span className={diffs ? 'error-text' : 'ok-text'} data-testid="fd-observed-verdict" data-diffs={diffs}>
            {diffs ? `✗ ${diffs} ${diffs === 1 ? 'difference' : 'differences'}` : '✓ exactly the predicted table'}
          </span>
        )}
      </div>
      {!observed && <p className="muted">{waiting ?? 'Waiting for the child’s table…'}</p>}
      {observed?.error && (
        <p className="warning-text" data-testid="fd-observed-error">
          No observed table: {observed.error}.
        </p>
      )}
      {observed && !observed.error && (
        <p className="muted fd-observed-from" data-testid="fd-observed-source" data-source={observed.source}>
          <ObservedFrom observed={observed} launchedAt={launchedAt} />
        </p>
      )}
      {observed && !observed.error && !rows && <p className="muted">{waiting}</p>}
      {observed && !observed.error && rows && (
        <div className="fd-table" style={numberColumns(largest(rows.map((r) => r.fd)))} role="table" aria-label="Predicted and observed" aria-rowcount={rows.length + 1}>
          <div className="fd-row fd-head observed-row" role="row" aria-rowindex={1}>
            <span role="columnheader">fd</span>
            <span role="columnheader" title="dev:ino of the source the lab handed over, and what it is">predicted (file, source)</span>
            <span role="columnheader" title="dev:ino of what the child has, and where it points">observed (file, target)</span>
            <span role="columnheader">
              <span className="sr-only">as predicted</span>
            </span>
          </div>
          <VirtualRows
            count={rows.length}
            rowHeight={diffs ? ROW_HEIGHT.explained : ROW_HEIGHT.plain}
            visibleRows={Math.min(MAX_ROWS, Math.max(1, rows.length))}
            label="Predicted and observed"
            renderRow={(i, style) => <Row key={rows[i]!.fd} row={rows[i]!} index={i} style={style} />}
          />
        </div>
      )}
    </section>
  );
}
