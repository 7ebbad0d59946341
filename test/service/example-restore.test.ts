// Restoring the shipped examples never loses an edit: the lab says which example files are
// missing, as shipped or changed; a restore writes the missing ones and only the changed
// ones the user chose, as they saw them; its undo puts back exactly what it overwrote.
// Run: node --import tsx --test test/service/example-restore.test.ts
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import type { ExampleStatus, FileChangeOutcome } from '../../src/shared/api';
import { dispatch } from '../../src/main/lab/api-dispatch';
import { LabService } from '../../src/main/lab/service';
import { scratchDir } from '../support/probe';

async function openLab(t: Parameters<typeof scratchDir>[0]): Promise<{ service: LabService; dir: string }> {
  const dir = path.join(scratchDir(t), 'profiles');
  const service = await LabService.open({ profilesDir: dir });
  t.after(() => service.dispose());
  return { service, dir };
}

const stateOf = (status: ExampleStatus[], file: string) => status.find((s) => s.file === file);

// A hand edit the lab would never write itself: compact JSON, and a byte that is not UTF-8
// (Latin-1 é) in the description, which still reads as a valid profile.
const handEdited = Buffer.concat([
  Buffer.from('{"version":1,"name":"chdir error","description":"caf'),
  Buffer.from([0xe9]),
  Buffer.from('","path":"pwd","args":["pwd"],"dir":"/elsewhere"}'),
]);

test('each example is listed as missing, as shipped, or changed', async (t) => {
  const { service, dir } = await openLab(t);
  const shipped = await service.examplesStatus();
  assert.equal(shipped.length, 6);
  assert.deepEqual(shipped.map((s) => s.state), shipped.map(() => 'same'), 'a first run writes them as shipped');

  writeFileSync(path.join(dir, 'chdir-error.json'), handEdited);
  rmSync(path.join(dir, 'ptrace-stop.json'));
  const status = await service.examplesStatus();
  assert.equal(stateOf(status, 'chdir-error.json')?.state, 'changed');
  assert.equal(stateOf(status, 'ptrace-stop.json')?.state, 'missing');
  assert.equal(stateOf(status, 'ptrace-stop.json')?.revision, undefined);
  assert.equal(status.filter((s) => s.state === 'same').length, shipped.length - 2);
});

test('a restore writes the missing examples and leaves a changed one as it is unless asked', async (t) => {
  const { service, dir } = await openLab(t);
  const chdir = path.join(dir, 'chdir-error.json');
  writeFileSync(chdir, handEdited);
  rmSync(path.join(dir, 'ptrace-stop.json'));

  const restored = await service.restoreExamples([]);
  assert.deepEqual(restored.changes, [{ file: 'ptrace-stop.json', ok: true }], 'only the missing one, nothing as shipped rewritten');
  assert.deepEqual(restored.undo, [{ file: 'ptrace-stop.json', revision: restored.undo[0]!.revision, previousBase64: null }]);
  assert.ok(existsSync(path.join(dir, 'ptrace-stop.json')));
  assert.deepEqual(readFileSync(chdir), handEdited);
});

test('a changed example overwritten on request comes back byte for byte with undo', async (t) => {
  const { service, dir } = await openLab(t);
  const chdir = path.join(dir, 'chdir-error.json');
  const shippedBytes = readFileSync(chdir);
  writeFileSync(chdir, handEdited);
  const seen = stateOf(await service.examplesStatus(), 'chdir-error.json')!;

  const restored = await service.restoreExamples([{ file: seen.file, revision: seen.revision! }]);
  assert.deepEqual(restored.changes, [{ file: 'chdir-error.json', ok: true }]);
  assert.deepEqual(readFileSync(chdir), shippedBytes);
  assert.equal(stateOf(await service.examplesStatus(), 'chdir-error.json')?.state, 'same');

  const undone = await service.undoRestoreExamples(restored.undo);
  assert.deepEqual(undone, [{ file: 'chdir-error.json', ok: true }]);
  assert.deepEqual(readFileSync(chdir), handEdited, 'the exact bytes, the one that is not UTF-8 too');
});

test('an undo removes the examples the restore created, and only while they are as it left them', async (t) => {
  const { service, dir } = await openLab(t);
  rmSync(path.join(dir, 'ptrace-stop.json'));
  rmSync(path.join(dir, 'chdir-error.json'));
  const restored = await service.restoreExamples([]);
  assert.equal(restored.undo.length, 2);

  // Someone edits one of them before the undo: that one stays.
  const edited = '{"version":1,"name":"ptrace stop","path":"/bin/true","args":["true"]}';
  writeFileSync(path.join(dir, 'ptrace-stop.json'), edited);
  const undone = await service.undoRestoreExamples(restored.undo);
  const refused = undone.find((u) => u.file === 'ptrace-stop.json') as Extract<FileChangeOutcome, { ok: false }>;
  assert.equal(refused.ok, false);
  assert.match(refused.message, /changed on disk since it was listed/);
  assert.equal(readFileSync(path.join(dir, 'ptrace-stop.json'), 'utf8'), edited);
  assert.deepEqual(undone.find((u) => u.file === 'chdir-error.json'), { file: 'chdir-error.json', ok: true });
  assert.equal(existsSync(path.join(dir, 'chdir-error.json')), false);
});

test('an example changed again after the user saw it is not overwritten', async (t) => {
  const { service, dir } = await openLab(t);
  const chdir = path.join(dir, 'chdir-error.json');
  writeFileSync(chdir, handEdited);
  const seen = stateOf(await service.examplesStatus(), 'chdir-error.json')!;
  const later = '{"version":1,"name":"chdir error","path":"pwd","args":["pwd"],"dir":"/later"}';
  writeFileSync(chdir, later);

  const restored = await service.restoreExamples([{ file: seen.file, revision: seen.revision! }]);
  assert.equal(restored.changes.length, 1);
  assert.equal(restored.changes[0]!.ok, false);
  assert.deepEqual(restored.undo, []);
  assert.equal(readFileSync(chdir, 'utf8'), later);
});

test('restore and undo requests are checked: file names, base64, and only a valid profile is written', async (t) => {
  const { service, dir } = await openLab(t);
  const chdir = path.join(dir, 'chdir-error.json');
  const before = readFileSync(chdir);
  const { revision } = stateOf(await service.examplesStatus(), 'chdir-error.json')!;
  const undo = (previousBase64: unknown, file = 'chdir-error.json') => dispatch(service, 'undoRestoreExamples', [[{ file, revision, previousBase64 }]]);

  const refusals = [
    await dispatch(service, 'examplesStatus', ['extra']),
    await dispatch(service, 'restoreExamples', [[{ file: '../outside.json', revision: 'x' }]]),
    await dispatch(service, 'restoreExamples', [[{ file: 'a.json', revision: 'x' }, { file: 'a.json', revision: 'y' }]]),
    await undo('not base64!'),
    await undo(null, '.hidden.json'),
  ];
  for (const outcome of refusals) {
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.match((outcome as { message: string }).message, /^invalid params for \w+: /);
  }

  const notAProfile = await undo(Buffer.from('#!/bin/sh\nrm -rf ~\n').toString('base64'));
  assert.ok(notAProfile.ok);
  const [change] = notAProfile.result as FileChangeOutcome[];
  assert.equal(change!.ok, false);
  assert.match((change as { message: string }).message, /^not a valid profile, nothing was written: not valid JSON/);
  assert.deepEqual(readFileSync(chdir), before);
});
