// Helpers for test/cli.test.ts and test/library.test.ts: scratch directories, probe
// profiles written to files, and running the CLI (`node bin/proclab.js ...`) as a user would.
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { probeProfile as baseProbeProfile } from './probe';

export { isRoot, PROBE, scratchDir, type ProbeReport } from './probe';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'proclab.js');

// Every launch takes a few ms; nothing here should take more than a few seconds.
export const TEST_TIMEOUT_MS = 8000;
export const SPAWN_TIMEOUT_MS = 6000;

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function cliResult(r: SpawnSyncReturns<string>, elapsedMs: number): CliResult {
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, elapsedMs };
}

// Runs `node bin/proclab.js ARGS...` from the repository root.
export function cli(args: string[], options: { prefix?: string[] } = {}): CliResult {
  const argv = [...(options.prefix ?? []), process.execPath, CLI, ...args];
  const started = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return cliResult(r, performance.now() - started);
}

/** cli(ARGS) without blocking the test process, for tests that run several at a time. */
export function cliAsync(args: string[]): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: SPAWN_TIMEOUT_MS }, (err, stdout, stderr) => {
      // An exit status other than 0 is an answer; failing to start is not.
      if (err && child.exitCode === null && child.signalCode === null) reject(err);
      else resolve({ status: child.exitCode, signal: child.signalCode, stdout, stderr, elapsedMs: performance.now() - started });
    });
    child.stdin?.end();
  });
}

export type JsonObject = Record<string, unknown>;

// The shared probe profile, argument order kept for these tests: probe args first.
export const probeProfile = (probeArgs: string[] = [], overrides: JsonObject = {}): JsonObject =>
  baseProbeProfile(overrides, probeArgs) as JsonObject;

let counter = 0;
// Writes a profile (or raw text) to a new file in dir; mode 0644 so another user can read it.
export function writeProfile(dir: string, profile: unknown): string {
  const file = path.join(dir, `profile-${++counter}.json`);
  writeFileSync(file, typeof profile === 'string' ? profile : JSON.stringify(profile));
  chmodSync(file, 0o644);
  return file;
}

// Parses the whole of stdout as one JSON value (throws with the text when it is not).
export function parseWhole(stdout: string): JsonObject {
  try {
    return JSON.parse(stdout) as JsonObject;
  } catch (err) {
    throw new Error(`stdout is not one JSON value (${(err as Error).message}): ${JSON.stringify(stdout)}`);
  }
}

export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

export function stepsOf(ops: unknown): string[] {
  return (ops as { step: string }[]).map((op) => op.step);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
