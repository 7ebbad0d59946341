// scripts/runtime-versions.mjs: which version of Node, Bun or Deno the installer of
// scripts/runtimes.mjs takes, from `npm view` or from the folders already in .runtimes/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

// A plain script, not part of any TS project: loaded by URL, typed here.
interface Versions {
  parseVersion(text: string): number[] | null;
  newestOfMajor(versions: string[], major: number | string): string | null;
  versionsFromView(jsonText: string): string[];
  installedVersion(folderNames: string[], name: string, major: number | string): string | null;
}
const file = pathToFileURL(path.join(__dirname, '../../scripts/runtime-versions.mjs')).href;
let v: Versions;
before(async () => {
  v = await import(file);
});

describe('runtime versions', () => {
  test('npm view gives one version as a string, several as an array', () => {
    assert.deepEqual(v.versionsFromView('"2.9.6"'), ['2.9.6']);
    assert.deepEqual(v.versionsFromView('["24.1.0","24.10.0"]'), ['24.1.0', '24.10.0']);
  });

  test('the newest release of the major, compared as numbers, not text', () => {
    assert.equal(v.newestOfMajor(['24.9.0', '24.10.0', '24.2.1', '25.0.0'], 24), '24.10.0');
    assert.equal(v.newestOfMajor(['24.9.0'], '24'), '24.9.0');
    assert.equal(v.newestOfMajor(['23.0.0'], 24), null);
  });

  test('prereleases and other text are not releases', () => {
    assert.deepEqual(v.parseVersion('1.4.5'), [1, 4, 5]);
    assert.equal(v.parseVersion('1.5.0-canary.1'), null);
    assert.equal(v.newestOfMajor(['1.4.5', '1.5.0-canary.1'], 1), '1.4.5');
  });

  test("an installed folder of the major is found by its name; other runtimes' and scratch folders are not", () => {
    const folders = ['node-24.22.3', 'node-24.3.0', 'node-22.1.0', 'bun-1.4.5', '.node-24.23.0-Ab12Cd', 'deno-2.9.6'];
    assert.equal(v.installedVersion(folders, 'node', 24), '24.22.3');
    assert.equal(v.installedVersion(folders, 'bun', 1), '1.4.5');
    assert.equal(v.installedVersion(folders, 'deno', 3), null);
    assert.equal(v.installedVersion([], 'node', 24), null);
  });
});
