// A lab killed with SIGKILL in the middle of saving: every profile file still parses, and
// holds either the old version or the new one, never a mix; what the kill left behind is
// not listed as a profile.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

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
});
