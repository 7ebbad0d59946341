// Two runs side by side (issue 14): the rows of @shared/run-compare, section by section, each
// marked same, different, or unknown where a side does not have it; the differences first
// in a line, and the equal rows folded away until asked for.
import { useEffect, useMemo, useState } from 'react';

import { compareRuns, compareSummary } from '@shared/run-compare';
import { COMPARE_SECTIONS, isMissing, type CompareCell, type CompareRow, type CompareVerdict, type ComparedRun, type OutputExcerpt } from '@shared/run-compare-rows';
import { comparedOfEarlier, comparedOfRun } from '../../lib/compared-run';
import { leaveComparison, setOnlyDifferences, swapPicks, useCompare } from '../../stores/compare';
import { useEarlierRuns } from '../../stores/earlier-runs';
import { useRuns } from '../../stores/runs';

/** How often a comparison with a running run is taken again: its output grows in place. */
const LIVE_REFRESH_MS = 1000;

/** A picked run as the comparison takes it, or undefined when it has left the history. */
function useComparedRun(id: string, tick: number): ComparedRun | undefined {
  const run = useRuns((s) => s.runs[id]);
  const earlier = useEarlierRuns((s) => s.runs.find((r) => r.runId === id));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- tick: a running run's streams grow without a new run object
  return useMemo(() => (run ? comparedOfRun(run) : earlier ? comparedOfEarlier(earlier) : undefined), [run, earlier, tick]);
}

/** A count that goes up once a second while `live`. */
function useTick(live: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);
  return tick;
}

const VERDICT_MARK: Record<CompareVerdict, { mark: string; words: string }> = {
  same: { mark: '=', words: 'the same' },
  differs: { mark: '≠', words: 'different' },
  unknown: { mark: '?', words: 'cannot be compared' },
};

function Cell({ cell }: { cell: CompareCell }) {
  if (isMissing(cell)) return <span className="compare-missing">{cell.missing}</span>;
  return <span className={`compare-value${cell.tone ? ` tone-${cell.tone}` : ''}`}>{cell.text}</span>;
}

function Excerpt({ excerpt }: { excerpt: OutputExcerpt | null }) {
  if (!excerpt) return <span className="compare-missing">not captured</span>;
  return (
    <pre className="compare-output">
      {excerpt.lines.map((line, k) => (
        <span key={k} className={`compare-line${line.differs ? ' differs' : ''}`}>
          <span className="compare-line-number" aria-hidden="true">
            {excerpt.from + k + 1}
          </span>
          {line.text}
          {'\n'}
        </span>
      ))}
      {excerpt.from + excerpt.lines.length < excerpt.totalLines && (
        <span className="muted">… {excerpt.totalLines - excerpt.from - excerpt.lines.length} more lines</span>
      )}
    </pre>
  );
}

function Row({ row }: { row: CompareRow }) {
  const verdict = VERDICT_MARK[row.verdict];
  const excerpts = row.output && row.verdict === 'differs' ? row.output : undefined;
  const explained = Boolean(row.note || excerpts);
  return (
    <>
      <tr
        className={`compare-row compare-${row.verdict}${row.info ? ' compare-info' : ''}${row.divergence ? ' compare-divergence' : ''}${explained ? ' explained' : ''}`}
        data-testid="compare-row"
        data-key={row.key}
        data-verdict={row.verdict}
      >
        <td className="compare-mark" title={verdict.words}>
          {row.info ? '' : verdict.mark}
          <span className="sr-only">{row.info ? '' : verdict.words}</span>
        </td>
        <th scope="row" title={row.hint}>
          {row.label}
          {row.onlyIn && <span className="badge">only {row.onlyIn.toUpperCase()}</span>}
        </th>
        <td data-testid="compare-a">
          <Cell cell={row.a} />
        </td>
        <td data-testid="compare-b">
          <Cell cell={row.b} />
        </td>
      </tr>
      {explained && (
        <tr className={`compare-why compare-${row.verdict}`}>
          <td />
          <td colSpan={3}>
            {row.note && (
              <span className="compare-note" data-testid="compare-note">
                {row.note}
              </span>
            )}
            {excerpts && (
              <div className="compare-excerpts">
                <Excerpt excerpt={excerpts.a} />
                <Excerpt excerpt={excerpts.b} />
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function Comparison({ a, b }: { a: ComparedRun; b: ComparedRun }) {
  const onlyDifferences = useCompare((s) => s.onlyDifferences);
  const rows = useMemo(() => compareRuns(a, b), [a, b]);
  const summary = compareSummary(rows);
  return (
    <>
      <p className="compare-summary" data-testid="compare-summary">
        {summary.differs.length > 0 ? (
          <>
            <strong>Differs:</strong> {summary.differs.join(' · ')}
          </>
        ) : (
          <strong>Nothing differs in what both runs have.</strong>
        )}
        {summary.unknown.length > 0 && <span className="muted"> Not comparable (one side does not have it): {summary.unknown.join(', ')}.</span>}
      </p>
      <label className="compare-filter">
        <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.currentTarget.checked)} data-testid="compare-only-differences" />
        Only what differs
      </label>
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <td />
            <td />
            <th scope="col">
              A · {a.name} <span className="muted">{a.launched}</span>
            </th>
            <th scope="col">
              B · {b.name} <span className="muted">{b.launched}</span>
            </th>
          </tr>
        </thead>
        {COMPARE_SECTIONS.map((section) => {
          const all = rows.filter((r) => r.section === section.id);
          const shown = onlyDifferences ? all.filter((r) => r.info || r.verdict !== 'same') : all;
          const folded = all.length - shown.length;
          if (all.length === 0) return null;
          return (
            <tbody key={section.id} data-testid={`compare-section-${section.id}`}>
              <tr className="compare-section">
                <th colSpan={4} scope="colgroup">
                  {section.title}
                  {folded > 0 && (
                    <span className="muted">
                      {' '}
                      · {folded} the same{shown.length === 0 ? '' : ', not shown'}
                    </span>
                  )}
                </th>
              </tr>
              {shown.map((row) => (
                <Row key={row.key} row={row} />
              ))}
            </tbody>
          );
        })}
      </table>
    </>
  );
}

/** The two picked runs compared, in the runs panel's place for a run. */
export function RunComparison({ ids }: { ids: readonly [string, string] }) {
  const live = useRuns((s) => ids.some((id) => s.runs[id] !== undefined && s.runs[id]!.phase !== 'done'));
  const tick = useTick(live);
  const a = useComparedRun(ids[0], tick);
  const b = useComparedRun(ids[1], tick);
  return (
    <div className="run-compare" data-testid="run-compare">
      <div className="compare-head">
        <h3>Two runs compared</h3>
        <button type="button" onClick={swapPicks} data-testid="compare-swap">
          Swap A and B
        </button>
        <button type="button" onClick={leaveComparison} data-testid="compare-close">
          Close
        </button>
      </div>
      {a && b ? <Comparison a={a} b={b} /> : <p className="muted">A run picked for the comparison is no longer in the history.</p>}
    </div>
  );
}
