// This session's runs, built from the lab's RunUpdates. Output goes into StreamBuffers
// (outside React state: views subscribe and draw at their own pace); everything else is
// plain state. A run appears the moment Launch is pressed and takes the lab's run id when
// the launch is answered; updates that arrive before that answer wait for it.
import { create } from 'zustand';

import type { ControlOutcome, LaunchedRun, ObservedUpdate, ProbeReport, PtraceAction, RunUpdate, SavedOutput, SignalName } from '@shared/api';
import type { StopScope } from '@shared/fields';
import type { NamespaceIds } from '@shared/namespaces';
import type { Problem } from '@shared/problems';
import type { RunEvent, RunResult } from '@shared/result';
import { inheritsLabStdio, labStdioFdsInherited, labStdioKey } from '@shared/lab-stdio';
import { sortKeys } from '@shared/run-words';
import { getLabApi } from '../api';
import type { Draft } from '../lib/draft';
import { StreamBuffer } from '../lib/stream';

export interface RunView {
  runId: string;
  /**
   * What the run's view is keyed by: the id it had in this page before the lab answered
   * the launch. Kept when the lab's id replaces it, so that the view is not remounted
   * (which would also cut short the scroll that brings it into view).
   */
  viewKey?: string;
  profileName: string;
  probe: boolean;
  /** The profile as launched. */
  profile: Draft;
  /** undefined: not started yet · null: nothing was started (the launch failed before clone). */
  pid: number | null | undefined;
  phase: 'launching' | 'running' | 'done';
  launchedAt: number;
  streams: Record<string, StreamBuffer>;
  /** Where each stream's full output is saved (the streams keep only a tail), by key. */
  savedOutput: Record<string, SavedOutput>;
  /** Output keys in display order ("1", "2", …, "pty"). */
  keys: string[];
  events: RunEvent[];
  /** What the clone did, from the 'started' update: the fd view shows it while the child runs. */
  launched?: LaunchedRun;
  result?: RunResult;
  probeReport?: ProbeReport;
  /** The lab's own namespaces, sent with the probe's report. */
  labNamespaces?: NamespaceIds;
  /** The child's real descriptor table (from /proc right after exec, or the probe's report). */
  observed?: ObservedUpdate;
  /** The last signal or ptrace request and what the lab answered. */
  control?: { what: string; outcome: ControlOutcome };
  /** The launch was refused (problems) or failed (message). */
  refused?: { message: string; problems: Problem[] };
}

interface RunsState {
  runs: Record<string, RunView>;
  /** Newest first. */
  order: string[];
  selected: string | null;
}

export const useRuns = create<RunsState>()(() => ({ runs: {}, order: [], selected: null }));

function patch(runId: string, change: (run: RunView) => Partial<RunView>): void {
  useRuns.setState((s) => {
    const run = s.runs[runId];
    if (!run) return {};
    return { runs: { ...s.runs, [runId]: { ...run, ...change(run) } } };
  });
}

/** The output keys a profile will produce: a pipe on fd N ≥ 1 is "N", a pty is "pty". */
export function expectedKeys(profile: Draft, labStdioPanes = false): string[] {
  const files = Array.isArray(profile.files) ? profile.files : [];
  const keys: string[] = [];
  files.forEach((f, fd) => {
    if (f?.type === 'pipe' && fd > 0) keys.push(String(fd));
  });
  if (labStdioPanes) keys.push(...labStdioFdsInherited(files).map(labStdioKey));
  if (files.some((f) => f?.type === 'pty')) keys.push('pty');
  return keys;
}

/** How launches from the builder are made: with the lab's fd 1 and 2 shown as panes (lab-stdio.ts). */
export const useLaunchOptions = create<{ labStdioPanes: boolean }>()(() => ({ labStdioPanes: false }));


let localId = 0;
/** Updates for run ids not (yet) known here, kept a little while for the launch answer. */
const early = new Map<string, RunUpdate[]>();
/** Another client's run never gets adopted: stop keeping its updates past this many. */
const EARLY_LIMIT = 256;
/** Runs kept in the history; the oldest finished ones (and their output) go first. */
const HISTORY_LIMIT = 50;

function pruneHistory(state: RunsState): Partial<RunsState> {
  if (state.order.length <= HISTORY_LIMIT) return {};
  const runs = { ...state.runs };
  const order = [...state.order];
  for (let i = order.length - 1; i >= 0 && order.length > HISTORY_LIMIT; i--) {
    const id = order[i]!;
    if (runs[id]?.phase === 'done' && id !== state.selected) {
      delete runs[id];
      order.splice(i, 1);
    }
  }
  return { runs, order };
}

export async function launch(profile: Draft, probe: boolean): Promise<{ ok: true } | { ok: false; problems: Problem[]; message: string }> {
  const tempId = `local-${++localId}`;
  const streams: Record<string, StreamBuffer> = {};
  const labStdioPanes = useLaunchOptions.getState().labStdioPanes && inheritsLabStdio(Array.isArray(profile.files) ? profile.files : []);
  const keys = expectedKeys(profile, labStdioPanes);
  for (const key of keys) streams[key] = new StreamBuffer(key);
  const run: RunView = {
    runId: tempId,
    viewKey: tempId,
    profileName: typeof profile.name === 'string' && profile.name ? profile.name : 'unnamed',
    probe,
    profile,
    pid: undefined,
    phase: 'launching',
    launchedAt: Date.now(),
    streams,
    savedOutput: {},
    keys,
    events: [],
  };
  useRuns.setState((s) => ({ runs: { ...s.runs, [tempId]: run }, order: [tempId, ...s.order], selected: tempId }));
  useRuns.setState(pruneHistory);
  try {
    const outcome = await getLabApi().launch(profile, { probe, ...(labStdioPanes && { labStdioPanes }) });
    if (!outcome.ok) {
      const message = outcome.errors.length > 0 ? 'The lab refused the profile: fix the errors shown in the builder.' : 'The lab refused the launch.';
      patch(tempId, () => ({ phase: 'done', pid: null, refused: { message, problems: outcome.errors } }));
      return { ok: false, problems: outcome.errors, message };
    }
    // The run takes the lab's id; anything already said about it is replayed.
    const runId = outcome.runId;
    useRuns.setState((s) => {
      const current = s.runs[tempId];
      if (!current) return {};
      const runs = { ...s.runs, [runId]: { ...current, runId, phase: current.phase === 'launching' ? 'running' : current.phase } };
      delete runs[tempId];
      return {
        runs,
        order: s.order.map((id) => (id === tempId ? runId : id)),
        selected: s.selected === tempId ? runId : s.selected,
      };
    });
    const pending = early.get(runId);
    early.delete(runId);
    pending?.forEach(apply);
    return { ok: true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    patch(tempId, () => ({ phase: 'done', pid: null, refused: { message, problems: [] } }));
    return { ok: false, problems: [], message };
  }
}

function apply(update: RunUpdate): void {
  const run = useRuns.getState().runs[update.runId];
  if (!run) {
    const list = early.get(update.runId) ?? [];
    if (list.length === 0) setTimeout(() => early.delete(update.runId), 15_000);
    if (list.length >= EARLY_LIMIT && update.kind === 'output') return;
    list.push(update);
    early.set(update.runId, list);
    return;
  }
  switch (update.kind) {
    case 'started':
      patch(run.runId, (r) => ({
        pid: update.pid,
        phase: r.phase === 'done' ? 'done' : 'running',
        profileName: update.profileName || r.profileName,
        ...(update.launched && { launched: update.launched }),
      }));
      break;
    case 'output': {
      const stream = run.streams[update.key];
      if (stream) {
        stream.append(update.text, update.skippedBytes);
      } else {
        const created = new StreamBuffer(update.key);
        created.append(update.text, update.skippedBytes);
        patch(run.runId, (r) => ({ streams: { ...r.streams, [update.key]: created }, keys: sortKeys([...r.keys, update.key]) }));
      }
      break;
    }
    case 'saved-output':
      patch(run.runId, (r) => ({ savedOutput: { ...r.savedOutput, [update.key]: update.saved } }));
      break;
    case 'event':
      patch(run.runId, (r) => ({ events: [...r.events, update.event] }));
      break;
    case 'observed':
      patch(run.runId, () => ({ observed: update }));
      break;
    case 'done': {
      const { result, probeReport, labNamespaces, savedOutput } = update;
      // The live streams are the view; the result's copy of the output only fills in what
      // the stream missed (it arrived before this view existed, or the connection dropped).
      const streams = { ...run.streams };
      let keys = run.keys;
      for (const [key, text] of Object.entries(result.output ?? {})) {
        const stream = streams[key];
        if (!stream) {
          if (text === '') continue;
          const created = new StreamBuffer(key);
          created.append(text);
          streams[key] = created;
          keys = sortKeys([...keys, key]);
        } else if (stream.total < text.length) {
          stream.reset(text);
        }
      }
      const kept: RunResult = { ...result, output: {} };
      patch(run.runId, () => {
        const next: Partial<RunView> = { phase: 'done', result: kept, streams, keys, pid: result.pid, events: result.events ?? run.events };
        if (savedOutput) next.savedOutput = savedOutput;
        if (probeReport) next.probeReport = probeReport;
        if (labNamespaces) next.labNamespaces = labNamespaces;
        return next;
      });
      break;
    }
  }
}

export function selectRun(runId: string): void {
  useRuns.setState({ selected: runId });
}

/** The signal the child is stopped by now (its last event a stop), or null. */
export function stoppedBy(run: RunView): string | null {
  const last = run.events.at(-1);
  return last?.kind === 'stopped' ? last.signal : null;
}

export async function sendSignal(runId: string, signal: SignalName, scope: StopScope, killAfterMs?: number): Promise<void> {
  const run = useRuns.getState().runs[runId];
  // signal(7): a stopped process gets a signal only once continued, but for SIGKILL and SIGCONT.
  const waits = run && stoppedBy(run) !== null && signal !== 'SIGKILL' && signal !== 'SIGCONT';
  const what =
    `${scope === 'group' ? `${signal} to its process group` : scope === 'cgroup' ? `cgroup.kill (SIGKILL to every process in ${String(run?.profile.sys?.cgroup)})` : signal}${killAfterMs !== undefined ? `, SIGKILL after ${killAfterMs} ms if still there` : ''}` +
    (waits ? `; the child is stopped, so ${signal} waits until it is continued (SIGCONT, or Continue when traced)` : '');
  try {
    const outcome = await getLabApi().signal(runId, signal, scope, killAfterMs);
    patch(runId, () => ({ control: { what, outcome } }));
  } catch (err) {
    patch(runId, () => ({ control: { what, outcome: { ok: false, message: err instanceof Error ? err.message : String(err) } } }));
  }
}

export async function ptraceAction(runId: string, action: PtraceAction): Promise<void> {
  const signal = useRuns.getState().runs[runId] && stoppedBy(useRuns.getState().runs[runId]!);
  const what = {
    continue: `continue (PTRACE_CONT${signal ? `, ${signal} not delivered` : ''})`,
    'continue-with-signal': `continue (PTRACE_CONT, delivering ${signal ?? 'no signal'})`,
    detach: 'detach (PTRACE_DETACH)',
  }[action];
  try {
    const outcome = await getLabApi().ptrace(runId, action);
    patch(runId, () => ({ control: { what, outcome } }));
  } catch (err) {
    patch(runId, () => ({ control: { what, outcome: { ok: false, message: err instanceof Error ? err.message : String(err) } } }));
  }
}

let started = false;

export function startRuns(): void {
  if (started) return;
  started = true;
  getLabApi().onRunUpdate(apply);
}
