// A launch in flight: its pid once cloned, live output and events, signals and ptrace
// requests, and the run result once the child is reaped and its output drained.
import { readlinkSync, closeSync, fstatSync, readSync } from 'node:fs';

import type { ControlOutcome } from '../../shared/api';
import { describeErrno, errnoByCode } from '../../shared/errno';
import type { StopScope } from '../../shared/fields';
import type { NormalizedProfile } from '../../shared/profile';
import type { RunEvent, RunResult } from '../../shared/result';
import { signalByName } from '../../shared/signals';
import { ASK_AFTER_START, SHARES_LAB_GROUP, STATUS_LOST } from '../../shared/engine-names';
import { engine, type ControlKind, type NativeMessage, type NativeSpec } from './engine';
import { killCgroup } from './cgroup-kill';
import { withCause } from './exec-cause';
import { processesHolding } from './inspect';
import { attachIo, type RunIo } from './output';
import { type StandIns } from './lab-stdio';
import { toNative } from './native-bytes';
import type { LaunchSpec } from './prepared-spec';
import { copyPlan, parentError, round, runEvent, setupSeenAtExit, spawnError, traceEntries, waitStatus, withDeath } from './run-result';

export interface LaunchHandlers {
  onOutput?(key: string, text: string): void;
  onEvent?(event: RunEvent): void;
  /**
   * For each captured pipe as it is attached: a file descriptor open for writing (the run
   * takes it over and closes it) that receives the stream's bytes exactly as read, before
   * any decoding, or undefined for none. Not for a pseudo-terminal (its text comes through
   * onOutput). onOutputSaved(key, errno) follows at the stream's end: 0, or why the writing
   * stopped (the file then holds what was written whole).
   */
  saveOutput?(key: string): number | undefined;
  onOutputSaved?(key: string, errno: number): void;
  /** A pty's size from its start, so that a program that asks at once sees it (24x80 without). */
  terminalSize?: { cols: number; rows: number };
  /** The lab's secret store (secret-store.ts), for the profile's `secrets[].fromStore`. */
  secretValues?: Readonly<Record<string, string>>;
  /** Show what the child writes to the lab's own fd 1 and 2 as outputs "lab-1" and "lab-2" (lab-stdio.ts). */
  labStdioPanes?: boolean;
}

export interface ProbeReportText {
  text: string;
  writtenAtMs: number;
}

export type { ControlOutcome } from '../../shared/api';

// Descendants may keep an output pipe open after the child exits (a daemonising child,
// `sleep &`); the run ends this long after the exit whatever they do, unless the profile's
// waitDelayMs says otherwise.
const DRAIN_AFTER_EXIT_MS = 500;

const ESRCH = errnoByCode('ESRCH')!.number;
const SIGKILL = signalByName('SIGKILL')!.number;

// Characters of output per stream that a result keeps (onOutput still sees all of it).
export const OUTPUT_KEPT = 64 * 1024 * 1024;

export class Run {
  pid: number | null = null;
  readonly result: Promise<RunResult>;
  // Resolves once the clone is done (with the pid, or null when nothing was started).
  readonly started: Promise<number | null>;

  private runId = 0;
  private io: RunIo | null = null;
  private finished = false;
  private nextRequest = 1;
  private readonly pending = new Map<number, (o: ControlOutcome) => void>();
  private readonly retryAfterStart = new Map<number, () => void>();
  private readonly partial: RunResult;
  // Output kept for the result, per key, until the run finishes.
  private readonly kept = new Map<string, { chunks: string[]; length: number }>();
  private timer: NodeJS.Timeout | undefined;
  // The child has been reaped (its output may still be draining).
  private reaped = false;
  // The process group the child was put in (setsid, setpgid, foreground), or null: the lab's own.
  private groupId: number | null = null;
  private spec: NativeSpec | undefined;
  private spawned: Extract<NativeMessage, { type: 'spawned'; parentFailure?: undefined }> | undefined;
  private resolveStarted!: (pid: number | null) => void;
  private resolveResult!: (r: RunResult) => void;

  constructor(
    private readonly profile: NormalizedProfile,
    programPath: string,
    private readonly handlers: LaunchHandlers,
  ) {
    this.partial = {
      version: 1,
      pid: null,
      path: programPath,
      plan: [],
      trace: [],
      execError: null,
      events: [],
      status: null,
      rusage: null,
      output: {},
      timedOut: false,
      durationMs: 0,
    };
    this.started = new Promise((resolve) => (this.resolveStarted = resolve));
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
  }

  /**
   * What a probe launch's probe wrote to its report memfd (launchProbe), and when it was
   * last written; undefined when it wrote nothing (it never ran) or this is no probe launch.
   * Settled with the result.
   */
  probeReport: ProbeReportText | undefined = undefined;

  /** The result is settled: the child has been reaped (or never started). */
  get ended(): boolean {
    return this.finished;
  }

  // For launch(): a run that ended before any clone (the program was not found).
  /** Stand-ins for the lab's fd 1 and 2 (lab-stdio.ts), set before start: read with the child's pipes. */
  private standIns: StandIns | null = null;

  useStandIns(standIns: StandIns): void {
    this.standIns = standIns;
  }

  /** The clone is done (or failed): the lab's copies of the stand-ins' write ends go, so that their reads end with the child's. */
  private closeStandInWriteEnds(failed: boolean): void {
    if (!this.standIns) return;
    const ends = failed ? [...this.standIns.writeEnds, ...this.standIns.outputs.map((o) => o.fd)] : this.standIns.writeEnds;
    for (const fd of ends) closeSync(fd);
    if (failed) this.standIns = null;
  }

  static failed(profile: NormalizedProfile, programPath: string, partial: Partial<RunResult>): Run {
    const run = new Run(profile, programPath, {});
    Object.assign(run.partial, partial);
    run.resolveStarted(null);
    run.finish();
    return run;
  }

  // What the clone did: the plan, the child's trace, why the program never ran (null: it
  // was exec'd) and the descriptors handed over. Settled once `started` resolves.
  get launched(): Pick<RunResult, 'plan' | 'trace' | 'execError' | 'fds'> {
    const { plan, trace, execError, fds } = this.partial;
    return fds ? { plan, trace, execError, fds } : { plan, trace, execError };
  }

  start({ spec, prepared }: LaunchSpec): void {
    const size = this.handlers.terminalSize;
    if (size) spec = { ...spec, files: spec.files.map((f) => (f.type === 'pty' ? { ...f, ...size } : f)) };
    this.spec = spec;
    this.runId = engine().launch(size ? spec : (prepared ?? spec), (m) => this.onMessage(m));
    // From launch(), not from the clone: a launch still opening a FIFO, or a child stopped
    // before its execve, is cut by its timeout too.
    if (this.profile.timeoutMs !== undefined) {
      this.timer = setTimeout(() => void this.timeOut(), this.profile.timeoutMs);
    }
  }

  // SIGKILL to what the profile's stopScope names; what a tree kill reached is kept.
  private async timeOut(): Promise<void> {
    this.partial.timedOut = true;
    const scope = this.profile.stopScope;
    if (scope === 'child') return void (await this.signalScope(scope, 'SIGKILL'));
    // Said before the kill: a kill that works may end the run before it is answered.
    const target = scope === 'cgroup' ? `cgroup ${this.profile.sys.cgroup}` : `process group ${this.groupId ?? '(not started)'}`;
    const killed = (this.partial.timeoutKilled = { scope, target } as NonNullable<RunResult['timeoutKilled']>);
    const sent = await this.signalScope(scope, 'SIGKILL');
    if (!sent.ok) killed.error = sent.message ?? sent.code ?? 'failed';
  }

  // Signals the child; with group, its whole process group; with cgroup (SIGKILL only),
  // every process in its cgroup. With escalateAfterMs, a child (or group) still there that
  // long after the signal gets SIGKILL: for children that ignore or catch SIGTERM and never end.
  async kill(signal: string | number = 'SIGTERM', options: { group?: boolean; cgroup?: boolean; escalateAfterMs?: number } = {}): Promise<ControlOutcome> {
    const scope: StopScope = options.cgroup ? 'cgroup' : options.group ? 'group' : 'child';
    const sent = await this.signalScope(scope, signal);
    if (sent.ok && options.escalateAfterMs !== undefined) {
      const escalation = setTimeout(() => void this.signalScope(scope, 'SIGKILL'), options.escalateAfterMs);
      void this.result.then(() => clearTimeout(escalation));
    }
    return sent;
  }

  private async signalScope(scope: StopScope, signal: string | number): Promise<ControlOutcome> {
    if (scope === 'cgroup') return this.killCgroup(signal);
    // Reaped, its output still draining: what it started in its group may live on, and the
    // group with it (a pgid is not reused while a member has it).
    if (scope === 'group' && this.reaped && !this.finished) return this.signalLeftGroup(signal);
    return this.control(scope === 'group' ? 'signal-group' : 'signal', signal);
  }

  private async killCgroup(signal: string | number): Promise<ControlOutcome> {
    const number = typeof signal === 'number' ? signal : signalByName(signal)?.number;
    if (number !== SIGKILL) return { ok: false, code: 'EINVAL', message: 'cgroup.kill sends SIGKILL only' };
    const cgroup = this.profile.sys.cgroup;
    if (!cgroup) return { ok: false, code: 'EINVAL', message: 'this run has no cgroup of its own (sys.cgroup)' };
    if (this.finished) return outcome(ESRCH);
    const killed = await killCgroup(cgroup);
    // The child too: one still opening its files is in no cgroup yet, and is cancelled.
    // Not waited for when the cgroup is killed: a reaped child's answer comes at the run's end.
    const child = this.control('signal', SIGKILL);
    if (killed.ok) return killed;
    return (await child).ok ? { ...killed, message: `${killed.message}; the child alone was killed` } : killed;
  }

  private signalLeftGroup(signal: string | number): ControlOutcome {
    if (this.groupId === null) return outcome(SHARES_LAB_GROUP);
    try {
      process.kill(-this.groupId, signal);
      return { ok: true };
    } catch (error) {
      const info = errnoByCode((error as NodeJS.ErrnoException).code ?? '');
      return info ? outcome(info.number) : { ok: false, message: String(error) };
    }
  }

  // For a ptrace-stopped child: resume it (delivering signal, default none), or detach.
  /** The signal the child is stopped by now (its last event a stop), or null when it is not stopped. */
  stoppedBy(): number | null {
    const last = this.partial.events.at(-1);
    return last?.kind === 'stopped' ? last.number : null;
  }

  continue(signal: string | number = 0): Promise<ControlOutcome> {
    return this.control('ptrace-cont', signal);
  }

  detach(signal: string | number = 0): Promise<ControlOutcome> {
    return this.control('ptrace-detach', signal);
  }

  // Input for the pseudo-terminal, bytes unchanged; `written` is called once it has gone to
  // the kernel (or could not). A pipe on fd 0 carries the profile's `stdin`, then EOF, unless
  // input was written before the run started (an empty one will do): then that input
  // follows `stdin`, and the pipe stays open for more until write(null). Input written
  // before the start is kept until the terminal or pipe is attached. false when the run
  // takes no input (no terminal, no pipe on fd 0 left open) or no more.
  write(data: string | Uint8Array | null, written?: () => void): boolean {
    if (this.io) return data === null ? this.io.closeInput() : this.io.write(data, written);
    const takesInput = this.profile.files.some((f) => f.type === 'pty') || this.profile.files[0]?.type === 'pipe';
    if (!takesInput || this.pid !== null || this.finished) return false;
    this.beforeStart.input.push({ data, written });
    return true;
  }

  // The terminal's size in characters; asked before the run has started, the last size
  // asked is set as soon as the terminal is attached.
  resize(cols: number, rows: number): ControlOutcome {
    if (!this.io && this.pid === null && !this.finished && this.profile.files.some((f) => f.type === 'pty')) {
      this.beforeStart.size = { cols, rows };
      return { ok: true };
    }
    const fd = this.io?.ptyFd;
    if (fd == null) return { ok: false, message: 'this run has no pseudo-terminal' };
    return outcome(engine().setWindowSize(fd, cols, rows));
  }

  // What write() and resize() were asked before the run's streams were attached.
  private readonly beforeStart: {
    input: { data: string | Uint8Array | null; written?: () => void }[];
    size?: { cols: number; rows: number };
  } = { input: [] };

  // Right after attachIo: the size first, so that the input already finds the terminal at
  // its size; then the input, which keeps a pipe on fd 0 open (attachIo closes it after
  // `stdin` in the next tick otherwise).
  private flushQueuedInput(): void {
    const io = this.io!;
    const { input, size } = this.beforeStart;
    this.beforeStart.input = [];
    if (size && io.ptyFd !== null) engine().setWindowSize(io.ptyFd, size.cols, size.rows);
    if (input.length > 0) io.keepInputOpen();
    for (const { data, written } of input) {
      const accepted = data === null ? io.closeInput() : io.write(data, written);
      if (!accepted) written?.();
    }
  }

  private control(kind: ControlKind, signal: string | number): Promise<ControlOutcome> {
    const number = typeof signal === 'number' ? signal : signalByName(signal)?.number;
    if (number === undefined) return Promise.resolve({ ok: false, message: `unknown signal ${signal}` });
    if (this.finished) return Promise.resolve(outcome(ESRCH));
    const requestId = this.nextRequest++;
    const send = (): void => {
      const now = engine().control(this.runId, kind, number, requestId);
      if (now !== undefined) this.answer(requestId, now);
    };
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      // At once, whatever the run is doing: queued, opening its files, being cloned,
      // stopped before its execve (issue 10). A child whose start is on its way here is
      // signalled from here once it has arrived (ASK_AFTER_START).
      this.retryAfterStart.set(requestId, () => this.started.then((pid) => (pid === null ? this.answer(requestId, ESRCH) : send())));
      send();
    });
  }

  private answer(requestId: number, errno: number): void {
    const retry = this.retryAfterStart.get(requestId);
    this.retryAfterStart.delete(requestId);
    if (errno === ASK_AFTER_START && retry) return retry();
    this.pending.get(requestId)?.(outcome(errno));
    this.pending.delete(requestId);
  }

  private onMessage(m: NativeMessage): void {
    switch (m.type) {
      case 'spawned':
        this.closeStandInWriteEnds(Boolean(m.parentFailure));
        if (m.parentFailure) {
          this.partial.execError = parentError(m.parentFailure, this.partial.timedOut);
          this.partial.durationMs = round(m.atMs);
          this.resolveStarted(null);
          this.finish();
          return;
        }
        this.pid = this.partial.pid = m.pid;
        this.groupId = groupOf(this.profile.sys, m.pid);
        this.spawned = m;
        this.partial.plan = copyPlan(m.plan);
        this.partial.trace = traceEntries(m);
        this.partial.execError = withCause(spawnError(m), this.profile, this.spec!);
        this.partial.fds = { slotFds: m.slotFds, statusFd: m.statusFd, sourceIds: m.sourceIds, statusId: m.statusId };
        // Nothing to read or write (every slot a file, /dev/null or inherited): no streams.
        const standInOutputs = this.standIns?.outputs ?? [];
        if (m.parentEnds.length > 0 || standInOutputs.length > 0) {
          const { saveOutput, onOutputSaved } = this.handlers;
          const saving = saveOutput && { open: saveOutput, ended: (key: string, errno: number) => onOutputSaved?.(key, errno) };
          this.io = attachIo(
            m.parentEnds,
            this.profile.stdin === undefined ? undefined : toNative(this.profile.stdin),
            (key, text) => {
              this.keepOutput(key, text);
              this.handlers.onOutput?.(key, text);
            },
            saving,
            standInOutputs,
          );
          this.flushQueuedInput();
        }
        for (const end of m.parentEnds) this.partial.output[end.role === 'pty' ? 'pty' : String(end.slot)] ??= '';
        for (const { key } of standInOutputs) this.partial.output[key] ??= '';
        this.resolveStarted(m.pid);
        return;
      case 'event': {
        const event = runEvent(m);
        this.partial.events.push(event);
        this.handlers.onEvent?.(event);
        return;
      }
      case 'control':
        this.answer(m.requestId, m.errno);
        return;
      case 'exited':
        clearTimeout(this.timer);
        this.reaped = true;
        if (m.waitStatus !== STATUS_LOST) {
          this.partial.status = waitStatus(m.waitStatus);
          this.partial.rusage = { userMs: round(m.userMs), systemMs: round(m.systemMs), maxRssKb: m.maxRssKb };
        }
        if (this.spawned) {
          this.partial.execError = setupSeenAtExit(this.spawned, m.execSeen, this.partial.trace, m.waitStatus === STATUS_LOST) ?? this.partial.execError;
          if (this.partial.execError) this.partial.execError = withDeath(this.partial.execError, this.partial.status);
        }
        this.partial.durationMs = round(m.atMs);
        if (this.io) void this.drainThenFinish();
        else this.finish();  // no stream to drain: no drain timer either
    }
  }

  // The result keeps the last OUTPUT_KEPT characters of each stream, at least (a child
  // may write gigabytes: a JS string stops at about 512 Mi characters); what it dropped is
  // counted. Chunks are held as they came and put together once, at the end: cutting one long
  // string every time it grew would copy it again and again.
  private keepOutput(key: string, text: string): void {
    if (text === '') return;
    let kept = this.kept.get(key);
    if (!kept) this.kept.set(key, (kept = { chunks: [], length: 0 }));
    kept.chunks.push(text);
    kept.length += text.length;
    if (kept.length <= 2 * OUTPUT_KEPT) return;
    // Whole chunks off the front while what is left still holds OUTPUT_KEPT; a chunk that
    // reaches into the kept tail is cut.
    let dropped = 0;
    while (kept.length - kept.chunks[0]!.length >= OUTPUT_KEPT) {
      dropped += kept.chunks[0]!.length;
      kept.length -= kept.chunks.shift()!.length;
    }
    if (kept.length > 2 * OUTPUT_KEPT) {
      const cut = kept.length - OUTPUT_KEPT;
      kept.chunks[0] = kept.chunks[0]!.slice(cut);
      kept.length -= cut;
      dropped += cut;
    }
    this.partial.outputDropped ??= {};
    this.partial.outputDropped[key] = (this.partial.outputDropped[key] ?? 0) + dropped;
  }

  private async drainThenFinish(): Promise<void> {
    const io = this.io!;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.profile.waitDelayMs ?? DRAIN_AFTER_EXIT_MS)));
    await Promise.race([io.drained, late]);
    clearTimeout(timer);
    // The child is gone but something it started still holds the write end (a daemon, a
    // backgrounded job): the seed's warning about inherited pipe ends, seen from the lab.
    const held = io.stillOpen();
    if (held.length) {
      this.partial.outputHeldOpen = held;
      this.partial.outputHolders = Object.fromEntries(held.map((key) => [key, this.holdersOf(key)]));
    }
    await io.close();
    this.finish();
  }

  /** Who holds a stream still open: a pipe end shares its /proc link ("pipe:[ino]") with the lab's; a pty, its slave's path. */
  private holdersOf(key: string): { pid: number; comm: string }[] {
    const m = this.spawned;
    if (!m) return [];
    if (key === 'pty') return m.ptyName ? processesHolding(m.ptyName) : [];
    const end = m.parentEnds.find((e) => e.role === 'output' && String(e.slot) === key);
    if (!end) return [];
    try {
      return processesHolding(readlinkSync(`/proc/self/fd/${end.fd}`));
    } catch {
      return [];
    }
  }

  private finish(): void {
    clearTimeout(this.timer);
    if (this.spawned && this.spawned.reportFd >= 0) this.probeReport = readReport(this.spawned.reportFd);
    // Concatenated, not joined: V8 links the pieces (a cons string) instead of copying up
    // to 128 Mi characters once more; the first read that needs it flat flattens it.
    for (const [key, { chunks }] of this.kept) this.partial.output[key] = chunks.reduce((all, text) => all + text, '');
    this.kept.clear();
    this.finished = true;
    for (const id of [...this.pending.keys()]) this.answer(id, ESRCH);  // the child is gone
    this.resolveResult(this.partial);
  }
}

// The probe's report from its memfd (the lab's own descriptor of it, read from the start),
// which is closed after.
function readReport(fd: number): ProbeReportText | undefined {
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (size === 0) return undefined;
    const bytes = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, bytes, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: bytes.subarray(0, got).toString('utf8'), writtenAtMs: Math.round(mtimeMs) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

// The process group setsid, setpgid or foreground put the child in (pgid 0: its own).
function groupOf(sys: NormalizedProfile['sys'], pid: number): number | null {
  if (sys.setpgid || sys.foreground) return sys.pgid || pid;
  return sys.setsid ? pid : null;
}

function outcome(errno: number): ControlOutcome {
  if (errno === 0) return { ok: true };
  if (errno === SHARES_LAB_GROUP) {
    return { ok: false, code: 'EPERM', message: "the child is in the lab's own process group; use setpgid or setsid" };
  }
  const { code, message } = describeErrno(errno);
  return { ok: false, code, message };
}
