// proclab exec and the library's exec(): this process becomes the program, keeping its pid
// (the seed's Exec). Node is multi-threaded, and some steps cannot be taken by one thread
// of many (unshare of a user namespace, setuid by syscall, setsid): so the process execs the
// engine's static single-threaded helper (native/exec/exec-helper.cc), which plans and runs
// the steps with the engine's own planner and child code and ends in the program's execve.
import { writeSync } from 'node:fs';
import path from 'node:path';

import { describeErrno, errnoByCode } from '../../shared/errno';
import { formatProblem, type Problem } from '../../shared/problems';
import type { NormalizedProfile } from '../../shared/profile';
import { engine, nativeBuildDir, type NativeSpec } from './engine';
import { childViewOf, predictCause } from './exec-cause';
import { lookPath } from './lookup';
import { toNative, type NativeBytes } from './native-bytes';
import { nativeSpec } from './spec';

// The seed's childerror status: a step failed and the program never ran.
export const STEP_FAILED = 253;

export function execHelperPath(): string {
  return path.join(nativeBuildDir(), 'proclab_exec');
}

// Straight to fd 2: no stream of Node's (which may make it non-blocking) before the exec.
const sayLine = (line: string) => writeSync(2, `${line}\n`);

/**
 * Replaces this process (same pid) with the program after the profile's setup. The profile
 * is checked and adapted for exec already (shared/exec-mode.ts); notes are said first.
 * Returns only by throwing, when the helper itself could not be run.
 */
export function replaceProcess(profile: NormalizedProfile, envp: NativeBytes[], notes: readonly Problem[]): never {
  for (const note of notes) sayLine(`note: ${formatProblem(note)}`);
  const found = lookPath(toNative(profile.path), envp);
  if (!found.ok) {
    // As the helper reports a failed step, and with the status it would end with.
    sayLine('exec error at step lookup: ENOENT (executable file not found in $PATH)');
    process.exit(STEP_FAILED);
  }
  const spec = nativeSpec(profile, found.path, envp);
  const specFd = engine().specFd(spec);
  const inherited = profile.files.flatMap((file) => (file.type === 'inherit' ? [file.fd] : []));
  const keep = [0, 1, 2, specFd, ...inherited];
  const helper = execHelperPath();
  const err = engine().execHelper(helper, ['proclab_exec', '--spec-fd', String(specFd), ...foreseenCause(profile, spec)], [], keep);
  const { code, message } = describeErrno(err);
  throw new Error(`cannot run the exec helper ${helper}: ${code} (${message}); run npm run build:native`);
}

// After the exec nothing of the lab is left to look at a failed execve, as a launch does
// (exec-cause.ts): the same checks, made now against the child's view, go to the helper,
// which says them if the execve fails with the errno they foresee.
function foreseenCause(profile: NormalizedProfile, spec: NativeSpec): string[] {
  const foreseen = predictCause(childViewOf(profile, spec));
  const errno = foreseen && errnoByCode(foreseen.errno);
  return foreseen && errno ? ['--execve-cause', String(errno.number), foreseen.cause.code, foreseen.cause.text] : [];
}
