// timeoutMs in the exported program: the child is killed with SIGKILL after that long, and
// the program ends as its child did (a signal death re-raised, or 128+9 where it says so).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { exportProfile, type ExportLang } from '../../src/main/lab/index';
import { scratchDir } from '../support/probe';

const SLEEPER = { version: 1, name: 'sleeper', path: '/bin/sleep', args: ['sleep', '5'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }], timeoutMs: 300 };

// How each target is built (if at all) and run, and how it ends when its child is killed.
const TARGETS: { lang: ExportLang; build?: (file: string, out: string, dir: string) => string[]; run: (file: string, out: string) => string[]; ends: { status: number | null; signal: string | null } }[] = [
  { lang: 'c', build: (file, out) => ['cc', '-o', out, file], run: (_f, out) => [out], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'python', run: (file) => ['python3', file], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'node', run: (file) => [process.execPath, file], ends: { status: null, signal: 'SIGKILL' } },
  { lang: 'go', build: (file, out) => ['go', 'build', '-o', out, file], run: (_f, out) => [out], ends: { status: 137, signal: null } },
];

for (const { lang, build, run, ends } of TARGETS) {
  test(`${lang}: timeoutMs kills the child, and the program ends as the child did`, (t) => {
    const dir = scratchDir(t);
    const { code, fileName, gaps } = exportProfile(SLEEPER, lang);
    assert.deepEqual(gaps, []);
    const file = path.join(dir, fileName);
    writeFileSync(file, code);
    const out = path.join(dir, 'launch');
    const env = { ...process.env, GOCACHE: path.join(dir, 'gocache') };
    if (build) {
      const [cmd, ...args] = build(file, out, dir);
      const built = spawnSync(cmd!, args, { cwd: dir, env, encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
    }
    const [cmd, ...args] = run(file, out);
    const started = performance.now();
    const r = spawnSync(cmd!, args, { cwd: dir, env, encoding: 'utf8', timeout: 4000 });
    const ms = performance.now() - started;
    assert.deepEqual({ status: r.status, signal: r.signal }, ends, r.stderr);
    assert.ok(ms < 3000, `ended after ${Math.round(ms)} ms, not at the timeout`);
  });
}
