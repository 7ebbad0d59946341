// One run: status, exec error, signals, output, what the probe saw, its descriptors planned
// and observed, the trace, events.
import { useState } from 'react';

import { SIGNAL_BUTTONS, type SignalName } from '@shared/api';
import { STOP_SCOPES, type StopScope } from '@shared/fields';
import { execErrorContextOf } from '@shared/explain';
import type { TraceState } from '@shared/result';
import { STEP_DESCRIPTIONS } from '@shared/steps';
import { kib, maxRssNote } from '@shared/rusage';
import { eventText, ms, runHeadline, signalDescription, streamLabel } from '../../lib/format';
import { ptraceAction, stoppedBy, sendSignal, type RunView as Run } from '../../stores/runs';
import { OutputPane } from './OutputPane';
import { InspectPanel } from './InspectPanel';
import { ProbeReportView } from './ProbeReport';
import { RunFds } from './RunFds';
import { ExecErrorCard, StatusCard } from './RunStatus';
import { SavedOutputLine } from './SavedOutputLine';
import { TerminalView } from './TerminalView';

export function RunView({ run }: { run: Run }) {
  const live = run.phase !== 'done';
  return (
    <article className={`run-view${run.probe ? ' probe-run' : ''}`} data-testid="run-view" data-run-id={run.runId} aria-label={`Run of ${run.profileName}`}>
      <header className="run-head">
        <div>
          <h3>
            {run.profileName}
            {run.probe && <span className="badge">probe</span>}
          </h3>
          <div className="run-meta">
            <span>
              pid{' '}
              <span className="mono strong" data-testid="run-pid">
                {typeof run.pid === 'number' ? run.pid : ''}
              </span>
              {run.pid === undefined && <span className="muted"> starting…</span>}
              {run.pid === null && <span className="muted"> none (no child was created)</span>}
            </span>
            {run.result?.path && (
              <span>
                program <code>{run.result.path}</code>
              </span>
            )}
          </div>
        </div>
      </header>
      <StatusCard
        headline={runHeadline(run)}
        {...(run.result && { ending: { ...run.result, timeoutMs: typeof run.profile.timeoutMs === 'number' ? run.profile.timeoutMs : undefined } })}
        {...(run.refused && { refused: run.refused })}
      />
      {run.result?.execError && <ExecErrorCard error={run.result.execError} context={execErrorContextOf(run.profile)} trace={run.result.trace} />}
      {live && run.pid !== null && <Signals run={run} />}
      {!live && run.control && <ControlOutcomeLine run={run} />}
      <Outputs run={run} live={live} />
      {run.probeReport && <ProbeReportView report={run.probeReport} labNamespaces={run.labNamespaces} profile={run.profile} />}
      {run.probe && !live && !run.probeReport && !run.result?.execError && (
        <p className="muted">The probe did not report (its output is above).</p>
      )}
      {typeof run.pid === 'number' && <InspectPanel runId={run.runId} running={run.phase === 'running'} />}
      {run.pid !== null && <RunFds run={run} />}
      {run.result && <Trace run={run} />}
      <Events run={run} />
    </article>
  );
}

// kill(2)'s target for each scope, for a button's title.
const SCOPE_TARGET: Record<StopScope, string> = { child: 'kill(pid, SIG)', group: 'kill(-pgid, SIG)', cgroup: 'write 1 to cgroup.kill' };

function Signals({ run }: { run: Run }) {
  const profileScope = STOP_SCOPES.find((s) => s === run.profile.stopScope) ?? 'child';
  const [scope, setScope] = useState<StopScope>(profileScope);
  const hasCgroup = !!(run.profile.sys && typeof run.profile.sys === 'object' && run.profile.sys.cgroup);
  // Escalation: a TERM, INT or HUP the child ignores is followed by SIGKILL after this long.
  const [killAfter, setKillAfter] = useState('');
  const killAfterMs = /^\d+$/.test(killAfter.trim()) ? Number(killAfter.trim()) : undefined;
  const ptraced = !!(run.profile.sys && typeof run.profile.sys === 'object' && run.profile.sys.ptrace);
  const detached = run.events.some((e) => e.kind === 'detached');
  const started = typeof run.pid === 'number';
  // The lab has the run (its launch was answered): a signal reaches it even before its
  // child exists (a FIFO in files[] can hold the launch up); one that ends a process
  // cancels it.
  const reachable = run.phase === 'running';
  return (
    <div className="signals" role="group" aria-label="Send a signal">
      <div className="button-row">
        <span className="muted signals-label">send</span>
        {SIGNAL_BUTTONS.map((sig: SignalName) => (
          <button
            key={sig}
            type="button"
            className={`small signal-button${sig === 'SIGKILL' ? ' danger' : ''}`}
            data-testid={`signal-${sig}`}
            disabled={!reachable || (scope === 'cgroup' && sig !== 'SIGKILL')}
            title={scope === 'cgroup' && sig !== 'SIGKILL' ? 'cgroup.kill sends SIGKILL only' : `${signalDescription(sig) ?? sig}: ${SCOPE_TARGET[scope].replace('SIG', sig)}`}
            onClick={() => void sendSignal(run.runId, sig, scope, sig === 'SIGKILL' || sig === 'SIGSTOP' || sig === 'SIGCONT' ? undefined : killAfterMs)}
          >
            {sig.replace(/^SIG/, '')}
          </button>
        ))}
        <span className="check-inline">
          <label htmlFor={`scope-${run.runId}`}>to</label>
          <select id={`scope-${run.runId}`} data-testid="signal-scope" value={scope} onChange={(e) => setScope(e.target.value as StopScope)}>
            <option value="child">the child</option>
            <option value="group">its process group</option>
            {hasCgroup && <option value="cgroup">its cgroup (SIGKILL)</option>}
          </select>
        </span>
        <span className="check-inline">
          <label htmlFor={`kill-after-${run.runId}`}>then KILL after</label>
          <input
            id={`kill-after-${run.runId}`}
            className="kill-after"
            data-testid="signal-kill-after"
            inputMode="numeric"
            placeholder="never"
            size={6}
            value={killAfter}
            onChange={(e) => setKillAfter(e.target.value)}
          />
          <span className="muted">ms</span>
        </span>
      </div>
      {ptraced && !detached && <PtraceControls run={run} started={started} />}
      {!ptraced && stoppedBy(run) && (
        <p className="muted stop-note" data-testid="stop-explanation">
          Stopped by {stoppedBy(run)}: a signal sent now waits until the child is continued (SIGCONT), but SIGKILL.
        </p>
      )}
      {run.control && <ControlOutcomeLine run={run} />}
    </div>
  );
}

/**
 * A traced child's stop, explained (ptrace(2)): at its exec, the SIGTRAP of PTRACE_TRACEME;
 * any other, a signal-delivery-stop, where the signal waits for the tracer to deliver it or
 * not. Continue drops it; "Continue, delivering" passes it on.
 */
function PtraceControls({ run, started }: { run: Run; started: boolean }) {
  const signal = stoppedBy(run);
  const atExec = signal === 'SIGTRAP' && run.events.filter((e) => e.kind === 'stopped').length === 1;
  return (
    <div className="button-row ptrace-row">
      <span className="muted">traced by the lab:</span>
      {signal && !atExec && (
        <button type="button" className="small" data-testid="ptrace-continue-signal" disabled={!started} onClick={() => void ptraceAction(run.runId, 'continue-with-signal')}>
          Continue, delivering {signal}
        </button>
      )}
      <button type="button" className="small" data-testid="ptrace-continue" disabled={!started} onClick={() => void ptraceAction(run.runId, 'continue')}>
        {signal && !atExec ? `Continue without ${signal}` : 'Continue'}
      </button>
      <button type="button" className="small" data-testid="ptrace-detach" disabled={!started} onClick={() => void ptraceAction(run.runId, 'detach')}>
        Detach
      </button>
      {signal && (
        <p className="muted stop-note" data-testid="stop-explanation">
          {atExec
            ? 'Stopped at its execve: the SIGTRAP a traced process gets once the new program is loaded, before its first instruction. Continue lets the program run.'
            : `Stopped by ${signal}: a signal-delivery-stop. The signal is held until the lab, its tracer, continues the child with it or without it (ptrace(2)).`}
        </p>
      )}
    </div>
  );
}

function ControlOutcomeLine({ run }: { run: Run }) {
  const control = run.control!;
  const { outcome } = control;
  return (
    <div className={`control-outcome ${outcome.ok ? 'ok-text' : 'error-text'}`} data-testid="signal-outcome" role="status">
      {outcome.ok ? `sent ${control.what}` : `${control.what} refused: ${[outcome.code, outcome.message].filter(Boolean).join(' ') || 'no reason given'}`}
    </div>
  );
}

function Outputs({ run, live }: { run: Run; live: boolean }) {
  if (run.keys.length === 0) {
    return run.phase === 'done' ? <p className="muted">No output was captured (no pipe or pty among the files).</p> : null;
  }
  return (
    <div className="outputs">
      {run.keys.map((key) => {
        const stream = run.streams[key];
        if (!stream) return null;
        const file = run.savedOutput[key];
        const saved = file && <SavedOutputLine runId={run.runId} streamKey={key} saved={file} live={live} />;
        if (key === 'pty') {
          return (
            <div key={`${run.runId}-pty`}>
              <TerminalView runId={run.runId} stream={stream} live={live} />
              {saved}
            </div>
          );
        }
        return <OutputPane key={`${run.runId}-${key}`} stream={stream} label={streamLabel(key)} live={live} saved={saved} />;
      })}
    </div>
  );
}

// How each trace state is marked: a child that died in its setup lists the ops it never
// reached, and the one it died in, as neither done nor failed.
const TRACE_MARKS: Record<TraceState, { mark: string; label: string; className: string }> = {
  done: { mark: '✓', label: 'succeeded', className: 'ok' },
  failed: { mark: '✗', label: 'failed', className: 'failed' },
  'not-run': { mark: '·', label: 'not run', className: 'not-run' },
  unknown: { mark: '?', label: 'unknown: the child died in it, or it could not be seen', className: 'unknown' },
};

function Trace({ run }: { run: Run }) {
  const result = run.result!;
  return (
    <section className="trace" aria-labelledby={`trace-${run.runId}`}>
      <div className="subhead">
        <h4 id={`trace-${run.runId}`}>Trace</h4>
        <span className="muted">what the child did, step by step</span>
      </div>
      <div className="trace-layout">
        <ol className="trace-steps">
          {result.trace.map((t, i) => (
            <li
              key={i}
              className={`trace-step ${t.ignored ? 'ignored' : TRACE_MARKS[t.state].className}`}
              data-testid="trace-step"
              data-ok={t.ok ? 'true' : 'false'}
              data-state={t.state}
              data-step={t.step}
              title={(STEP_DESCRIPTIONS as Record<string, string>)[t.step]}
            >
              <span className="trace-mark" aria-label={TRACE_MARKS[t.state].label}>
                {TRACE_MARKS[t.state].mark}
              </span>
              <span className="step-name">{t.step}</span>
              <code className="step-call">{t.call}</code>
              <span className="trace-extra">
                {!t.ok && t.code && <code className="errno-code small">{t.code}</code>}
                {t.ignored && <span className="tag" title="The call failed but the step does not stop the launch for it">ignored</span>}
              </span>
            </li>
          ))}
          {result.trace.length === 0 && <li className="muted">No step was recorded.</li>}
        </ol>
        <dl className="rusage" data-testid="rusage">
          <div>
            <dt>duration</dt>
            <dd className="mono">{ms(result.durationMs)}</dd>
          </div>
          {result.rusage && (
            <>
              <div>
                <dt>user CPU</dt>
                <dd className="mono">{ms(result.rusage.userMs)}</dd>
              </div>
              <div>
                <dt>system CPU</dt>
                <dd className="mono">{ms(result.rusage.systemMs)}</dd>
              </div>
              <div>
                <dt>max RSS</dt>
                <dd className="mono" data-testid="max-rss">{kib(result.rusage.maxRssKb)}</dd>
                <dd className="rusage-note" data-testid="max-rss-note">
                  {maxRssNote(result.execError)}
                </dd>
              </div>
            </>
          )}
        </dl>
      </div>
    </section>
  );
}

function Events({ run }: { run: Run }) {
  if (run.events.length === 0) return null;
  return (
    <section className="events" aria-labelledby={`events-${run.runId}`}>
      <div className="subhead">
        <h4 id={`events-${run.runId}`}>Events</h4>
      </div>
      <ol className="event-list">
        {run.events.map((e, i) => (
          <li key={i} data-testid="run-event" data-kind={e.kind}>
            <span className="mono muted">+{ms(e.atMs)}</span> {eventText(e)}
          </li>
        ))}
      </ol>
    </section>
  );
}
