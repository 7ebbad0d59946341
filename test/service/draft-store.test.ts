// Kept drafts (issue 11): the builder's unsaved edits, kept by the lab in a private folder
// beside the profiles, so that a reload or a restart loses nothing. Private (0700 folder,
// 0600 files), written atomically, one file per key with the last write winning, a corrupt
// or foreign file listed with its error and skipped, never a crash.
// Run: node --import tsx --test test/service/draft-store.test.ts
import assert from 'node:assert/strict';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

import type { DraftSave, KeptDraftEntry } from '../../src/shared/api';
import { dispatch } from '../../src/main/lab/api-dispatch';
import { DraftStore, draftFileName, MAX_DRAFT_BYTES } from '../../src/main/lab/draft-store';
import { LabService } from '../../src/main/lab/service';

const NEW_ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const OTHER_ID = '9f1c2a55-7d1e-4c3b-a0e2-5b6d7e8f9a01';

function scratch(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proclab-drafts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const edit = (key: DraftSave['key'], description: string): DraftSave => ({
  key,
  profile: { version: 1, name: 'edited', path: '/bin/echo', description, env: [{ name: 'A=B', value: 'as typed' }] },
});

const mode = (file: string): number => statSync(file).mode & 0o777;
const descriptions = (entries: KeptDraftEntry[]) =>
  Object.fromEntries(entries.map((e) => [JSON.stringify(e.draft?.key), e.draft?.profile.description]));

test('the lab keeps a draft in a drafts folder it makes 0700 beside the profiles, the file 0600, and lists it back as typed', async (t) => {
  const home = scratch(t);
  const service = await LabService.open({ profilesDir: path.join(home, 'profiles') });
  t.after(() => service.dispose());
  const draft = { ...edit({ file: 'list-fds.json' }, 'not saved yet'), baseRevision: 'abc123' };
  assert.deepEqual(await service.saveDraft(draft), { ok: true });

  const drafts = path.join(home, 'drafts');
  assert.equal(mode(drafts), 0o700);
  const file = path.join(drafts, draftFileName({ file: 'list-fds.json' }));
  assert.deepEqual(readdirSync(drafts), [path.basename(file)], 'one file, no temp file left behind');
  assert.equal(mode(file), 0o600);

  const [entry, ...rest] = await service.listDrafts();
  assert.equal(rest.length, 0);
  assert.equal(entry?.path, file);
  assert.equal(entry?.error, undefined);
  const { savedAtMs, ...kept } = entry!.draft!;
  assert.deepEqual(kept, draft, 'the edit comes back as typed, an env row with "=" in its name included');
  assert.ok(Math.abs(savedAtMs - Date.now()) < 60_000);
});

test('per draft the last write wins, and a write or discard of one draft never touches another', async (t) => {
  const store = new DraftStore(path.join(scratch(t), 'drafts'));
  // Two windows: one edits the profile twice, the other a new profile; no waiting in between.
  await Promise.all([
    store.save(edit({ file: 'shared.json' }, 'first')),
    store.save(edit({ draftId: NEW_ID }, 'new profile')),
    store.save(edit({ file: 'shared.json' }, 'second')),
  ]);
  assert.deepEqual(descriptions(await store.list()), {
    '{"file":"shared.json"}': 'second',
    [`{"draftId":"${NEW_ID}"}`]: 'new profile',
  });

  // A save and a discard of the same draft, sent back to back: the discard, sent last, wins.
  const [, discarded] = await Promise.all([store.save(edit({ draftId: NEW_ID }, 'again')), store.discard({ draftId: NEW_ID })]);
  assert.deepEqual(discarded, { ok: true });
  assert.deepEqual(descriptions(await store.list()), { '{"file":"shared.json"}': 'second' });
  assert.deepEqual(await store.discard({ draftId: OTHER_ID }), { ok: true }, 'a draft that is not there: nothing to do');
});

test('a draft is replaced atomically: a reader of the old file reads it whole, and a temp file of a killed write is cleaned up', async (t) => {
  const dir = path.join(scratch(t), 'drafts');
  mkdirSync(dir, { mode: 0o700 });
  // What a write killed between its temp file and its rename leaves: an hour old, its writer gone.
  const abandoned = path.join(dir, `.${draftFileName({ draftId: NEW_ID })}.999999999.0123456789ab.tmp`);
  writeFileSync(abandoned, '{"version":1,', { mode: 0o600 });
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(abandoned, hourAgo, hourAgo);

  const store = new DraftStore(dir);
  await store.save(edit({ draftId: NEW_ID }, 'old'));
  const file = path.join(dir, draftFileName({ draftId: NEW_ID }));
  const before = readFileSync(file, 'utf8');
  const reader = openSync(file, 'r');
  try {
    await store.save(edit({ draftId: NEW_ID }, 'new'));
    const buffer = Buffer.alloc(before.length + 10);
    assert.equal(buffer.subarray(0, readSync(reader, buffer, 0, buffer.length, 0)).toString(), before, 'the old file, whole');
  } finally {
    closeSync(reader);
  }
  assert.match(readFileSync(file, 'utf8'), /"description":"new"/);
  assert.deepEqual(readdirSync(dir), [path.basename(file)], 'the abandoned temp file is gone, no new one left');
});

test('a corrupt, foreign or symlinked draft file is listed with its error and skipped; the others load', async (t) => {
  const home = scratch(t);
  const dir = path.join(home, 'drafts');
  const store = new DraftStore(dir);
  await store.save(edit({ draftId: NEW_ID }, 'fine'));
  const named = (key: DraftSave['key']) => path.join(dir, draftFileName(key));
  writeFileSync(named({ file: 'truncated.json' }), '{"version":1,"key":{"fi', { mode: 0o600 });
  writeFileSync(named({ file: 'not-a-draft.json' }), JSON.stringify({ version: 1, name: 'a profile, not a draft' }), { mode: 0o600 });
  // A valid draft under another draft's name (copied by hand): its key would not find it again.
  writeFileSync(named({ file: 'copied.json' }), readFileSync(named({ draftId: NEW_ID })), { mode: 0o600 });
  const secret = path.join(home, 'secret');
  writeFileSync(secret, 'TOKEN=hunter2');
  symlinkSync(secret, named({ file: 'link.json' }));
  writeFileSync(path.join(dir, 'notes.txt'), 'not named like a draft: not read');

  const entries = await store.list();
  assert.deepEqual(descriptions(entries.filter((e) => e.draft)), { [`{"draftId":"${NEW_ID}"}`]: 'fine' });
  const errors = Object.fromEntries(entries.filter((e) => e.error).map((e) => [e.path, e.error]));
  assert.deepEqual(Object.keys(errors).sort(), [named({ file: 'truncated.json' }), named({ file: 'not-a-draft.json' }), named({ file: 'copied.json' }), named({ file: 'link.json' })].sort());
  assert.match(errors[named({ file: 'truncated.json' })]!, /^not valid JSON/);
  assert.match(errors[named({ file: 'not-a-draft.json' })]!, /^not a kept draft: /);
  assert.match(errors[named({ file: 'copied.json' })]!, /its key is not the one its file name says/);
  assert.match(errors[named({ file: 'link.json' })]!, /symbolic link/);
  assert.ok(!JSON.stringify(entries).includes('hunter2'), "the link's target is never read");
});

test('a drafts folder others may write to is refused, naming it; nothing is written there', async (t) => {
  const dir = path.join(scratch(t), 'drafts');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const store = new DraftStore(dir);
  const outcome = await store.save(edit({ draftId: NEW_ID }, 'x'));
  assert.equal(outcome.ok, false);
  assert.match(outcome.message!, new RegExp(`the drafts folder ${dir} is refused: its mode is 0777`));
  assert.deepEqual(readdirSync(dir), []);
  await assert.rejects(store.list(), /is refused/);
});

test('a draft too large to be a profile is refused; requests with a bad key never reach the store', async (t) => {
  const home = scratch(t);
  const service = await LabService.open({ profilesDir: path.join(home, 'profiles') });
  t.after(() => service.dispose());
  const huge = await service.saveDraft({ key: { draftId: NEW_ID }, profile: { name: 'x'.repeat(MAX_DRAFT_BYTES) } });
  assert.equal(huge.ok, false);
  assert.match(huge.message!, /too large to keep/);

  for (const key of [{ draftId: '../../etc/passwd' }, { file: '../escape.json' }, { file: 'x.json', draftId: NEW_ID }]) {
    const outcome = await dispatch(service, 'saveDraft', [{ key, profile: {} }]);
    assert.equal(outcome.ok, false, JSON.stringify(key));
  }
  const notAnObject = await dispatch(service, 'saveDraft', [{ key: { draftId: NEW_ID }, profile: ['not', 'a', 'profile'] }]);
  assert.equal(notAnObject.ok, false);
  assert.deepEqual(await service.listDrafts(), []);
});
