// A full disk while saving profiles: the save says so in words and names the file, the
// profile already on disk is exactly as it was, no temp file is left, and once there is
// room again the same saves work. The disk is a 64 KiB tmpfs, so this needs root.
// Run: node --import tsx --test test/service/full-disk.test.ts
import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ProfileStore } from '../../src/main/lab/profile-store';
import type { SaveOutcome } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { isRoot } from '../support/probe';
import { tinyDisk } from '../support/tiny-disk';

const FILLER = '.filler';

const profile = (name: string, description = ''): Profile => ({ version: 1, name, path: '/bin/echo', args: ['echo', name], description });
// Bigger than the room left in the partly full case: its write gets part of the way, then fails.
const BIG = 'x'.repeat(20 * 1024);

// Writes the filler until the disk is full; returns its size.
function fillUp(dir: string): number {
  const fd = openSync(path.join(dir, FILLER), 'a');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  return statSync(path.join(dir, FILLER)).size;
}

function refusedForSpace(outcome: SaveOutcome, file: string, dir: string): void {
  assert.equal(outcome.ok, false, `the save should have been refused: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.reason, 'io');
  assert.equal(
    outcome.message,
    `cannot save ${file} in ${dir}: No space left on device (ENOSPC): the disk is full. Nothing was changed.`,
  );
}

test('a full disk: saves are refused in words naming the file, nothing is lost, and work once there is room', async (t) => {
  if (!isRoot) return t.skip('mounting a small tmpfs needs root');
  const disk = tinyDisk(t, '64k');
  if ('refused' in disk) return t.skip(disk.refused);
  const { dir } = disk;
  const store = new ProfileStore(dir);
  const first = await store.save({ profile: profile('kept') });
  assert.ok(first.ok, JSON.stringify(first));
  const kept = path.join(dir, 'kept.json');
  const before = readFileSync(kept, 'utf8');
  const onDisk = () => readdirSync(dir).sort();
  const intact = () => {
    assert.equal(readFileSync(kept, 'utf8'), before, 'the saved profile is exactly as it was');
    assert.deepEqual(JSON.parse(before), profile('kept'));
    assert.deepEqual(onDisk(), [FILLER, 'kept.json'], 'no temp file, no new file');
  };

  // Not a byte free: the first write fails.
  const full = fillUp(dir);
  const overKept = { file: first.entry.file, baseRevision: first.entry.revision, profile: profile('kept', 'edited') };
  refusedForSpace(await store.save(overKept), 'kept.json', dir);
  refusedForSpace(await store.save({ profile: profile('new one') }), 'new-one.json', dir);
  intact();

  // 8 KiB free: a 20 KiB save writes part of itself, then fails.
  truncateSync(path.join(dir, FILLER), full - 8192);
  refusedForSpace(await store.save({ ...overKept, profile: profile('kept', BIG) }), 'kept.json', dir);
  refusedForSpace(await store.save({ profile: profile('new one', BIG) }), 'new-one.json', dir);
  intact();
  assert.deepEqual(
    (await store.list()).map((e) => [e.file, e.profile?.description, e.revision]),
    [['kept.json', '', first.entry.revision]],
  );

  // Room again: the same saves go through.
  rmSync(path.join(dir, FILLER));
  const edited = await store.save({ ...overKept, profile: profile('kept', BIG) });
  assert.ok(edited.ok, JSON.stringify(edited));
  assert.ok((await store.save({ profile: profile('new one', BIG) })).ok);
  assert.deepEqual(onDisk(), ['kept.json', 'new-one.json']);
  assert.equal(JSON.parse(readFileSync(kept, 'utf8')).description, BIG);
});
