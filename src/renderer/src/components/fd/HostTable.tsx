// The lab's side: each descriptor the lab holds for the launch and what it is, and, at the
// scrubber's moment, where that source is in the child now, which one the op just copied,
// and which the child has lost although a slot still needs it.
import type { FdEntry, FdTable } from '@shared/fd-view';
import type { Moment } from '@shared/fd-walk-display';
import { largest, numberColumns } from './columnWidths';
import { SourceLabel } from './SourceLabel';
import { VirtualRows } from './VirtualRows';

interface HostTableProps {
  host: FdTable;
  moment: Moment;
  needed: ReadonlyMap<string, number[]>;
  visibleRows: number;
}

function whereNow(entry: FdEntry, moment: Moment): { text: string; lost: boolean } {
  const fds = moment.fdsOfSource.get(entry.source.id);
  if (fds) return { text: `→ ${fds.join(', ')}`, lost: false };
  if (moment.lost.has(entry.source.id)) return { text: '✗ lost', lost: true };
  return { text: '—', lost: false };
}

const lostTitle = (fds: readonly number[]) =>
  fds.includes(-2) ? 'No child fd refers to it any more, and the child needs it to report a failing step' : `No child fd refers to it any more, and child fd ${fds.join(', ')} still needs it`;

export function HostTable({ host, moment, needed, visibleRows }: HostTableProps) {
  const reveal = host.findIndex((e) => moment.touched.has(e.source.id));
  return (
    <div className="fd-table host-table" style={numberColumns(largest(host.map((e) => e.fd)))} role="table" aria-label="The lab's descriptors" aria-rowcount={host.length + 1} data-testid="fd-host-table">
      <div className="fd-row fd-head" role="row" aria-rowindex={1}>
        <span role="columnheader">fd</span>
        <span role="columnheader">in the lab</span>
        <span role="columnheader" title="The child fds that refer to this source now">in the child</span>
      </div>
      <VirtualRows
        count={host.length}
        visibleRows={visibleRows}
        reveal={reveal}
        label="The lab's descriptors"
        renderRow={(i, style) => {
          const entry = host[i]!;
          const now = whereNow(entry, moment);
          const lostFor = now.lost ? lostTitle(needed.get(entry.source.id) ?? []) : undefined;
          const touched = moment.touched.has(entry.source.id);
          return (
            <div
              key={entry.fd}
              style={style}
              role="row"
              aria-rowindex={i + 2}
              className={`fd-row${touched ? ' is-touched' : ''}${now.lost ? ' is-lost' : ''}`}
              data-testid="fd-host-row"
              data-fd={entry.fd}
              data-lost={now.lost ? 'true' : undefined}
            >
              <span role="cell" className="fd-num">{entry.fd}</span>
              <span role="cell" className="fd-what">
                <SourceLabel source={entry.source} />
              </span>
              <span role="cell" className="fd-where mono" title={lostFor}>
                {now.text}
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}
