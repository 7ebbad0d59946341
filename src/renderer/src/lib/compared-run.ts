// A run as the comparison of two runs takes it (@shared/run-compare-rows): this page's run
// with all the page holds of it, or one from before the page loaded with only its summary.
import type { RecentRun } from '@shared/api';
import type { ComparedRun } from '@shared/run-compare-rows';
import type { RunView } from '../stores/runs';
import { canonical } from './draft';
import { launchTime } from './format';

export function comparedOfRun(run: RunView): ComparedRun {
  const { result, launched } = run;
  return {
    name: run.profileName,
    launched: launchTime(run.launchedAt),
    origin: 'this-page',
    probe: run.probe,
    pid: run.pid,
    ...(run.refused && { refused: run.refused.message }),
    running: run.phase !== 'done',
    path: result?.path ?? null,
    status: result?.status ?? null,
    execError: result?.execError ?? launched?.execError ?? null,
    timedOut: result?.timedOut ?? false,
    outputHeldOpen: result?.outputHeldOpen ?? [],
    trace: result?.trace ?? launched?.trace ?? null,
    // Every default filled in: a field left out and one set to its default are the same launch.
    profile: JSON.parse(canonical(run.profile)) as unknown,
    probeReport: run.probeReport ?? null,
    labNamespaces: run.labNamespaces ?? null,
    observed: run.observed ? { source: run.observed.source, fds: run.observed.fds, ...(run.observed.error && { error: run.observed.error }) } : null,
    output: Object.fromEntries(
      run.keys.flatMap((key) => {
        const stream = run.streams[key];
        return stream ? [[key, { text: stream.text(), droppedBytes: stream.dropped }]] : [];
      }),
    ),
    savedKeys: Object.keys(run.savedOutput),
  };
}

export function comparedOfEarlier(run: RecentRun): ComparedRun {
  return {
    name: run.profileName,
    launched: launchTime(run.launchedAtMs),
    origin: run.earlierSession ? 'earlier-session' : 'before-reload',
    probe: run.probe,
    pid: run.pid,
    running: false,
    path: run.path || null,
    status: run.status,
    execError: run.execError,
    timedOut: run.timedOut,
    outputHeldOpen: run.outputHeldOpen ?? [],
    trace: null,
    profile: null,
    probeReport: null,
    labNamespaces: null,
    observed: null,
    output: null,
    savedKeys: Object.keys(run.savedOutput),
  };
}
