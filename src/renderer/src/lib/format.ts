// How runs are described in words.
import { signalByName } from '@shared/signals';
import type { ExecError, RunEvent, WaitStatus } from '@shared/result';
import { statusText } from '@shared/run-words';
import type { RunView } from '../stores/runs';

export { statusText, streamLabel } from '@shared/run-words';

export function signalLabel(name: string, number?: number): string {
  const n = number ?? signalByName(name)?.number;
  return n === undefined ? name : `${name} (${n})`;
}

export function signalDescription(name: string): string | undefined {
  return signalByName(name)?.description;
}

export function eventText(event: RunEvent): string {
  switch (event.kind) {
    case 'stopped':
      return `stopped by ${signalLabel(event.signal, event.number)}`;
    case 'continued':
      return 'continued';
    case 'detached':
      return 'detached (the lab stopped tracing it)';
    case 'answered':
      return `${signalLabel(event.signal, event.number)} before its execve: resumed by the lab, its tracer, ${
        event.delivered ? 'with the signal delivered' : 'without the signal (it would have stopped the child before its program ran)'
      }`;
  }
}

export interface Headline {
  text: string;
  tone: 'running' | 'ok' | 'error' | 'warning' | 'muted';
}

/** The run's state in a few words: what the status card's headline says. */
export function runHeadline(run: RunView): Headline {
  if (run.refused) return { text: 'not launched', tone: 'error' };
  if (run.phase === 'launching' || run.pid === undefined) return { text: 'starting…', tone: 'running' };
  if (run.phase !== 'done') {
    const last = run.events[run.events.length - 1];
    if (last?.kind === 'stopped') return { text: `stopped by ${signalLabel(last.signal, last.number)}`, tone: 'warning' };
    if (last?.kind === 'continued') return { text: 'continued, running', tone: 'running' };
    return { text: 'running', tone: 'running' };
  }
  return endedHeadline(run.pid, run.result?.status ?? null, run.result?.execError ?? null);
}

/** How a run ended, in a few words (pid null: no child was created). */
export function endedHeadline(pid: number | null | undefined, status: WaitStatus | null, execError: ExecError | null): Headline {
  if (!status) return { text: pid === null ? 'never started' : 'ended, exit status unknown', tone: 'error' };
  if (status.kind === 'exited') return { text: statusText(status), tone: status.code === 0 && !execError ? 'ok' : 'error' };
  return { text: statusText(status), tone: 'error' };
}

export function ms(value: number): string {
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** When a run was launched: the time today, the date and time on an earlier day. */
export function launchTime(atMs: number): string {
  const time = new Date(atMs);
  return time.toDateString() === new Date().toDateString() ? time.toLocaleTimeString() : time.toLocaleString();
}
