// The child's side at the scrubber's moment: one row per fd the child has at any point of
// the walk (rows never shift), each saying which of the lab's fds it refers to, what that is,
// and whether execve keeps it or closes it (close-on-exec). The op's changes are highlighted;
// at the end, the fds that did not get what files[] asks for are marked.
import type { Moment } from '@shared/fd-walk-display';
import { largest, numberColumns } from './columnWidths';
import { SourceLabel } from './SourceLabel';
import { VirtualRows } from './VirtualRows';

interface ChildTableProps {
  rows: readonly number[];
  moment: Moment;
  hostFdOf: ReadonlyMap<string, number>;
  /** Marked once the walk is at its end. */
  wrongFds: readonly number[];
  atEnd: boolean;
  visibleRows: number;
}

export function ChildTable({ rows, moment, hostFdOf, wrongFds, atEnd, visibleRows }: ChildTableProps) {
  const firstChanged = [...moment.changed.keys()].sort((a, b) => a - b)[0];
  const reveal = firstChanged === undefined ? -1 : rows.indexOf(firstChanged);
  return (
    <div className="fd-table child-table" style={numberColumns(largest(rows), largest(hostFdOf.values()))} role="table" aria-label="The child's descriptors" aria-rowcount={rows.length + 1} data-testid="fd-child-table">
      <div className="fd-row fd-head" role="row" aria-rowindex={1}>
        <span role="columnheader">fd</span>
        <span role="columnheader" title="The lab's fd this one refers to">←</span>
        <span role="columnheader">refers to</span>
        <span role="columnheader" title="Whether execve keeps it, or closes it (close-on-exec)">exec</span>
      </div>
      <VirtualRows
        count={rows.length}
        visibleRows={visibleRows}
        reveal={reveal}
        label="The child's descriptors"
        renderRow={(i, style) => {
          const fd = rows[i]!;
          const entry = moment.byFd.get(fd);
          const change = moment.changed.get(fd);
          const wrong = atEnd && wrongFds.includes(fd);
          const classes = ['fd-row', entry ? (entry.cloexec ? 'is-cloexec' : 'is-kept') : 'is-closed', change ? 'is-changed' : '', wrong ? 'is-wrong' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <div
              key={fd}
              style={style}
              role="row"
              aria-rowindex={i + 2}
              className={classes}
              data-testid="fd-child-row"
              data-fd={fd}
              data-host-fd={entry ? hostFdOf.get(entry.source.id) : undefined}
              data-cloexec={entry ? String(entry.cloexec) : undefined}
              data-changed={change ? 'true' : undefined}
            >
              <span role="cell" className="fd-num">{fd}</span>
              <span role="cell" className="fd-from mono">{entry ? hostFdOf.get(entry.source.id) ?? '?' : ''}</span>
              <span role="cell" className="fd-what">{entry ? <SourceLabel source={entry.source} /> : <span className="muted" title="No descriptor the view knows of">{change ? 'closed by this op' : '—'}</span>}</span>
              <span role="cell" className="fd-exec">
                {entry ? (
                  entry.cloexec ? (
                    <span className="exec-closes" title="FD_CLOEXEC is set: execve closes it">closes</span>
                  ) : (
                    <span className="exec-keeps" title="FD_CLOEXEC is clear: the program gets it">keeps</span>
                  )
                ) : null}
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}
