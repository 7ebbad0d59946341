// The one API between the renderer and the lab's services. Implemented twice: by the
// Electron preload (IPC to the main process) and by the browser-mode client (WebSocket to
// `proclab serve`). The renderer cannot tell which one it has.
import type { StopScope } from './fields';
import type { Problem } from './problems';
import type { Profile } from './profile';
import type { ExecErrorContext } from './explain';
import type { RLIMITS } from './engine-names';
import type { ImportOutcome, ImportResult, ProcessEntry } from './import';
import type { InspectedProcess } from './inspect';
import type { Lesson } from './lesson';
import type { GoalVerdict } from './lesson-goal';
import type { NamespaceIds } from './namespaces';
import type { ExecError, PlanOp, RunEvent, RunResult, WaitStatus } from './result';
import type { ExportedCode, ExportGap, ExportLang } from './export/common';
import type { ReportDifference } from './probe-diff';

/** One file in the profiles folder. A file that does not parse or validate is listed too. */
export interface ProfileEntry {
  /** The file's name in the profiles folder, e.g. `list-fds.json`: the entry's identity. */
  file: string;
  /** The profile as written on disk, when the file is valid. */
  profile?: Profile;
  /** Why the file is not a usable profile (bad JSON, schema errors); the file is left untouched. */
  error?: string;
  /** Changes whenever the file's content changes: a save names the revision it started from. */
  revision: string;
}

export interface SaveRequest {
  /** The file being edited; absent for a new profile (its file name comes from the name). */
  file?: string;
  /** The profile as the builder holds it: the lab checks it before anything is written. */
  profile: unknown;
  /** The revision the edit started from; a save over a file changed since is refused. */
  baseRevision?: string;
}

export type SaveOutcome =
  | { ok: true; entry: ProfileEntry }
  | {
      ok: false;
      /** stale: changed on disk since baseRevision · invalid: schema errors · exists: another profile has that name · io: the disk said no */
      reason: 'stale' | 'invalid' | 'exists' | 'io';
      message: string;
      problems?: Problem[];
    };

/**
 * How one of the shipped example profiles stands in the profiles folder: missing (no valid
 * profile has its name), same (the file that has is byte for byte as shipped), or changed
 * (someone edited it).
 */
export interface ExampleStatus {
  name: string;
  /** The file that holds it; for a missing one, the new file a restore would write. */
  file: string;
  state: 'missing' | 'same' | 'changed';
  /** The file's revision (same, changed): an overwrite names the one the user was shown. */
  revision?: string;
}

/** A changed example the user chose to overwrite, as they saw it: refused if its file changed since. */
export interface ExampleOverwrite {
  file: string;
  revision: string;
}

/** One file a restore wrote, and what undoing that puts back. */
export interface RestoreUndoStep {
  file: string;
  /** The revision the restore left: the undo touches the file only while it still has it. */
  revision: string;
  /** The file's bytes before the restore, base64 (exact, whatever they were); null: the restore created it, the undo removes it. */
  previousBase64: string | null;
}

/** One file a restore or its undo was to change: changed, or why it was left as it is. */
export type FileChangeOutcome = { file: string; ok: true } | { file: string; ok: false; message: string };

export interface ExamplesRestored {
  /** Each missing example, and each changed one chosen, in the examples' order. */
  changes: FileChangeOutcome[];
  /** What undoes the changes made: hand it to undoRestoreExamples. */
  undo: RestoreUndoStep[];
}

export interface Checked {
  errors: Problem[];
  warnings: Problem[];
}

/** The builder's preview of a program's lookup. */
export interface LookupView {
  /** The path execve will get (the program itself when it has a "/"), or null: not found in PATH. */
  path: string | null;
  /** A name searched in PATH: which one (the launch environment's, or the lab's own when that has none), its value, and the candidates passed over, each with why. */
  search?: { from: 'launch' | 'lab'; value: string; skipped: { path: string; why: string }[] };
  /** Under chroot: whether that path exists inside the new root, as the child will resolve it. */
  inRoot?: { root: string; exists: boolean };
  /** A script: the interpreter its #! line names, whether it exists (inside the root), and whether the line ends in \r. */
  interpreter?: { path: string; exists: boolean; crlf: boolean };
}

export const PTRACE_ACTIONS = ['continue', 'continue-with-signal', 'detach'] as const;
export type PtraceAction = (typeof PTRACE_ACTIONS)[number];

/** How the child is created: the call, and why when it is not what the method asks for. */
export interface CloneCall {
  call: string;
  why?: string;
}

export interface PlanView {
  /** The program after the PATH lookup, or null when not found. */
  path: string | null;
  plan: PlanOp[];
  clone: CloneCall;
  /** With a cgroup: the controllers it has here (what it can limit), null when unreadable. */
  cgroupControllers?: string[] | null;
  /** Predicted host fd for each child slot (-1: closed), and the status pipe. */
  slotFds: number[];
  statusFd: number;
  /** The seed's own plan, when it would destroy a source (golang/go#61751). */
  seedPlan?: PlanOp[];
}

export type PlanOutcome = { ok: true; plan: PlanView } | { ok: false; errors: Problem[] };

/** The launch as code in one language (issue 15), or why the profile cannot be exported. */
export type ExportOutcome = ({ ok: true } & ExportedCode) | { ok: false; errors: Problem[] };

/**
 * An export, proven: the generated program built and run with the probe in the program's
 * place, beside the lab's own launch of the same profile (probe in place too).
 */
export interface ExportVerification {
  lang: ExportLang;
  /** What builds or runs the code here; missing: what to install. Never a silent pass. */
  toolchain: { found: true; tools: string[] } | { found: false; missing: string; install: string };
  /** Whether the code built (true for the interpreted targets once the interpreter is there). */
  built: boolean;
  /** A build that failed, or an exported program that did not report: what it printed, and how it ended. */
  failure?: { stage: 'build' | 'run'; output: string; status?: WaitStatus | null };
  /** What the probe got from the exported program, and from the lab (null: it did not report). */
  observedByExport: ProbeReport | null;
  observedByLab: ProbeReport | null;
  /** Field by field; empty when both children got the same. */
  differences: ReportDifference[];
  /** What the target cannot express (the export's own list): why some differences are expected. */
  gaps: ExportGap[];
  /** What this check does not cover (a chroot, a name looked up in PATH...). */
  notes: string[];
  /** True only when it ran both and found no difference. */
  same: boolean;
}

export type VerifyExportOutcome = { ok: true; verification: ExportVerification } | { ok: false; errors: Problem[] };

/**
 * `proclab exec FILE` (the seed's Exec): what the profile becomes when the process replaces
 * itself with the program (shared/exec-mode.ts). errors: the fields exec refuses (exit 2);
 * notes: what it does differently from a launch; plan: the steps its helper takes, in
 * this process, or in a child when `clones` (cloneflags).
 */
export type ExecPreview =
  | { ok: true; notes: Problem[]; plan: PlanOp[]; clones: boolean }
  | { ok: false; errors: Problem[] };

/**
 * Sandbox mode: a seed-style `Files []int` planned against a sketch of the host's open
 * descriptors, without launching anything. The engine's planner makes both plans.
 */
export interface SandboxPlan {
  /** The files as given: the host fd each child slot takes (-1: closed in the child). */
  slotFds: number[];
  /**
   * The status pipe as pipe2() would place it in a process whose open fds are the sketch's
   * plus every source in files: the read end takes the lowest free number, the write end
   * (the one the child holds) the next free one.
   */
  statusReadFd: number;
  statusFd: number;
  /** The corrected plan (what the engine runs): pass 1 starts above every source. */
  plan: PlanOp[];
  /** The seed's own plan (pass 1 starts at len(files)), always; ops that destroy a source carry `clobbers` (golang/go#61751). */
  seedPlan: PlanOp[];
  /**
   * What a real launch of this would trip over, e.g. `files[2]`: `host fd 7 does not exist
   * in the sketch` (its dup2 would fail with EBADF). The plans are made all the same.
   */
  problems: Problem[];
}

export interface LaunchOptions {
  /** Run the probe instead of the program, with the same setup: shows what the child got. */
  probe?: boolean;
  /** Slots that inherit the lab's fd 1 or 2 get stand-in pipes, shown as outputs "lab-1" and "lab-2" (the lab's own output is elsewhere: a terminal, a server log). */
  labStdioPanes?: boolean;
}

export type LaunchOutcome = { ok: true; runId: string } | { ok: false; errors: Problem[] };

export interface ControlOutcome {
  ok: boolean;
  code?: string;
  message?: string;
}

/** What the probe reports (native/probe/probe.c), shown as a table after a probe run. */
export interface ProbeReport {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  tty: { ctty: string | null; foregroundPgid: number | null };
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  groups: number[];
  cwd: string | null;
  root: string | null;
  umask: number;
  fds: {
    fd: number;
    target: string | null;
    cloexec: boolean;
    type: string;
    access: string;
    append: boolean;
    tty: boolean;
    /** fstat of the descriptor (null when fstat failed): matches LaunchFds.sourceIds of the run's result. */
    dev: number | null;
    ino: number | null;
  }[];
  signals: { ignored: string[]; blocked: string[]; caught: string[] };
  tracer: number | null;
  /** Its capability sets, each sorted by name ("CAP_NET_BIND_SERVICE"; "CAP_41" for a bit the probe cannot name). Read with capget and prctl: known in a chroot too. */
  capabilities: ProbeCapabilities;
  /** The inode of each of its namespaces (/proc/self/ns/*); null without /proc. */
  namespaces: NamespaceIds;
  /** Its user namespace's id maps (/proc/self/uid_map, gid_map, setgroups). */
  idMaps: {
    /** In the file's order; [] when empty (a new user namespace before its map is written), null when unreadable (no /proc). */
    uid: IdMapping[] | null;
    gid: IdMapping[] | null;
    /** Whether setgroups(2) is allowed in its user namespace; null when unreadable. */
    setgroups: 'allow' | 'deny' | null;
  };
  /** Its cgroup v2 path (the "0::" line of /proc/self/cgroup); null without /proc or without cgroup v2. */
  cgroup: string | null;
  /** Every resource limit, by its name without RLIMIT_; null for a resource the kernel does not know. */
  rlimits: Record<RlimitName, { soft: RlimitValue; hard: RlimitValue } | null>;
  /** The signal it gets when its parent dies (PR_GET_PDEATHSIG), e.g. "SIGTERM"; null when none. */
  pdeathsig: string | null;
  /** PR_GET_NO_NEW_PRIVS: an exec it makes cannot gain privileges (set-uid bits, file capabilities). */
  noNewPrivs: boolean;
  /** Its nice value, -20..19 (getpriority); null if that failed. */
  nice: number | null;
  /** The CPUs it may run on (sched_getaffinity), ascending. */
  cpuAffinity: number[];
  /** /proc/self/oom_score_adj, -1000..1000; null without /proc. */
  oomScoreAdj: number | null;
  env: string[];
  argv: string[];
}

/** The capability sets the probe reports, each a list of names sorted by name. */
export interface ProbeCapabilities {
  inheritable: string[];
  permitted: string[];
  effective: string[];
  bounding: string[];
  ambient: string[];
}

/** One line of a uid_map or gid_map: ids containerId.. in the namespace are hostId.. in its parent's. */
export interface IdMapping {
  containerId: number;
  hostId: number;
  size: number;
}

/** A resource limit's name without RLIMIT_, in the kernel's order (native/engine-names.json). */
export type RlimitName = (typeof RLIMITS)[number];

/** A limit: a number, or "unlimited" for RLIM_INFINITY. */
export type RlimitValue = number | 'unlimited';

/** One descriptor of the child as observed after exec. */
export interface ObservedFd {
  fd: number;
  /** What it points at (readlink of /proc/PID/fd/N): a path, `pipe:[123]`, `/dev/pts/3`, `anon_inode:[eventfd]`; null when unknown (the probe in a chroot without /proc). */
  target: string | null;
  /** fstat identity, to match against the run result's `fds.sourceIds`; null when it could not be read. */
  dev: number | null;
  ino: number | null;
  cloexec: boolean;
  access: 'r' | 'w' | 'rw';
}

/**
 * The child's real descriptor table, observed once:
 * - source 'proc' (any program but the probe): read from /proc/PID/fd and /proc/PID/fdinfo
 *   as soon as possible after exec, pushed right after 'started'. A program may open, close
 *   and move its own descriptors after exec (the dynamic loader opens its libraries, a shell
 *   redirects), so this is a snapshot taken at `atMs`, not a record of what exec handed over;
 * - source 'probe' (a probe launch): the probe's own report, taken first thing after exec
 *   before it opened anything, pushed just before 'done'.
 * When there is no table to show (the child exited first, the program never ran, /proc
 * refused), `fds` is empty and `error` says why. No 'observed' update comes for a run that
 * started no child (pid null).
 */
export interface ObservedUpdate {
  runId: string;
  kind: 'observed';
  source: 'proc' | 'probe';
  /** Wall-clock ms (Date.now()) when the table was read (probe: when it wrote its report). */
  atMs: number;
  /** In fd order. */
  fds: ObservedFd[];
  error?: string;
}

/**
 * The full output of one captured stream, saved to a file as it arrives (the view keeps
 * only a tail). App-only: the library's RunResult does not carry it.
 */
export interface SavedOutput {
  /** The file on the lab's machine, for `less`; the app opens it by run id and key, never by this path. */
  path: string;
  /** Bytes in the file: a captured pipe's exactly as the child wrote them, a pty's as UTF-8 text; final in 'done'. */
  bytes: number;
  /** Why the file stopped growing (a full disk, ...): it holds only the first `bytes`. */
  error?: string;
}

/** The part of the run result that is settled as soon as the child is cloned. */
export type LaunchedRun = Pick<RunResult, 'plan' | 'trace' | 'execError' | 'fds'>;

/** Everything that happens to a run, pushed to every client as it happens. */
export type RunUpdate =
  | {
      runId: string;
      kind: 'started';
      profileName: string;
      probe: boolean;
      pid: number | null;
      atMs: number;
      /** What the clone did, known at once (before the run ends): the fd view shows it while the child runs. */
      launched?: LaunchedRun;
    }
  | {
      runId: string;
      kind: 'output';
      key: string;
      text: string;
      /**
       * Bytes of this stream that came before `text` and are not sent: a child writing
       * faster than anyone can read (over 1 Mi characters a second, past a first MiB) is
       * shown its latest output. Every byte is in the stream's saved output file.
       */
      skippedBytes?: number;
    }
  /** A stream's file was created (at its first output), or writing it failed. */
  | { runId: string; kind: 'saved-output'; key: string; saved: SavedOutput }
  | { runId: string; kind: 'event'; event: RunEvent }
  | ObservedUpdate
  | {
      runId: string;
      kind: 'done';
      result: RunResult;
      probeReport?: ProbeReport;
      /** With a probe report: the lab's own namespaces, to tell the child's new ones from the lab's. */
      labNamespaces?: NamespaceIds;
      /** Every stream that had output, by key, with its file complete. */
      savedOutput?: Record<string, SavedOutput>;
    };

/**
 * Which unsaved edit a kept draft holds: a saved profile's, by its file in the profiles
 * folder, or a new profile's (never saved), by the draft id the builder gave it (a UUID).
 */
export type DraftKey = { file: string } | { draftId: string };

/** An unsaved edit of the builder, for the lab to keep (issue 11: a reload or a restart loses nothing). */
export interface DraftSave {
  key: DraftKey;
  /** The revision of the profile's file the edit started from (a saved profile's draft). */
  baseRevision?: string;
  /** The profile as edited: what the builder holds, valid or not. */
  profile: Record<string, unknown>;
}

/** A draft as the lab keeps it: the last one written for its key. */
export interface KeptDraft extends DraftSave {
  /** When the lab wrote it (ms since the epoch). */
  savedAtMs: number;
}

/** One file in the lab's drafts folder. A file that cannot be read as a draft is listed with why, and skipped. */
export interface KeptDraftEntry {
  /** The file on the lab's machine. */
  path: string;
  draft?: KeptDraft;
  error?: string;
}

/**
 * How a run ended, as the lab keeps it in its run folder (run.json) for the runs panel
 * after a reload or a restart: small on purpose, its output is in the saved files.
 */
export interface RunSummary {
  runId: string;
  profileName: string;
  probe: boolean;
  /** When it was launched (ms since the epoch). */
  launchedAtMs: number;
  /** null: no child was created. */
  pid: number | null;
  /** The program after the PATH lookup. */
  path: string;
  status: WaitStatus | null;
  execError: ExecError | null;
  /** What explains the exec error (from the profile as launched). */
  execErrorContext?: ExecErrorContext;
  timedOut: boolean;
  /** The profile's timeout, when it had one. */
  timeoutMs?: number;
  timeoutKilled?: RunResult['timeoutKilled'];
  outputHeldOpen?: string[];
  outputHolders?: Record<string, { pid: number; comm: string }[]>;
  durationMs: number;
  /** Every stream that had output, by key, with its file. */
  savedOutput: Record<string, SavedOutput>;
}

/** One of the recent runs in the runs folder. */
export interface RecentRun extends RunSummary {
  /** Launched before the lab last started (a restart), not by the lab that answers now. */
  earlierSession: boolean;
}

/** A lesson file, read (or not, with why); `source` says whose: the lab's, or a teacher's from the lessons folder. */
export interface LessonEntry {
  file: string;
  source: 'lab' | 'teacher';
  lesson?: Lesson;
  error?: string;
  /** A teacher's lesson with the id of one of the lab's, which it replaces. */
  replaces?: boolean;
}

/** One lesson's progress, kept by the lab. */
export interface LessonProgress {
  /** When a check first passed. */
  passedAtMs?: number;
  checks: number;
  hintsShown: number;
}

export interface LessonsListed {
  lessons: LessonEntry[];
  /** The teacher's lessons folder could not be used: why. */
  folderProblem?: string;
  progress: Record<string, LessonProgress>;
  /** The progress could not be read: why (the lessons are listed all the same). */
  progressProblem?: string;
}

/** A lesson's check: each condition of its goal, judged, and how the launch went. */
export interface LessonCheck extends GoalVerdict {
  lessonId: string;
  /** Not checked at all, and why (a lesson for root, the lab not root). */
  notChecked?: string;
  status?: WaitStatus | null;
  execError?: ExecError | null;
  /** What the probe saw, when the lesson launches it. */
  report?: ProbeReport;
}

export type LessonCheckOutcome = { ok: true; check: LessonCheck; progress: LessonProgress } | { ok: false; message: string; problems?: Problem[] };

export const SIGNAL_BUTTONS = ['SIGTERM', 'SIGINT', 'SIGKILL', 'SIGSTOP', 'SIGCONT', 'SIGHUP'] as const;
export type SignalName = (typeof SIGNAL_BUTTONS)[number];

export interface LabApi {
  listProfiles(): Promise<ProfileEntry[]>;
  saveProfile(request: SaveRequest): Promise<SaveOutcome>;
  deleteProfile(file: string): Promise<ControlOutcome>;
  /** How each shipped example stands in the profiles folder, to ask before a restore. */
  examplesStatus(): Promise<ExampleStatus[]>;
  /**
   * Writes the missing examples again, and the changed ones in `overwrite` (each only while
   * its file is as the user saw it); an example as shipped is left alone.
   */
  restoreExamples(overwrite: ExampleOverwrite[]): Promise<ExamplesRestored>;
  /** Puts back what a restore changed, file by file, each only while it is as the restore left it. */
  undoRestoreExamples(undo: RestoreUndoStep[]): Promise<FileChangeOutcome[]>;
  validate(profile: unknown): Promise<Checked>;
  plan(profile: unknown): Promise<PlanOutcome>;
  /** What `proclab exec` would do with the profile: refused fields, notes, the helper's steps. */
  execPreview(profile: unknown): Promise<ExecPreview>;
  /**
   * Sandbox mode: plans a seed-style files list (host fd per child slot, -1 closed) against
   * a sketch of the host's open fds, without launching.
   */
  sandboxPlan(files: number[], hostFds: number[]): Promise<SandboxPlan>;
  /**
   * PATH lookup preview for the builder: where a program name resolves in this environment,
   * in which PATH, what was passed over, and (chroot: the new root, '' for none) whether the
   * path found exists inside the root the child will have.
   */
  lookPath(program: string, env: string[], inheritEnv: boolean, chroot: string): Promise<LookupView>;
  /** The launch as a program in `lang` (proclab export), with what it cannot express. */
  exportCode(profile: unknown, lang: ExportLang): Promise<ExportOutcome>;
  /** Builds and runs the export with the probe in the program's place, and compares with the lab's own launch. */
  verifyExport(profile: unknown, lang: ExportLang): Promise<VerifyExportOutcome>;
  launch(profile: unknown, options?: LaunchOptions): Promise<LaunchOutcome>;
  /** A live run's child and its descendants as /proc shows them now; null when it has ended. */
  inspect(runId: string): Promise<InspectedProcess | null>;
  /**
   * A new, unsaved profile from a shell command line, and what it could not carry over (a
   * line the profile cannot express comes back as `sh -c LINE`, with why).
   */
  importShell(line: string): Promise<ImportResult>;
  /** A new, unsaved profile from a running process's /proc; not ok when it is gone or not this user's to read. */
  importProcess(pid: number): Promise<ImportOutcome>;
  /** The processes importProcess can read, for the Import dialog's picker. */
  listProcesses(): Promise<ProcessEntry[]>;
  /**
   * To the child, its process group, or (SIGKILL only) its cgroup. With killAfterMs: SIGKILL
   * follows if the child (or group) is still there that long after.
   */
  signal(runId: string, signal: SignalName, scope: StopScope, killAfterMs?: number): Promise<ControlOutcome>;
  /** continue-with-signal: PTRACE_CONT delivering the signal the child is stopped by (continue drops it). */
  ptrace(runId: string, action: PtraceAction): Promise<ControlOutcome>;
  input(runId: string, data: string): Promise<ControlOutcome>;
  resize(runId: string, cols: number, rows: number): Promise<ControlOutcome>;
  /**
   * Desktop app only (the preload has it; browser mode offers a download instead, see
   * savedOutputDownloadPath): opens a stream's saved output with the OS, or shows it in
   * its folder. The file is named by run id and key; the lab knows its path.
   */
  openSavedOutput?(runId: string, key: string, action: SavedOutputAction): Promise<ControlOutcome>;
  /** Keeps an unsaved edit on the lab's side, over the one kept before for its key (the last write wins). */
  saveDraft(draft: DraftSave): Promise<ControlOutcome>;
  /** Every kept draft, to restore after a reload or a restart; unreadable files come with their error. */
  listDrafts(): Promise<KeptDraftEntry[]>;
  /** Forgets a kept draft (discarded, or its profile saved); one that is not there is no error. */
  discardDraft(key: DraftKey): Promise<ControlOutcome>;
  /** The runs in the runs folder that have ended (this session's and earlier ones'), newest first, at most as many as the runs folder keeps. */
  listRecentRuns(): Promise<RecentRun[]>;
  /** The keys of the lab's secret store (a profile's secrets[].fromStore names one); never the values. */
  listSecretKeys(): Promise<string[]>;
  /** Keeps a value under a key of the secret store, over the one kept before. */
  setSecret(key: string, value: string): Promise<ControlOutcome>;
  /** Forgets a key of the secret store; one that is not there is no error. */
  deleteSecret(key: string): Promise<ControlOutcome>;
  /** The lessons in course order, the lab's and the teacher's, with this user's progress. */
  listLessons(): Promise<LessonsListed>;
  /** Checks the profile against the lesson's goal (launching it as the lesson says), and keeps the outcome in the progress. */
  checkLesson(lessonId: string, profile: unknown): Promise<LessonCheckOutcome>;
  /** Shows the lesson's next hint: the progress with one more hint shown. */
  showLessonHint(lessonId: string): Promise<LessonProgress>;
  /** Live run updates; returns the unsubscribe function. */
  onRunUpdate(listener: (update: RunUpdate) => void): () => void;
  /** The profiles folder changed (a save, or someone else's edit on disk). */
  onProfilesChanged(listener: () => void): () => void;
}

/** The request methods, by name: the IPC channels are `lab:<method>`, the WebSocket `method` field the same. */
export const API_METHODS = [
  'listProfiles',
  'saveProfile',
  'deleteProfile',
  'examplesStatus',
  'restoreExamples',
  'undoRestoreExamples',
  'validate',
  'plan',
  'execPreview',
  'sandboxPlan',
  'lookPath',
  'exportCode',
  'verifyExport',
  'inspect',
  'importShell',
  'importProcess',
  'listProcesses',
  'launch',
  'signal',
  'ptrace',
  'input',
  'resize',
  'saveDraft',
  'listDrafts',
  'discardDraft',
  'listRecentRuns',
  'listSecretKeys',
  'setSecret',
  'deleteSecret',
  'listLessons',
  'checkLesson',
  'showLessonHint',
] as const satisfies readonly (keyof LabApi)[];
export type ApiMethod = (typeof API_METHODS)[number];

export type SavedOutputAction = 'open' | 'reveal';
/** The IPC channel of openSavedOutput (desktop only: not among API_METHODS, which both transports serve). */
export const IPC_OPEN_SAVED_OUTPUT = 'lab:openSavedOutput';
/**
 * Browser mode: where `proclab serve` sends a stream's saved output as a download (GET,
 * with the `?ticket=` of a savedOutputDownloadLink: never the session token).
 */
export const savedOutputDownloadPath = (runId: string, key: string): string =>
  `/saved-output/${encodeURIComponent(runId)}/${encodeURIComponent(key)}`;

/**
 * Browser mode's own requests, over the same WebSocket but answered by `proclab serve`
 * itself, not the service: links that carry a one-time ticket (good once, for a minute)
 * where a URL would otherwise need the session token. URLs are kept: in the address bar,
 * the browser's history, its list of downloads (issue 11).
 */
export interface BrowserSessionApi {
  /** `/?ticket=…`: opens the lab in another tab, which trades the ticket for the session at SESSION_PATH. */
  newTabLink(): Promise<string>;
  /** `/saved-output/<run id>/<key>?ticket=…`: that stream's saved output, downloaded once. */
  savedOutputDownloadLink(runId: string, key: string): Promise<string>;
}
export const BROWSER_SESSION_METHODS = ['newTabLink', 'savedOutputDownloadLink'] as const satisfies readonly (keyof BrowserSessionApi)[];
export type BrowserSessionMethod = (typeof BROWSER_SESSION_METHODS)[number];
export const isBrowserSessionMethod = (method: unknown): method is BrowserSessionMethod =>
  (BROWSER_SESSION_METHODS as readonly unknown[]).includes(method);
/** The query parameter that carries a one-time ticket in a link. */
export const TICKET_PARAM = 'ticket';
/**
 * Where a tab opened from a newTabLink trades its ticket for the session token: POST, the
 * ticket in the SESSION_TICKET_HEADER header, the answer `{"token": "…"}`.
 */
export const SESSION_PATH = '/session';
export const SESSION_TICKET_HEADER = 'Proclab-Ticket';

/** Push channels (IPC) and `event` names (WebSocket). */
export const PUSH_RUN_UPDATE = 'lab:run-update';
export const PUSH_PROFILES_CHANGED = 'lab:profiles-changed';
export const ipcChannel = (method: ApiMethod): string => `lab:${method}`;

/**
 * The WebSocket protocol of browser mode, at `/api?token=TOKEN`. A message that cannot be
 * read as a request (not JSON, no integer id) is answered with an error under id -1.
 */
export type ClientMessage = { id: number; method: ApiMethod | BrowserSessionMethod; params: unknown[] };
export type ServerMessage =
  | { id: number; result: unknown }
  | { id: number; error: { message: string } }
  | { event: 'run-update'; update: RunUpdate }
  | { event: 'profiles-changed' };
