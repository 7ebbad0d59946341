// The runs: the selected one in full (or two picked runs compared), and the history to
// reopen others: this page's runs, then those that ended before it loaded (kept by the
// lab), under headings that say so. Each history entry has a box to pick it for comparing.
import type { RecentRun } from '@shared/api';
import { endedHeadline, launchTime, runHeadline, type Headline } from '../../lib/format';
import { togglePick, useCompare } from '../../stores/compare';
import { useEarlierRuns } from '../../stores/earlier-runs';
import { selectRun, useRuns, type RunView as Run } from '../../stores/runs';
import { EarlierRunView } from './EarlierRunView';
import { RunComparison } from './RunComparison';
import { RunView } from './RunView';

export function RunsPanel() {
  const runs = useRuns((s) => s.runs);
  const order = useRuns((s) => s.order);
  const selected = useRuns((s) => s.selected);
  const earlier = useEarlierRuns((s) => s.runs);
  const run = selected ? runs[selected] : undefined;
  const earlierRun = run ? undefined : earlier.find((r) => r.runId === selected);
  const picked = useCompare((s) => s.picked);
  const counts = [order.length > 0 && `${order.length} this session`, earlier.length > 0 && `${earlier.length} earlier`].filter(Boolean);
  return (
    <section className="panel runs-panel" data-testid="runs-panel" aria-labelledby="runs-heading">
      <div className="panel-head">
        <h2 id="runs-heading">Run</h2>
        {counts.length > 0 && <span className="panel-sub">{counts.join(' · ')}</span>}
      </div>
      {picked.length === 2 ? (
        <RunComparison ids={[picked[0]!, picked[1]!]} />
      ) : run ? (
        <RunView key={run.viewKey ?? run.runId} run={run} />
      ) : earlierRun ? (
        <EarlierRunView key={earlierRun.runId} run={earlierRun} />
      ) : (
        <p className="muted">Launch the profile to see it run: its pid, output, how it ended, and every step the child took.</p>
      )}
      {(order.length > 0 || earlier.length > 0) && (
        <nav className="run-history" data-testid="run-history" aria-label="Run history">
          <h3>History</h3>
          <ComparePrompt picked={picked} />
          <ol>
            {order.map((id) => runs[id]).filter((r): r is Run => r !== undefined).map((r) => (
              <HistoryItem key={r.runId} runId={r.runId} name={r.profileName} probe={r.probe} pid={r.pid} headline={runHeadline(r)} at={r.launchedAt} selected={selected} />
            ))}
          </ol>
          <EarlierHistory title="Before this page loaded" runs={earlier.filter((r) => !r.earlierSession)} selected={selected} />
          <EarlierHistory title="Earlier sessions of the lab" runs={earlier.filter((r) => r.earlierSession)} selected={selected} />
        </nav>
      )}
    </section>
  );
}

function EarlierHistory({ title, runs, selected }: { title: string; runs: RecentRun[]; selected: string | null }) {
  if (runs.length === 0) return null;
  return (
    <>
      <h4 className="history-group">{title}</h4>
      <ol>
        {runs.map((r) => (
          <HistoryItem
            key={r.runId}
            runId={r.runId}
            name={r.profileName}
            probe={r.probe}
            pid={r.pid}
            headline={endedHeadline(r.pid, r.status, r.execError)}
            at={r.launchedAtMs}
            selected={selected}
            from={r.earlierSession ? 'earlier-session' : 'before-reload'}
          />
        ))}
      </ol>
    </>
  );
}

interface HistoryItemProps {
  runId: string;
  name: string;
  probe: boolean;
  pid: number | null | undefined;
  headline: Headline;
  /** When it was launched (ms since the epoch). */
  at: number;
  selected: string | null;
  /** Whose run it is: this page's, or one kept from before it loaded. */
  from?: 'before-reload' | 'earlier-session';
}

/** What picking does next: one run picked waits for a second. */
function ComparePrompt({ picked }: { picked: string[] }) {
  const text =
    picked.length === 0
      ? 'Tick two runs to compare them.'
      : picked.length === 1
        ? 'Tick another run to compare with the one ticked (A).'
        : 'Comparing A and B; ticking a third run takes B’s place.';
  return (
    <p className="muted compare-prompt" data-testid="compare-prompt">
      {text}
    </p>
  );
}

function HistoryItem({ runId, name, probe, pid, headline, at, selected, from }: HistoryItemProps) {
  const current = runId === selected;
  const when = launchTime(at);
  const pick = useCompare((s) => s.picked.indexOf(runId));
  return (
    <li className="history-row">
      <label className="compare-pick" title={pick < 0 ? 'Compare this run' : `Compared as ${pick === 0 ? 'A' : 'B'}`}>
        <input type="checkbox" checked={pick >= 0} onChange={() => togglePick(runId)} data-testid="compare-pick" aria-label={`Compare ${name}, ${when}`} />
        <span aria-hidden="true">{pick === 0 ? 'A' : pick === 1 ? 'B' : ''}</span>
      </label>
      <button
        type="button"
        className={`history-item tone-${headline.tone}${current ? ' selected' : ''}`}
        data-testid="history-item"
        data-run-id={runId}
        data-from={from ?? 'this-page'}
        aria-current={current ? 'true' : undefined}
        onClick={() => selectRun(runId)}
      >
        <span className="status-dot" aria-hidden="true" />
        <span className="history-name">
          <span className="history-name-text">{name}</span>
          {probe && <span className="badge">probe</span>}
        </span>
        <span className="mono muted">{typeof pid === 'number' ? `pid ${pid}` : ''}</span>
        <span className="history-status" data-testid="history-status">
          {headline.text}
        </span>
        <span className="muted history-time">{when}</span>
      </button>
    </li>
  );
}
