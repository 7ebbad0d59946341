// The native engine (native/, N-API): typed, and found wherever the package lives
// (the repository, dist/ for the CLI and library, out/ for Electron's bundle).
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { EVENT_KINDS, PARENT_END_ROLES, SPEC_FLAGS, SPEC_INTS, SPEC_OPTIONAL_INTS } from '../../shared/engine-names';
import type { CloneCall } from '../../shared/api';
import type { PlanOp } from '../../shared/result';

import type { NativeBytes } from './native-bytes';
import { packageRoot } from './package-root';

export interface NativeFile {
  type: 'null' | 'pipe' | 'inherit' | 'file' | 'closed' | 'pty';
  fd?: number;
  path?: NativeBytes;
  flags?: number;
  // pty: the terminal's size from its start (24x80 without)
  rows?: number;
  cols?: number;
}

/** The plain booleans and ints of sys and engine, by the names the engine reads (engine-names.json). */
export type NativeFlags = Record<(typeof SPEC_FLAGS)[number], boolean> &
  Record<(typeof SPEC_INTS)[number], number> &
  Partial<Record<(typeof SPEC_OPTIONAL_INTS)[number], number>>;

export interface NativeIdMapping {
  containerId: number;
  hostId: number;
  size: number;
}

// A launch as the engine takes it: validated, defaults applied, program resolved. The
// engine refuses (TypeError) a spec with a field missing or of the wrong type.
export interface NativeSpec extends NativeFlags {
  // Strings are their UTF-8 bytes; a Buffer is bytes as they are (a profile's { hex }).
  path: NativeBytes;
  argv: NativeBytes[];
  envp: NativeBytes[];
  dir?: NativeBytes;
  chroot?: string;
  credential?: { uid: number; gid: number; groups: number[]; noSetGroups: boolean };
  // Kernel names (engine-names.json): the engine maps them to numbers.
  cloneflags: string[];
  unshareflags: string[];
  uidMappings: NativeIdMapping[];
  gidMappings: NativeIdMapping[];
  ambientCaps: string[];
  cgroup?: string;
  rlimits: { name: string; soft: number | 'unlimited'; hard: number | 'unlimited' }[];
  cpuAffinity: number[];
  files: NativeFile[];
  method: 'vfork' | 'fork';
  order: 'seed' | 'go';
  // The probe's launches (launchProbe): the program opened before the clone and run with
  // execveat(fd, "", AT_EMPTY_PATH), which works inside any chroot; and a memfd the engine
  // makes, put at fd reportFd in the child after the close-on-exec sweep.
  execByFd?: boolean;
  reportFd?: number;
}

/** open(2)'s O_PATH (Node's fs.constants has none): a descriptor to look at a file through, not read it. */
export const O_PATH = 0o10000000;

// The addon writes plan entries exactly as the contract's run result carries them.
export type NativePlanEntry = PlanOp;

export interface NativeParentEnd {
  role: (typeof PARENT_END_ROLES)[number];
  slot: number;
  fd: number;
}

export interface NativePlan {
  plan: NativePlanEntry[];
  slotFds: number[];
  statusFd: number;
  firstFreshFd: number;
  clone: CloneCall;
  parentEnds: NativeParentEnd[];
}

export interface NativeFdIdentity {
  dev: number;
  ino: number;
}

export type NativeMessage =
  | {
      type: 'spawned';
      atMs: number;
      parentFailure: { step: 'open' | 'clone'; errno: number; slot?: number };
    }
  | {
      type: 'spawned';
      atMs: number;
      parentFailure?: undefined;
      pid: number;
      // Shared with every run of the same plan (native/src/run-messages.cc sharedPlan): a run
      // keeps a copy (run-result.ts copyPlan), never this array.
      plan: readonly NativePlanEntry[];
      // What the child recorded, op by op: a TRACE_STATE and an errno (engine-names.ts).
      // ENTERED is written before each call and replaced by its outcome: it stays on the op
      // the child died in, and on an execve that succeeded (it never returns to record it).
      trace: Int32Array;
      // A fatal op that failed (-1: none); the op the child died in or before, never
      // reaching execve (-1: it did not); whether it went into execve without reporting a
      // failure (it exec'd, unless its exit says otherwise: 'exited'.execSeen).
      failedOp: number;
      failedErrno: number;
      diedAtOp: number;
      execEntered: boolean;
      // The report's memfd (NativeSpec.reportFd), now the caller's to read and close; -1.
      reportFd: number;
      slotFds: number[];
      statusFd: number;
      // fstat of each slot's host fd (null: closed, or fstat failed) and of the status
      // pipe's write end, taken just before the clone.
      sourceIds: (NativeFdIdentity | null)[];
      statusId: NativeFdIdentity | null;
      firstFreshFd: number;
      parentEnds: NativeParentEnd[];
      ptyName?: string;
    }
  // 'answered': a traced child stopped for a signal before its execve, and the engine (its
  // tracer) resumed it at once, delivering the signal or not.
  | { type: 'event'; kind: (typeof EVENT_KINDS)[number]; atMs: number; signal: number; byPtrace: boolean; delivered: boolean }
  // waitStatus STATUS_LOST: something else in the process reaped the child first. execSeen:
  // an EXEC_SEEN, what the exit says of an execve the child went into.
  | { type: 'exited'; atMs: number; waitStatus: number; userMs: number; systemMs: number; maxRssKb: number; execSeen: number }
  | { type: 'control'; requestId: number; errno: number };

export type ControlKind = 'signal' | 'signal-group' | 'ptrace-cont' | 'ptrace-detach';

/** A spec the engine has read once (prepareSpec), to launch again and again (prepared-spec.ts). */
export type PreparedSpec = { readonly preparedSpec: unique symbol };

export interface NativeEngine {
  launch(spec: NativeSpec | PreparedSpec, onMessage: (m: NativeMessage) => void): number;
  prepareSpec(spec: NativeSpec): PreparedSpec;
  // An errno (0: done) when answered at once (signals to a child whose exit the JS thread
  // waits for: every run without ptrace); undefined when the answer comes as a 'control'
  // message.
  control(runId: number, kind: ControlKind, signal: number, requestId: number): number | undefined;
  plan(spec: NativeSpec, slotFds: number[] | undefined, statusFd: number, seed: boolean): NativePlan;
  hostFd(fd: number): { open: boolean; cloexec: boolean; terminal: boolean };
  // A pipe (both ends close-on-exec) standing in for one of the lab's descriptors: [read, write], or -errno.
  standInPipe(): [number, number] | number;
  // A descriptor for `path` resolved inside `root` (openat2 RESOLVE_IN_ROOT), or -errno.
  // flags: open(2)'s, O_PATH (below) to look without opening for reading.
  openInRoot(root: NativeBytes, path: NativeBytes, flags: number): number;
  setWindowSize(fd: number, cols: number, rows: number): number;
  // Captured output, read on the engine's reader thread in chunks of up to 1 MiB: the
  // engine takes over fd (and closes it). onChunk(text) per chunk (UTF-8 decoded, no
  // character cut between chunks), then onChunk(null, err, saveErr) once: err 0 at EOF,
  // an errno, or -1 when stopped by stopOutput. With saveFd (a file open for writing, which
  // the engine takes over too) every byte is written there as read, undecoded; saveErr is
  // 0, or the errno that stopped the saving (the file then holds what was written whole).
  readOutput(fd: number, onChunk: (text: string | null, err?: number, saveErr?: number) => void, saveFd?: number): number;
  // Ends a stream early: what the pipe holds now is still delivered, then the end.
  stopOutput(id: number): void;
  // proclab exec (exec.ts): a sealed memfd holding the spec in the helper's wire format
  // (native/src/spec-wire.h), close-on-exec; and the execve of the helper from this (the
  // JS) thread, every descriptor made close-on-exec but fdsToKeep. Returns an errno: only
  // when execve failed.
  specFd(spec: NativeSpec): number;
  execHelper(path: string, argv: string[], envp: string[], fdsToKeep: number[]): number;
}

export const nativeBuildDir = (): string => path.join(packageRoot(), 'native', 'build', 'Release');

let loaded: NativeEngine | undefined;

export function engine(): NativeEngine {
  if (!loaded) {
    const file = path.join(nativeBuildDir(), 'proclab_engine.node');
    if (!existsSync(file)) throw new Error(`Process Lab: the native engine is not built (${file}); run npm install`);
    loaded = require(file) as NativeEngine;
  }
  return loaded;
}
