// A bundle run as its own CommonJS module with the V8 code cache the build made for it
// (src/main/lab/cached-bundle.ts: the CLI's start and require('proclab')): what it sees of
// itself, a cache V8 refuses, and a cache written only by a build step that went well.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { codeCacheOf, loadBundle } from '../../src/main/lab/cached-bundle';
import { scratchDir } from '../support/probe';

const LOADER = path.join(__dirname, '..', '..', 'src', 'main', 'lab', 'cached-bundle.ts');

// A bundle that requires a file beside it and says where it thinks it is.
function writeBundle(dir: string): string {
  writeFileSync(path.join(dir, 'beside.js'), 'module.exports = "beside";\n');
  const bundle = path.join(dir, 'bundle.cjs');
  writeFileSync(bundle, 'exports.where = { filename: __filename, dirname: __dirname, beside: require("./beside.js"), self: module.filename };\n');
  return bundle;
}

// The build's step, in a process of its own: runs the bundle, then exits with `status`.
function buildStep(bundle: string, status: number) {
  const script = `require(${JSON.stringify(LOADER)}).loadBundleAndWriteCodeCache(${JSON.stringify(bundle)}); process.exitCode = ${status};`;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
}

describe('a cached bundle', () => {
  test('runs as a module of its own: its file name, folder and requires relative to it', (t) => {
    const dir = scratchDir(t);
    const bundle = writeBundle(dir);
    assert.deepEqual((loadBundle(bundle) as { where: object }).where, { filename: bundle, dirname: dir, beside: 'beside', self: bundle });
  });

  test('a cache V8 refuses (another V8, other flags, another source) is passed over: the bundle compiles as without one', (t) => {
    const bundle = writeBundle(scratchDir(t));
    writeFileSync(codeCacheOf(bundle), Buffer.from('not a code cache'));
    assert.equal((loadBundle(bundle) as { where: { beside: string } }).where.beside, 'beside');
  });

  test('the build writes the cache only when its run ended with status 0', (t) => {
    const bundle = writeBundle(scratchDir(t));
    const failed = buildStep(bundle, 1);
    assert.equal(failed.status, 1, failed.stderr);
    assert.equal(existsSync(codeCacheOf(bundle)), false);
    const done = buildStep(bundle, 0);
    assert.equal(done.status, 0, done.stderr);
    assert.equal(existsSync(codeCacheOf(bundle)), true);
    assert.equal(existsSync(`${codeCacheOf(bundle)}.tmp`), false);
    assert.equal((loadBundle(bundle) as { where: { beside: string } }).where.beside, 'beside');
  });
});
