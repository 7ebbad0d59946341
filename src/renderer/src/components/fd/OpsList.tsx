// The ops between the two tables, in order, under a heading per pass. The current one is
// marked and kept in view; an op that destroys a source the child still needs is marked
// (golang/go#61751); after a run each op carries what the child's trace says of it. Clicking
// an op moves the scrubber to just after it.
import type { FdStep } from '@shared/fd-view';
import type { OpPhase, OpRow } from '@shared/fd-walk-display';
import type { TraceEntry } from '@shared/result';
import { numberColumns } from './columnWidths';
import { TraceMark } from './TraceMark';
import { VirtualRows } from './VirtualRows';

const PHASE_TITLES: Record<string, string> = {
  1: 'pass 1 · move sources out of the way',
  2: 'pass 2 · put each files[i] on fd i',
  closefds: 'closefds · the rest close-on-exec',
  other: 'other descriptor ops',
};
const phaseTitle = (phase: OpPhase) => PHASE_TITLES[String(phase)]!;

interface OpsListProps {
  steps: readonly FdStep[];
  rows: readonly OpRow[];
  /** Steps done (the scrubber's position): the current op is steps[position - 1]. */
  position: number;
  onPick(position: number): void;
  /** The child's trace, by plan index (after a run). */
  trace?: readonly (TraceEntry | null)[] | undefined;
  visibleRows: number;
}

export function OpsList({ steps, rows, position, onPick, trace, visibleRows }: OpsListProps) {
  const reveal = rows.findIndex((r) => r.kind === 'op' && r.stepIndex === position - 1);
  return (
    <div className="fd-table ops-table" style={numberColumns(steps.length)} role="table" aria-label="The ops, in order" aria-rowcount={rows.length + 1} data-testid="fd-ops">
      <div className="fd-row fd-head" role="row" aria-rowindex={1}>
        <span role="columnheader">#</span>
        <span role="columnheader">op</span>
        {trace && <span role="columnheader">run</span>}
      </div>
      <VirtualRows
        count={rows.length}
        visibleRows={visibleRows}
        reveal={reveal}
        label="The ops, in order"
        renderRow={(i, style) => {
          const row = rows[i]!;
          if (row.kind === 'phase') {
            return (
              <div key={`phase-${i}`} style={style} role="row" aria-rowindex={i + 2} className="fd-row fd-phase" data-testid="fd-phase">
                <span role="cell">{phaseTitle(row.phase)}</span>
              </div>
            );
          }
          const step = steps[row.stepIndex]!;
          const destroys = step.destroys.length > 0;
          const current = row.stepIndex === position - 1;
          const done = row.stepIndex < position;
          const classes = ['fd-row', 'fd-op', current ? 'is-current' : '', done ? 'is-done' : '', destroys ? 'is-destroying' : '', step.error ? 'is-failing' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <div
              key={`op-${row.stepIndex}`}
              style={style}
              role="row"
              aria-rowindex={i + 2}
              aria-current={current ? 'step' : undefined}
              className={classes}
              data-testid={destroys ? 'fd-destroying-op' : 'fd-op'}
              data-step-index={row.stepIndex}
              title={`${step.op.call}: ${step.why}`}
              onClick={() => onPick(row.stepIndex + 1)}
            >
              <span role="cell" className="fd-num">{row.stepIndex + 1}</span>
              <span role="cell" className="fd-call">
                <code>{step.op.call}</code>
                {destroys && <span className="fd-flag danger">destroys a source</span>}
                {step.error && <span className="fd-flag danger">EBADF</span>}
              </span>
              {trace && (
                <span role="cell" className="fd-run">
                  <TraceMark entry={trace[step.planIndex] ?? null} />
                </span>
              )}
            </div>
          );
        }}
      />
    </div>
  );
}
