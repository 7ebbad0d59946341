// A lab killed with SIGKILL in the middle of saving: every profile file still parses, and
// holds either the old version or the new one, never a mix; what the kill left behind is
// not listed as a profile, and is removed when a store next opens the folder, but only once
// no writer can still be writing it (two labs may share the folder).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ABANDONED_AFTER_MS, ABANDONED_WHATEVER_PID_AFTER_MS } from '../../src/main/lab/atomic-write';
import { ProfileStore } from '../../src/main/lab/profile-store';
import { scratchDir } from '../support/probe';

const KILLS = 12;

async function killMidSave(dir: string, afterMs: number): Promise<void> {
  const writer = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/save-loop.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => writer.once('exit', resolve));
  // Kill it a while after its first save, somewhere inside one of the next ones.
  await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  writer.kill('SIGKILL');
  await exited;
}

/** Sets a file's modification time `ms` into the past. */
function age(file: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(file, then, then);
}

const MINUTE = ABANDONED_AFTER_MS;

test(`${KILLS} SIGKILLs at random points of a save loop leave a whole old or new profile`, async (t) => {
  const dir = scratchDir(t);
  for (let i = 0; i < KILLS; i++) {
    await killMidSave(dir, 5 + ((i * 37) % 120));
    const jsonFiles = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.deepEqual(jsonFiles, ['crash.json']);
    const saved = JSON.parse(readFileSync(path.join(dir, 'crash.json'), 'utf8')) as { description: string };
    assert.ok(['version A', 'version B'].includes(saved.description), saved.description);
    const listed = await new ProfileStore(dir).list();
    assert.deepEqual(
      listed.map((e) => [e.file, e.error, e.profile?.description]),
      [['crash.json', undefined, saved.description]],
    );
  }
  // Whatever the kills left, once it is old enough, goes when a store opens the folder.
  for (const name of readdirSync(dir)) if (name !== 'crash.json') age(path.join(dir, name), 2 * MINUTE);
  assert.equal(await new ProfileStore(dir).createFolder(), false);
  assert.deepEqual(readdirSync(dir), ['crash.json']);
});

test('opening a folder removes only temp files whose writer cannot still be writing them', async (t) => {
  const dir = scratchDir(t);
  const deadPid = spawnSync('true').pid!;
  const livePid = process.pid;
  const files: Record<string, number> = {
    // The writer is gone and it is old: removed.
    [`.crash.json.${deadPid}.aaaaaaaaaaaa.tmp`]: 2 * MINUTE,
    // The writer's pid means nothing here if it runs in another pid namespace: kept a minute.
    [`.crash.json.${deadPid}.bbbbbbbbbbbb.tmp`]: 0,
    // The writer is running: kept, however slow it is...
    [`.crash.json.${livePid}.cccccccccccc.tmp`]: 2 * MINUTE,
    // ...up to a day (its pid has since been reused).
    [`.crash.json.${livePid}.dddddddddddd.tmp`]: ABANDONED_WHATEVER_PID_AFTER_MS + MINUTE,
    // Not our temp-name pattern: never touched.
    '.notes.tmp': ABANDONED_WHATEVER_PID_AFTER_MS + MINUTE,
    [`.crash.json.${deadPid}.tmp`]: ABANDONED_WHATEVER_PID_AFTER_MS + MINUTE,
    'crash.json': ABANDONED_WHATEVER_PID_AFTER_MS + MINUTE,
  };
  for (const [name, old] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), name === 'crash.json' ? JSON.stringify({ version: 1, name: 'crash', path: '/bin/true', args: [] }) : 'half a profile');
    age(path.join(dir, name), old);
  }
  // Only regular files: a folder of that name stays.
  const folder = `.crash.json.${deadPid}.eeeeeeeeeeee.tmp`;
  mkdirSync(path.join(dir, folder));
  age(path.join(dir, folder), 2 * MINUTE);

  assert.equal(await new ProfileStore(dir).createFolder(), false);
  assert.deepEqual(
    readdirSync(dir).sort(),
    [
      `.crash.json.${deadPid}.bbbbbbbbbbbb.tmp`,
      `.crash.json.${deadPid}.eeeeeeeeeeee.tmp`,
      `.crash.json.${deadPid}.tmp`,
      `.crash.json.${livePid}.cccccccccccc.tmp`,
      '.notes.tmp',
      'crash.json',
    ].sort(),
  );
});
