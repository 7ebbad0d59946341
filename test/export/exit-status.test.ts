// The exported program ends as its child did: its exit status passed on, a signal death
// re-raised (or 128+n where the program says so); timeoutMs kills the child with SIGKILL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { exportProfile, type ExportLang } from '../../src/main/lab/index';
import { scratchDir } from '../support/probe';

const EXITER = { version: 1, name: 'exiter', path: '/bin/sh', args: ['sh', '-c', 'exit 7'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }] };
const SLEEPER = { version: 1, name: 'sleeper', path: '/bin/sleep', args: ['sleep', '5'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }], timeoutMs: 300 };

// How each target is built (if at all) and run, and how it ends when its child is killed by
// its timeout (none: the target has no timeoutMs, a gap tested in gaps.test.ts).
const TARGETS: { lang: ExportLang; build?: (file: string, out: string) => string[]; run: (file: string, out: string) => string[]; ends?: { status: number | null; signal: string | null } }[] = [
  { lang: 'c', build: (file, out) => ['cc', '-o', out, file], run: (_f, out) => [out], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'python', run: (file) => ['python3', file], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'node', run: (file) => [process.execPath, file], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'go', build: (file, out) => ['go', 'build', '-o', out, file], run: (_f, out) => [out], ends: { status: 137, signal: null } },
  { lang: 'go-syscall', build: (file, out) => ['go', 'build', '-o', out, file], run: (_f, out) => [out], ends: { status: 137, signal: null } },
  { lang: 'rust', build: (file, out) => ['rustc', '-o', out, file], run: (_f, out) => [out] },
  { lang: 'shell', run: (file) => ['sh', file] },
];

// Builds (if the target is built) and runs the export of `profile` in a scratch folder.
function runExport(t: { after(fn: () => void): void }, target: (typeof TARGETS)[number], profile: object) {
  const dir = scratchDir(t);
  const exported = exportProfile(profile, target.lang);
  const file = path.join(dir, exported.fileName);
  writeFileSync(file, exported.code);
  const out = path.join(dir, 'launch');
  // rustup's folder as well: rustc is often there only.
  const env = { ...process.env, GOCACHE: path.join(dir, 'gocache'), PATH: `${process.env.PATH}:${path.join(homedir(), '.cargo', 'bin')}` };
  if (target.build) {
    const [cmd, ...args] = target.build(file, out);
    const built = spawnSync(cmd!, args, { cwd: dir, env, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  }
  const [cmd, ...args] = target.run(file, out);
  const started = performance.now();
  const r = spawnSync(cmd!, args, { cwd: dir, env, encoding: 'utf8', timeout: 4000 });
  return { exported, ended: { status: r.status, signal: r.signal }, ms: performance.now() - started, stderr: r.stderr };
}

for (const target of TARGETS) {
  test(`${target.lang}: the child's exit status is the program's`, (t) => {
    const { ended, stderr } = runExport(t, target, EXITER);
    assert.deepEqual(ended, { status: 7, signal: null }, stderr);
  });
  const { ends } = target;
  if (!ends) continue;
  test(`${target.lang}: timeoutMs kills the child, and the program ends as the child did`, (t) => {
    const { exported, ended, ms, stderr } = runExport(t, target, SLEEPER);
    assert.deepEqual(exported.gaps, []);
    assert.deepEqual(ended, ends, stderr);
    assert.ok(ms < 3000, `ended after ${Math.round(ms)} ms, not at the timeout`);
  });
}
