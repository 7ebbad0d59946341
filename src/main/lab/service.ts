// The lab's services behind the one API (src/shared/api.ts): profiles on disk, kept drafts,
// checks and plans, launches and their live runs, the recent runs' summaries. Both
// transports (Electron IPC, browser mode's WebSocket) serve this object; neither adds
// behaviour of its own.
//
// Every answer is a result: an invalid profile is `{ ok: false, errors }`, a run that has
// ended answers ESRCH. Run updates and profile changes go to every listener.
import path from 'node:path';

import type {
  Checked,
  ControlOutcome,
  DraftKey,
  DraftSave,
  ExecPreview,
  ExampleOverwrite,
  ExamplesRestored,
  ExampleStatus,
  ExportOutcome,
  FileChangeOutcome,
  KeptDraftEntry,
  LabApi,
  LaunchOptions,
  LaunchOutcome,
  LessonCheckOutcome,
  LessonProgress,
  LessonsListed,
  LookupView,
  PtraceAction,
  PlanOutcome,
  ProfileEntry,
  RecentRun,
  RestoreUndoStep,
  RunUpdate,
  SandboxPlan,
  SavedOutput,
  SaveOutcome,
  SaveRequest,
  SignalName,
  VerifyExportOutcome,
} from '../../shared/api';
import type { StopScope } from '../../shared/fields';
import type { ImportOutcome, ImportResult, ProcessEntry } from '../../shared/import';
import type { InspectedProcess } from '../../shared/inspect';
import type { Problem } from '../../shared/problems';
import type { Secret } from '../../shared/profile';
import { DraftStore } from './draft-store';
import { examplesStatus, restoreExamples, undoRestoreExamples } from './example-restore';
import { execPlan, exportProfile, InvalidProfileError, plan, validate, verifyExport, type ExportLang } from './index';
import { importProcess } from './import/import-process';
import { importShell } from './import/import-shell';
import { listProcesses } from './import/list-processes';
import { inspectProcess } from './inspect';
import { checkLesson } from './lesson-check';
import { LessonProgressStore } from './lesson-progress';
import { findLesson, readLessons } from './lessons';
import { lookupView } from './lookup-view';
import { ProfileStore } from './profile-store';
import type { Run } from './run';
import { readRunSummaries } from './run-summary';
import { KEEP_RUNS, RunsFolder, type SavedOutputLookup } from './runs-folder';
import { sandboxPlan } from './sandbox';
import { ServiceRun } from './service-run';
import { secretEnv, usesLabEnv, usesSecretStore } from './secret-env';
import { SecretStore, unreadableStore } from './secret-store';
import { launchEnvironment } from './spec';

export interface LabServiceOptions {
  /** The profiles folder: Electron's userData/profiles, or defaultProfilesDir(). */
  profilesDir: string;
  /**
   * Where each run's full output is saved (runs-folder.ts). Default: `runs` beside the
   * profiles folder (userData/runs, $PROCLAB_HOME/runs). Made at the first run with output.
   */
  runsDir?: string;
  /** Where the builder's unsaved edits are kept (draft-store.ts). Default: `drafts` beside the profiles folder. */
  draftsDir?: string;
  /** The secret store (secret-store.ts). Default: `secrets` beside the profiles folder. */
  secretsDir?: string;
  /** A teacher's lessons (lessons.ts). Default: `lessons` beside the profiles folder. */
  lessonsDir?: string;
  /** The student's progress (lesson-progress.ts). Default: `lessons-progress` beside the profiles folder. */
  progressDir?: string;
}

/** A profile's problems as an answer ({ ok: false, errors }), anything else thrown on. */
async function orProblems<T>(answer: () => T | Promise<T>): Promise<T | { ok: false; errors: Problem[] }> {
  try {
    return await answer();
  } catch (err) {
    if (err instanceof InvalidProfileError) return { ok: false, errors: err.problems };
    throw err;
  }
}

export class LabService implements LabApi, SavedOutputLookup {
  private readonly store: ProfileStore;
  private readonly runsFolder: RunsFolder;
  private readonly drafts: DraftStore;
  private readonly secrets: SecretStore;
  private readonly lessonsDir: string;
  private readonly progress: LessonProgressStore;
  // Runs launched before this moment were launched by an earlier start of the lab.
  private readonly openedAtMs = Date.now();
  // The ended runs as last listed, by run id: their saved output, for the transports.
  private recentRuns = new Map<string, RecentRun>();
  // This session's runs that are still going, for signals, ptrace requests and input.
  private readonly live = new Map<string, Run>();
  // Runs whose end is being recorded (files closed, 'done' sent): dispose waits for them.
  private readonly ending = new Set<Promise<void>>();
  private readonly runListeners = new Set<(update: RunUpdate) => void>();
  private readonly profileListeners = new Set<() => void>();
  private stopWatching = (): void => {};

  private constructor(profilesDir: string, runsDir: string, draftsDir: string, secretsDir: string, lessonsDir: string, progressDir: string) {
    this.store = new ProfileStore(profilesDir);
    this.runsFolder = new RunsFolder(runsDir);
    this.drafts = new DraftStore(draftsDir);
    this.secrets = new SecretStore(secretsDir);
    this.lessonsDir = lessonsDir;
    this.progress = new LessonProgressStore(progressDir);
  }

  /**
   * Opens the profiles folder, watching it for changes. On the first run there (no folder
   * yet) it is created with the example profiles in it.
   */
  static async open({ profilesDir, runsDir, draftsDir, secretsDir, lessonsDir, progressDir }: LabServiceOptions): Promise<LabService> {
    const beside = (name: string) => path.join(path.dirname(path.resolve(profilesDir)), name);
    const service = new LabService(
      profilesDir,
      runsDir ?? beside('runs'),
      draftsDir ?? beside('drafts'),
      secretsDir ?? beside('secrets'),
      lessonsDir ?? beside('lessons'),
      progressDir ?? beside('lessons-progress'),
    );
    try {
      if (await service.store.createFolder()) await restoreExamples(service.store, []);
      service.stopWatching = service.store.watch(() => service.emit(service.profileListeners));
    } catch {
      // A folder that cannot be created or watched (a read-only home, ...): the lab still
      // runs, and listing or saving says why the folder is unusable.
    }
    return service;
  }

  listProfiles(): Promise<ProfileEntry[]> {
    return this.store.list();
  }

  saveProfile(request: SaveRequest): Promise<SaveOutcome> {
    return this.store.save(request);
  }

  deleteProfile(file: string): Promise<ControlOutcome> {
    return this.store.delete(file);
  }

  examplesStatus(): Promise<ExampleStatus[]> {
    return examplesStatus(this.store);
  }

  restoreExamples(overwrite: ExampleOverwrite[]): Promise<ExamplesRestored> {
    return restoreExamples(this.store, overwrite);
  }

  undoRestoreExamples(undo: RestoreUndoStep[]): Promise<FileChangeOutcome[]> {
    return undoRestoreExamples(this.store, undo);
  }

  saveDraft(draft: DraftSave): Promise<ControlOutcome> {
    return this.drafts.save(draft);
  }

  async listSecretKeys(): Promise<string[]> {
    return this.secrets.keys();
  }

  setSecret(key: string, value: string): Promise<ControlOutcome> {
    return this.secrets.set(key, value);
  }

  deleteSecret(key: string): Promise<ControlOutcome> {
    return this.secrets.remove(key);
  }

  async listLessons(): Promise<LessonsListed> {
    const { lessons, folderProblem } = await readLessons(this.lessonsDir);
    try {
      return { lessons, ...(folderProblem && { folderProblem }), progress: await this.progress.read() };
    } catch (err) {
      return { lessons, ...(folderProblem && { folderProblem }), progress: {}, progressProblem: (err as Error).message };
    }
  }

  async checkLesson(lessonId: string, profile: unknown): Promise<LessonCheckOutcome> {
    const lesson = await findLesson(lessonId, this.lessonsDir);
    if (!lesson) return { ok: false, message: `no lesson ${lessonId}` };
    const secrets = await this.storedSecrets(profile);
    if (!secrets.ok) return { ok: false, message: 'The profile cannot be checked: the lab’s secret store cannot be read.', problems: [secrets.problem] };
    try {
      const check = await checkLesson(lesson, profile, secrets.secretValues ? { secretValues: secrets.secretValues } : {});
      const progress = check.notChecked ? (await this.progress.read())[lessonId] ?? { checks: 0, hintsShown: 0 } : await this.progress.recordCheck(lessonId, check.passed);
      return { ok: true, check, progress };
    } catch (err) {
      if (err instanceof InvalidProfileError) return { ok: false, message: 'The profile cannot be checked: fix it in the builder first.', problems: err.problems };
      throw err;
    }
  }

  async showLessonHint(lessonId: string): Promise<LessonProgress> {
    const lesson = await findLesson(lessonId, this.lessonsDir);
    return this.progress.showHint(lessonId, lesson?.hints.length ?? 0);
  }

  listDrafts(): Promise<KeptDraftEntry[]> {
    return this.drafts.list();
  }

  discardDraft(key: DraftKey): Promise<ControlOutcome> {
    return this.drafts.discard(key);
  }

  async listRecentRuns(): Promise<RecentRun[]> {
    const summaries = await readRunSummaries(this.runsFolder.dir, KEEP_RUNS);
    const recent = summaries.map((summary) => ({ ...summary, earlierSession: summary.launchedAtMs < this.openedAtMs }));
    this.recentRuns = new Map(recent.map((run) => [run.runId, run]));
    return recent;
  }

  async validate(profile: unknown): Promise<Checked> {
    const checked = validate(profile);
    if (checked.errors.length > 0 || (!usesSecretStore(profile) && !usesLabEnv(profile))) return checked;
    // Whether each secret can be had now: said as you type, before a launch is refused for it.
    let stored: Record<string, string> | undefined;
    try {
      stored = usesSecretStore(profile) ? await this.secrets.values() : {};
    } catch (err) {
      return { ...checked, warnings: [...checked.warnings, unreadableStore(err)] };
    }
    const secrets = secretEnv(profile as { secrets: Secret[] }, stored);
    return secrets.ok ? checked : { ...checked, warnings: [...checked.warnings, ...secrets.problems] };
  }

  async plan(profile: unknown): Promise<PlanOutcome> {
    return orProblems(() => ({ ok: true, plan: plan(profile) }));
  }

  async execPreview(profile: unknown): Promise<ExecPreview> {
    return orProblems(() => ({ ok: true, ...execPlan(profile) }));
  }

  async exportCode(profile: unknown, lang: ExportLang): Promise<ExportOutcome> {
    return orProblems(() => ({ ok: true, ...exportProfile(profile, lang) }));
  }

  /** Builds and runs code: minutes at worst for a first Go build, never blocking the event loop. */
  async verifyExport(profile: unknown, lang: ExportLang): Promise<VerifyExportOutcome> {
    return orProblems(async () => ({ ok: true, verification: await verifyExport(profile, lang) }));
  }

  async sandboxPlan(files: number[], hostFds: number[]): Promise<SandboxPlan> {
    return sandboxPlan(files, hostFds);
  }

  async lookPath(program: string, env: string[], inheritEnv: boolean, chroot: string): Promise<LookupView> {
    return lookupView(program, launchEnvironment({ env, inheritEnv }), chroot);
  }

  /**
   * Resolves at once with the run's id: a launch may wait a long time before its child
   * exists (a FIFO in files[] waits for its other end), and can be killed meanwhile. Its
   * 'started' update follows.
   */
  async launch(profile: unknown, options: LaunchOptions = {}): Promise<LaunchOutcome> {
    const secrets = await this.storedSecrets(profile);
    if (!secrets.ok) return { ok: false, errors: [secrets.problem] };
    const { secretValues } = secrets;
    const started = ServiceRun.start(profile, {
      probe: options.probe === true,
      labStdioPanes: options.labStdioPanes === true,
      ...(secretValues && { secretValues }),
      runsFolder: this.runsFolder,
      emit: (update) => this.emit(this.runListeners, update),
    });
    if (!(started instanceof ServiceRun)) return started;
    const { runId, run, ended } = started;
    this.live.set(runId, run);
    void run.result.then(() => this.live.delete(runId));
    this.ending.add(ended);
    void ended.finally(() => this.ending.delete(ended));
    return { ok: true, runId };
  }

  /** The secret store's values, when the profile takes secrets from it; a store that cannot be read refuses the launch. */
  private async storedSecrets(profile: unknown): Promise<{ ok: true; secretValues?: Record<string, string> } | { ok: false; problem: Problem }> {
    if (!usesSecretStore(profile)) return { ok: true };
    try {
      return { ok: true, secretValues: await this.secrets.values() };
    } catch (err) {
      return { ok: false, problem: unreadableStore(err) };
    }
  }

  async signal(runId: string, signal: SignalName, scope: StopScope, killAfterMs?: number): Promise<ControlOutcome> {
    return this.live.get(runId)?.kill(signal, { group: scope === 'group', cgroup: scope === 'cgroup', escalateAfterMs: killAfterMs }) ?? notRunning(runId);
  }

  async ptrace(runId: string, action: PtraceAction): Promise<ControlOutcome> {
    const run = this.live.get(runId);
    if (!run) return notRunning(runId);
    if (action === 'detach') return run.detach();
    return run.continue(action === 'continue-with-signal' ? (run.stoppedBy() ?? 0) : 0);
  }

  async inspect(runId: string): Promise<InspectedProcess | null> {
    const pid = this.live.get(runId)?.pid;
    return typeof pid === 'number' ? inspectProcess(pid) : null;
  }

  importShell(line: string): Promise<ImportResult> {
    return importShell(line);
  }

  async importProcess(pid: number): Promise<ImportOutcome> {
    return importProcess(pid);
  }

  async listProcesses(): Promise<ProcessEntry[]> {
    return listProcesses();
  }

  async input(runId: string, data: string): Promise<ControlOutcome> {
    const run = this.live.get(runId);
    if (!run) return notRunning(runId);
    if (run.write(data)) return { ok: true };
    return { ok: false, message: "this run takes no input: it has no terminal, and a pipe on fd 0 carries only the profile's stdin" };
  }

  async resize(runId: string, cols: number, rows: number): Promise<ControlOutcome> {
    return this.live.get(runId)?.resize(cols, rows) ?? notRunning(runId);
  }

  /** A stream's saved output, for the transports to open or serve (by run id and key only). */
  savedOutput(runId: string, key: string): SavedOutput | undefined {
    return this.runsFolder.savedOutput(runId, key) ?? this.recentRuns.get(runId)?.savedOutput[key];
  }

  onRunUpdate(listener: (update: RunUpdate) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  onProfilesChanged(listener: () => void): () => void {
    this.profileListeners.add(listener);
    return () => this.profileListeners.delete(listener);
  }

  /**
   * Stops watching the folder and kills every live run (SIGKILL); resolves once they are
   * reaped and their output files are closed, or after DISPOSE_REAP_MS with the pids of
   * those that were not.
   */
  async dispose(): Promise<{ notReaped: number[] }> {
    this.stopWatching();
    const runs = [...this.live.values()];
    // Killed through their pidfds (or cancelled while still opening their files), whatever
    // they are doing; a child in uninterruptible sleep cannot die until it wakes: after
    // DISPOSE_REAP_MS the lab says which and goes on.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, DISPOSE_REAP_MS)));
    const ended = Promise.all(runs.map(async (run) => {
      await run.kill('SIGKILL');
      await run.result;
    })).then(() => Promise.all([...this.ending, this.runsFolder.settled()]));
    await Promise.race([ended, late]);
    clearTimeout(timer);
    return { notReaped: runs.filter((run) => !run.ended).map((run) => run.pid ?? -1) };
  }

  private emit<T extends unknown[]>(listeners: Set<(...args: T) => void>, ...args: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(...args);
      } catch (err) {
        // One broken client (a closed window, a dropped socket) must not starve the others.
        console.error('proclab: a listener failed:', err);
      }
    }
  }
}

// How long dispose() waits for killed children to be reaped.
const DISPOSE_REAP_MS = 2000;

const notRunning = (runId: string): ControlOutcome => ({
  ok: false,
  code: 'ESRCH',
  message: `run ${runId} is not running (it has ended, or was never started here)`,
});

