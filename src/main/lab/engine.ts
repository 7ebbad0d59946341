// The native engine (native/, N-API): typed, and found wherever the package lives
// (the repository, dist/ for the CLI and library, out/ for Electron's bundle).
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { PlanOp } from '../../shared/result';

import { packageRoot } from './package-root';

export interface NativeFile {
  type: 'null' | 'pipe' | 'inherit' | 'file' | 'closed' | 'pty';
  fd?: number;
  path?: string;
  flags?: number;
}

// A launch as the engine takes it: validated, defaults applied, program resolved.
export interface NativeSpec {
  path: string;
  argv: string[];
  envp: string[];
  dir?: string;
  chroot?: string;
  credential?: { uid: number; gid: number; groups: number[]; noSetGroups: boolean };
  ptrace: boolean;
  setsid: boolean;
  setpgid: boolean;
  pgid: number;
  setctty: boolean;
  noctty: boolean;
  ctty: number;
  files: NativeFile[];
  method: 'vfork' | 'fork';
  closeOtherFds: boolean;
  resetSignals: boolean;
}

// The addon writes plan entries exactly as the contract's run result carries them.
export type NativePlanEntry = PlanOp;

export interface NativeParentEnd {
  role: 'stdin' | 'output' | 'pty';
  slot: number;
  fd: number;
}

export interface NativePlan {
  plan: NativePlanEntry[];
  slotFds: number[];
  statusFd: number;
  firstFreshFd: number;
  parentEnds: NativeParentEnd[];
}

export interface NativeFdIdentity {
  dev: number;
  ino: number;
}

export const TRACE_NOT_RUN = 0;
export const TRACE_OK = 1;
export const TRACE_FAILED = 2;

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
      plan: NativePlanEntry[];
      trace: { state: number; errno: number }[];
      failedOp: number;
      failedErrno: number;
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
  | { type: 'event'; kind: 'stopped' | 'continued' | 'detached'; atMs: number; signal: number; byPtrace: boolean }
  | { type: 'exited'; atMs: number; waitStatus: number; userMs: number; systemMs: number; maxRssKb: number }
  | { type: 'control'; requestId: number; errno: number };

export type ControlKind = 'signal' | 'signal-group' | 'ptrace-cont' | 'ptrace-detach';

// The engine answers a group signal with this when the child is in the lab's own group.
export const SHARES_LAB_GROUP = -1;

export interface NativeEngine {
  launch(spec: NativeSpec, onMessage: (m: NativeMessage) => void): number;
  control(runId: number, kind: ControlKind, signal: number, requestId: number): void;
  plan(spec: NativeSpec, slotFds: number[] | undefined, statusFd: number, seed: boolean): NativePlan;
  hostFd(fd: number): { open: boolean; cloexec: boolean; terminal: boolean };
  setWindowSize(fd: number, cols: number, rows: number): number;
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
