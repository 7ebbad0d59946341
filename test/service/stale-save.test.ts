// Two clients of browser mode edit the same profile: both load it, A saves, and B's save
// is refused as stale with a message saying what happened and what to do. The file holds
// A's version; B can load it and save its edit on top.
// Run: node --import tsx --test test/service/stale-save.test.ts
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import type { ProfileEntry, SaveOutcome } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { startTestLab } from '../support/api-client';
import { waitFor } from '../support/lab-api';
import { scratchDir } from '../support/probe';

const shared: Profile = { version: 1, name: 'shared', path: '/bin/echo', args: ['echo', 'as loaded'] };
const edit = (by: string): Profile => ({ ...shared, args: ['echo', `edited by ${by}`] });

test('the second of two clients to save the same profile is refused as stale, and nothing is lost', async (t) => {
  const profilesDir = scratchDir(t);
  const file = path.join(profilesDir, 'shared.json');
  writeFileSync(file, JSON.stringify(shared));
  const lab = await startTestLab(profilesDir);
  t.after(() => lab.close());
  const a = await lab.connect();
  const b = await lab.connect();
  t.after(() => {
    a.close();
    b.close();
  });

  const loadShared = async (client: typeof a) =>
    (await client.result<ProfileEntry[]>('listProfiles')).find((e) => e.file === 'shared.json')!;
  const asLoadedByA = await loadShared(a);
  const asLoadedByB = await loadShared(b);
  assert.equal(asLoadedByA.revision, asLoadedByB.revision);

  const savedByA = await a.result<SaveOutcome>('saveProfile', { file: 'shared.json', baseRevision: asLoadedByA.revision, profile: edit('A') });
  assert.ok(savedByA.ok, JSON.stringify(savedByA));
  await waitFor("B to hear of A's save", () => b.received.some((m) => 'event' in m && m.event === 'profiles-changed'));

  const refused = await b.result<SaveOutcome>('saveProfile', { file: 'shared.json', baseRevision: asLoadedByB.revision, profile: edit('B') });
  assert.deepEqual(refused, {
    ok: false,
    reason: 'stale',
    message: 'shared.json changed on disk since it was opened. Nothing was written: reload it, or save your edit under another name.',
  });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), edit('A'), "the file holds A's version");

  // B reloads: it gets A's version and its revision, and its edit saves on top of it.
  const reloaded = await loadShared(b);
  assert.deepEqual(reloaded.profile, edit('A'));
  assert.equal(reloaded.revision, savedByA.entry.revision);
  const merged: Profile = { ...edit('A'), description: 'B merged its edit into A\'s' };
  const savedByB = await b.result<SaveOutcome>('saveProfile', { file: 'shared.json', baseRevision: reloaded.revision, profile: merged });
  assert.ok(savedByB.ok, JSON.stringify(savedByB));
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), merged);

  // A, now behind, is refused in turn.
  const late = await a.result<SaveOutcome>('saveProfile', { file: 'shared.json', baseRevision: savedByA.entry.revision, profile: edit('A again') });
  assert.equal(late.ok === false && late.reason, 'stale');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), merged);
});
