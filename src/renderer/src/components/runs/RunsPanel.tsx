// The runs of this session: the selected one in full, and the history to reopen others.
import { runHeadline } from '../../lib/format';
import { selectRun, useRuns, type RunView as Run } from '../../stores/runs';
import { RunView } from './RunView';

export function RunsPanel() {
  const runs = useRuns((s) => s.runs);
  const order = useRuns((s) => s.order);
  const selected = useRuns((s) => s.selected);
  const run = selected ? runs[selected] : undefined;
  return (
    <section className="panel runs-panel" aria-labelledby="runs-heading">
      <div className="panel-head">
        <h2 id="runs-heading">Run</h2>
        {order.length > 0 && <span className="panel-sub">{order.length} this session</span>}
      </div>
      {run ? <RunView key={run.runId} run={run} /> : <p className="muted">Launch the profile to see it run: its pid, output, how it ended, and every step the child took.</p>}
      {order.length > 0 && <History runs={order.map((id) => runs[id]!).filter(Boolean)} selected={selected} />}
    </section>
  );
}

function History({ runs, selected }: { runs: Run[]; selected: string | null }) {
  return (
    <nav className="run-history" data-testid="run-history" aria-label="Run history">
      <h3>History</h3>
      <ol>
        {runs.map((run) => {
          const headline = runHeadline(run);
          return (
            <li key={run.runId}>
              <button
                type="button"
                className={`history-item tone-${headline.tone}${run.runId === selected ? ' selected' : ''}`}
                data-testid="history-item"
                data-run-id={run.runId}
                aria-current={run.runId === selected ? 'true' : undefined}
                onClick={() => selectRun(run.runId)}
              >
                <span className="status-dot" aria-hidden="true" />
                <span className="history-name">
                  {run.profileName}
                  {run.probe && <span className="badge">probe</span>}
                </span>
                <span className="mono muted">{typeof run.pid === 'number' ? `pid ${run.pid}` : ''}</span>
                <span className="history-status">{headline.text}</span>
                <span className="muted history-time">{new Date(run.launchedAt).toLocaleTimeString()}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
