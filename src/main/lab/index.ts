// The library: require('proclab'). Plain Node.js, no Electron; never blocks the event
// loop while a child runs (README, "The library").
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { CloneCall, ExportVerification } from '../../shared/api';
import { exportCode, type ExportedCode, type ExportLang } from '../../shared/export/index';
import { showBytes } from '../../shared/bytes';
import type { NormalizedProfile } from '../../shared/profile';
import type { Problem } from '../../shared/problems';
import type { PlanOp, RunEvent } from '../../shared/result';
import { execMode } from '../../shared/exec-mode';
import { checkProfile } from '../../shared/validate';
import { engine, nativeBuildDir } from './engine';
import { replaceProcess } from './exec';
import { hostFacts } from './host';
import { lookPath } from './lookup';
import { launchSpec } from './prepared-spec';
import { releaseAtExecStop } from './ptrace-stops';
import { shown, toNative } from './native-bytes';
import { execError } from './run-result';
import { standInLabStdio, type StandIns } from './lab-stdio';
import { Run, type LaunchHandlers } from './run';
import { secretEnv } from './secret-env';
import { launchEnvironment, nativeSpec } from './spec';

export { Run } from './run';
export { sandboxPlan } from './sandbox';
export { importProcess } from './import/import-process';
export { listProcesses } from './import/list-processes';
export type { ImportOutcome, ImportResult, ProcessEntry } from '../../shared/import';
import type { ImportResult } from '../../shared/import';
export type { ExportVerification, SandboxPlan } from '../../shared/api';
export { EXPORT_LANGS, gapLine, type ExportedCode, type ExportGap, type ExportLang } from '../../shared/export/index';
export type { ControlOutcome, LaunchHandlers } from './run';
export type * from '../../shared/result';
export type { Profile, NormalizedProfile } from '../../shared/profile';
export type { Problem } from '../../shared/problems';

export class InvalidProfileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`invalid profile:\n${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n')}`);
  }
}

export function validate(profile: unknown): { errors: Problem[]; warnings: Problem[] } {
  const { errors, warnings } = checkProfile(profile, hostFacts());
  return { errors, warnings };
}

// The entries of the profile's secrets; a secret that cannot be had refuses the launch at its field.
function secretEntries(p: NormalizedProfile, handlers: LaunchHandlers): string[] {
  const secrets = secretEnv(p, handlers.secretValues);
  if (!secrets.ok) throw new InvalidProfileError(secrets.problems);
  return secrets.entries;
}

// Plan and launch need only the errors, not the teaching warnings.
function checked(profile: unknown): NormalizedProfile {
  const check = checkProfile(profile, hostFacts(), { warnings: false });
  if (!check.profile) throw new InvalidProfileError(check.errors);
  return check.profile;
}

// The schema's first parse is its slowest by far (zod builds what it checks each object
// with on first use: about 3 ms here, against 10-14 µs after): done when the library
// loads, so that a first launch does not wait for it (issue 17's cold start; the sandbox's
// smallest profile did it before, as a side effect). Every command of the CLI parses a
// profile next anyway.
checked({ version: 1, name: 'warm-up', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }] });

// The native engine too: loading an addon (Node's dlopen, and the engine starting its
// threads) took 2-3 ms of the first launch (issue 17's cold start). Without a built engine
// the library still loads; the first call that needs it says how to build it.
try {
  engine();
} catch {
  // engine() throws the same again, with the fix, where it is needed.
}

export interface LaunchPlan {
  // The program as it will be exec'd (after the PATH lookup), or null when not found.
  path: string | null;
  plan: PlanOp[];
  // How the child is created (clone, clone3), and why when not as the method asks.
  clone: CloneCall;
  // With a cgroup: the controllers it has (its cgroup.controllers), so what it can limit
  // here; null when that could not be read (not a cgroup v2 directory, or not there).
  cgroupControllers?: string[] | null;
  // The host descriptor each child slot will come from (-1: closed), predicted from the
  // descriptors this process has open now, and the status pipe's write end.
  slotFds: number[];
  statusFd: number;
  // When the seed's exact algorithm would destroy a source (golang/go#61751): its plan.
  seedPlan?: PlanOp[];
}

function cgroupControllers(dir: string): string[] | null {
  try {
    return readFileSync(path.join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    return null;
  }
}

// The child's steps without launching. Throws InvalidProfileError on an invalid profile.
export function plan(profile: unknown): LaunchPlan {
  const p = checked(profile);
  // Secrets count, their values do not: a plan shows envp's size only.
  const envp = launchEnvironment(p, p.secrets.map((secret) => `${secret.name}=`));
  const found = lookPath(toNative(p.path), envp);
  const spec = nativeSpec(p, found.ok ? found.path : toNative(p.path), envp);
  const corrected = engine().plan(spec, undefined, 0, false);
  const seed = engine().plan(spec, corrected.slotFds, corrected.statusFd, true);
  const result: LaunchPlan = {
    path: found.ok ? shown(found.path) : null,
    plan: corrected.plan,
    clone: corrected.clone,
    slotFds: corrected.slotFds,
    statusFd: corrected.statusFd,
  };
  if (seed.plan.some((op) => op.clobbers)) result.seedPlan = seed.plan;
  if (p.sys.cgroup) result.cgroupControllers = cgroupControllers(p.sys.cgroup);
  return result;
}

// Launches a profile. Throws InvalidProfileError on an invalid profile (nothing is
// started); every failure of the launch itself is in the result.
export function launch(profile: unknown, handlers: LaunchHandlers = {}): Run {
  const p = checked(profile);
  const envp = launchEnvironment(p, secretEntries(p, handlers));
  const found = lookPath(toNative(p.path), envp);
  if (!found.ok) {
    return Run.failed(p, showBytes(p.path), { execError: { ...execError('lookup', 2), message: 'executable file not found in $PATH' } });
  }
  const [launched, standIns] = withStandIns(p, handlers);
  const run = new Run(launched, shown(found.path), handlers);
  if (standIns) run.useStandIns(standIns);
  run.start(launchSpec(launched, found.path, envp));
  return run;
}

/** With labStdioPanes, the profile as launched: its inherited lab fd 1 and 2 replaced by stand-ins (lab-stdio.ts). */
function withStandIns(p: NormalizedProfile, handlers: LaunchHandlers): [NormalizedProfile, StandIns | null] {
  const standIns = handlers.labStdioPanes ? standInLabStdio(p.files) : null;
  return standIns ? [{ ...p, files: standIns.files }, standIns] : [p, null];
}

/**
 * The seed's Exec: replaces this process (same pid) with the profile's program, after its
 * setup, taken by the engine's helper with the same planner and child code as a launch. It
 * never returns: the program runs in its place, or a failed step is printed on stderr
 * ("exec error at step chdir: ENOENT (No such file or directory)") and the process exits
 * with 253. Throws InvalidProfileError, before anything runs, for an invalid profile and
 * for fields exec cannot honour (shared/exec-mode.ts: pty, timeoutMs, ptrace...).
 */
export function exec(profile: unknown, options: Pick<LaunchHandlers, 'secretValues'> = {}): never {
  const p = checked(profile);
  const mode = execMode(p);
  if (mode.errors.length) throw new InvalidProfileError(mode.errors);
  return replaceProcess({ ...p, files: mode.files }, launchEnvironment(p, secretEntries(p, options)), mode.notes);
}

/**
 * What exec() would do with the profile, without doing it: exec's notes (shared/exec-mode.ts)
 * and the steps its helper will take, planned against this process's descriptors as plan()
 * does. Throws InvalidProfileError as exec() does.
 */
export function execPlan(profile: unknown): { notes: Problem[]; plan: PlanOp[]; clones: boolean } {
  const p = checked(profile);
  const mode = execMode(p);
  if (mode.errors.length) throw new InvalidProfileError(mode.errors);
  return { notes: mode.notes, plan: plan({ ...p, files: mode.files }).plan, clones: p.sys.cloneflags.length > 0 };
}

// The fd where a probe launch's probe finds its report memfd (the probe leaves it out of
// the table it reports). Any number past the slots will do: it is put in place after the
// fd passes and the close-on-exec sweep.
const PROBE_REPORT_FD_PAST_SLOTS = 64;

/**
 * Launches the probe in the profile's program's place, with everything else the same (its
 * files, ids, root, ...): it is run through a descriptor opened before the clone (execveat,
 * so it runs inside any chroot, where its path may not exist) and reports on a memfd the
 * lab reads (Run.probeReport), never through a file in a shared folder (issue 10).
 */
export function launchProbe(profile: unknown, handlers: LaunchHandlers = {}): Run {
  const p = checked(profile);
  const reportFd = p.files.length + PROBE_REPORT_FD_PAST_SLOTS;
  const [launched, standIns] = withStandIns(p, handlers);
  const probe = { ...launched, path: probePath(), args: ['proclab_probe', '--report-fd', String(reportFd)] };
  const run = new Run(probe, probe.path, handlers);
  if (standIns) run.useStandIns(standIns);
  const spec = { ...nativeSpec(probe, probe.path, launchEnvironment(p, secretEntries(p, handlers))), execByFd: true, reportFd };
  run.start({ spec, prepared: null });
  return run;
}

// The probe: a static program that prints, as JSON, the process state it received.
export function probePath(): string {
  return path.join(nativeBuildDir(), 'proclab_probe');
}

/**
 * The launch as a program in `lang` (go, go-syscall, python, node, rust, c, shell), and
 * what that language cannot express (also a comment in the code). Throws InvalidProfileError.
 */
export function exportProfile(profile: unknown, lang: ExportLang): ExportedCode {
  return exportCode(checked(profile), lang);
}

/**
 * Builds the export where its toolchain exists (Go's build cache: `goCache`, or Go's
 * default), runs it with the probe in the program's place, launches the same profile with
 * the lab, and compares what the two children got. Throws InvalidProfileError.
 */
export function verifyExport(profile: unknown, lang: ExportLang, options: { goCache?: string } = {}): Promise<ExportVerification> {
  const launchAndWait = async (p: NormalizedProfile) => {
    let answerStop: ((event: RunEvent) => void) | undefined;
    const run = launch(p, { onEvent: (event) => answerStop?.(event) });
    // Traced: let go of it at its exec stop, as `proclab run` does (events come after launch() returns).
    if (p.sys.ptrace) answerStop = releaseAtExecStop(run);
    const result = await run.result;
    return { status: result.status, output: result.output };
  };
  const p = checked(profile);
  // The builder and runner of exports (and bash's grammar below) load when first used:
  // require('proclab') and every command stay quick without them (issue 17).
  return import('./export-verify').then(({ verifyExport: verify }) => verify(p, lang, { ...options, probe: probePath(), launchAndWait }));
}

/** A profile from a shell command line, read with bash's grammar (web-tree-sitter, loaded on first use). */
export async function importShell(line: string): Promise<ImportResult> {
  return (await import('./import/import-shell')).importShell(line);
}
