// One launch as the service follows it (issue 12): its output batched to the clients and
// saved to its run folder, its updates from 'started' to 'done', the child's observed
// descriptor table, its summary for the history, and the probe's report with its secrets
// masked. LabService keeps these by run id and only routes requests to them.
import { randomUUID } from 'node:crypto';

import type { LaunchOutcome, ObservedUpdate, RunUpdate } from '../../shared/api';
import type { Profile } from '../../shared/profile';
import type { RunResult } from '../../shared/result';
import { InvalidProfileError, launch, launchProbe } from './index';
import { labNamespaceIds } from './namespaces';
import { neverRan, probeFds, readProcFds, type Observed } from './observe';
import { parseProbeReport } from './probe-report';
import { OutputBatcher } from './output-batcher';
import type { Run } from './run';
import { keepRunSummary, summarize } from './run-summary';
import type { RunOutputFiles, RunsFolder } from './runs-folder';
import { maskSecrets, secretNames } from './secret-env';

// Clients already have the output from the live updates; the copy in 'done' only fills
// gaps (a client that connected late). The tail a view shows is enough: a bigger copy
// stalls a page while it parses it (a MiB of NUL bytes is 6 MB of JSON, over 100 ms), and
// all of the output is in the saved files.
const DONE_OUTPUT_TAIL = 64 * 1024;

export interface ServiceRunOptions {
  probe: boolean;
  /** The lab's fd 1 and 2 shown as outputs "lab-1" and "lab-2" (lab-stdio.ts). */
  labStdioPanes?: boolean;
  /** The lab's secret store, when the profile names a key of it. */
  secretValues?: Record<string, string>;
  runsFolder: RunsFolder;
  emit(update: RunUpdate): void;
}

export class ServiceRun {
  readonly runId = randomUUID();
  /** Settles once 'done' has been sent and the run's files are closed. */
  readonly ended: Promise<void>;
  private readonly launchedAtMs = Date.now();
  private readonly output: OutputBatcher;
  private readonly files: RunOutputFiles;
  readonly run: Run;

  /** Launches the profile; an invalid one (or one whose secret cannot be had) is refused with its problems. */
  static start(profile: unknown, options: ServiceRunOptions): ServiceRun | Extract<LaunchOutcome, { ok: false }> {
    try {
      return new ServiceRun(profile, options);
    } catch (err) {
      if (err instanceof InvalidProfileError) return { ok: false, errors: err.problems };
      throw err;
    }
  }

  private constructor(
    private readonly profile: unknown,
    private readonly options: ServiceRunOptions,
  ) {
    const { runId } = this;
    this.output = new OutputBatcher((key, text, skippedBytes) =>
      options.emit({ runId, kind: 'output', key, text, ...(skippedBytes > 0 && { skippedBytes }) }),
    );
    this.files = options.runsFolder.startRun(runId, (key, saved) => options.emit({ runId, kind: 'saved-output', key, saved }));
    this.run = (options.probe ? launchProbe : launch)(profile, {
      ...(options.secretValues && { secretValues: options.secretValues }),
      ...(options.labStdioPanes && { labStdioPanes: true }),
      onOutput: (key, text) => {
        this.files.write(key, text);
        this.output.push(key, text);
      },
      onEvent: (event) => {
        this.output.flush();
        options.emit({ runId, kind: 'event', event });
      },
      // A captured pipe's bytes go to its file from the engine's reader thread, as read.
      saveOutput: (key) => this.files.engineFile(key),
      onOutputSaved: (key, errno) => this.files.engineFileEnded(key, errno),
    });
    this.ended = this.follow();
  }

  // A valid profile: launch() checked it.
  private get launched(): Parameters<typeof summarize>[0] {
    return { runId: this.runId, profile: this.profile as Profile, probe: this.options.probe, launchedAtMs: this.launchedAtMs };
  }

  // The child's real table, beside the predicted one: read from /proc at once (a snapshot:
  // the program may change its own descriptors after exec), or, for the probe, from its
  // report once it is done.
  private observed(source: ObservedUpdate['source'], atMs: number, seen: Observed): ObservedUpdate {
    return { runId: this.runId, kind: 'observed', source, atMs, fds: seen.fds, ...(seen.error !== undefined && { error: seen.error }) };
  }

  private async follow(): Promise<void> {
    const { run, runId, options } = this;
    const { emit, probe } = options;
    const pid = await run.started;
    const launched = run.launched;
    emit({ runId, kind: 'started', profileName: this.launched.profile.name, probe, pid, atMs: Date.now(), ...(pid !== null && { launched }) });
    if (pid !== null && !probe) {
      const atMs = Date.now();
      const seen = launched.execError ? { fds: [], error: neverRan(launched.execError) } : readProcFds(pid);
      emit(this.observed('proc', atMs, seen));
    }
    const result = await run.result;
    this.output.flush();
    const savedOutput = await this.files.close();
    // Kept before 'done' is sent: a reload right after the run ends finds it in the history.
    await keepRunSummary(options.runsFolder.dir, this.files.folderName, summarize(this.launched, result, savedOutput));
    const taken = probe ? parseProbeReport(run) : undefined;
    // What the child got, but its secrets' values: the page shows the report, and keeps it.
    const probeReport = taken && { ...taken.report, env: maskSecrets(taken.report.env, secretNames(this.launched.profile)) };
    if (probe && pid !== null) {
      const seen = taken
        ? { fds: probeFds(taken.report) }
        : { fds: [], error: result.execError ? neverRan(result.execError) : 'the probe wrote no report' };
      emit(this.observed('probe', taken?.writtenAtMs ?? Date.now(), seen));
    }
    emit({
      runId,
      kind: 'done',
      result: withOutputTail(result),
      ...(probeReport && { probeReport, labNamespaces: labNamespaceIds() }),
      ...(Object.keys(savedOutput).length > 0 && { savedOutput }),
    });
    // A run without output made its folder for the summary just now: the newest KEEP_RUNS stay.
    await options.runsFolder.prune();
  }
}

function withOutputTail(result: RunResult): RunResult {
  const output = Object.fromEntries(
    Object.entries(result.output).map(([key, text]) => [key, text.length > DONE_OUTPUT_TAIL ? text.slice(-DONE_OUTPUT_TAIL) : text]),
  );
  return { ...result, output };
}
