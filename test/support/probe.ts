// Launching the probe through the library and reading what the child received.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { launch, probePath, type LaunchHandlers } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';

export type { ProbeReport };

export const PROBE = probePath();
export const METHODS = ['vfork', 'fork'] as const;
export const isRoot = process.getuid?.() === 0;

// A profile that runs the probe with stdio [null, pipe, pipe]; fields override.
export function probeProfile(overrides: Partial<Profile> = {}, probeArgs: string[] = []): Profile {
  return {
    version: 1,
    name: 'probe',
    path: PROBE,
    args: ['proclab_probe', ...probeArgs],
    files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
    ...overrides,
  };
}

// An interactive sh on this run's pseudo-terminal, leading its own session with the
// terminal as its controlling terminal (as a terminal emulator or sshd starts a shell).
export const PTY_SHELL: Profile = {
  version: 1,
  name: 'shell',
  path: '/bin/sh',
  args: ['sh', '-i'],
  env: ['PS1=$ ', 'PATH=/usr/bin:/bin'],
  files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }],
  sys: { setsid: true, setctty: true },
  timeoutMs: 5000,
};

export async function runProfile(profile: Profile, handlers: LaunchHandlers = {}): Promise<RunResult> {
  return launch(profile, handlers).result;
}

// Runs the profile and parses the probe's report from output key `from` ("1" by default).
export async function probe(profile: Profile, from = '1'): Promise<{ result: RunResult; report: ProbeReport }> {
  const result = await runProfile(profile);
  assert.equal(result.execError, null, `exec error: ${JSON.stringify(result.execError)}`);
  const text = result.output[from];
  assert.ok(text, `no probe output on ${from}: ${JSON.stringify(result)}`);
  return { result, report: JSON.parse(text.trim()) as ProbeReport };
}

export const fdTargets = (report: ProbeReport): Record<number, string | null> =>
  Object.fromEntries(report.fds.map((f) => [f.fd, f.target]));

// A scratch directory removed when the test ends.
export function scratchDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'proclab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
