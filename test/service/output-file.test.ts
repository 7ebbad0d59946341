// A run's full output saved to files (issue 5): every byte of every captured stream, where
// the run's updates say; the runs folder keeps the newest 20 runs; browser mode serves a
// file only for a one-time ticket and only by a run id and key it knows; a full disk is a
// note on the run, never a crash.
// Run: node --import tsx --test test/service/output-file.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';

import type { LaunchOutcome, RunUpdate } from '../../src/shared/api';
import { OPEN_SAVED_OUTPUT_PARAMS } from '../../src/shared/api-params';
import type { Profile } from '../../src/shared/profile';
import { OutputFile } from '../../src/main/lab/output-file';
import { KEEP_RUNS } from '../../src/main/lab/runs-folder';
import { startLabServer, type LabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import { ApiClient } from '../support/api-client';
import { UpdateLog, waitFor } from '../support/lab-api';
import { isRoot, scratchDir } from '../support/probe';
import { tinyDisk } from '../support/tiny-disk';

const shell = (name: string, script: string): Profile => ({
  version: 1,
  name,
  path: '/bin/sh',
  args: ['sh', '-c', script],
  files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
});

function runIdOf(outcome: LaunchOutcome): string {
  assert.ok(outcome.ok, `launch refused: ${JSON.stringify(outcome)}`);
  return outcome.runId;
}

/** What `seq 1 n` prints. */
const seq = (n: number): string => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');

describe('saved output', () => {
  let service: LabService;
  let server: LabServer;
  let token: string;
  const log = new UpdateLog();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-saved-'));
  const runsDir = path.join(scratch, 'runs');

  before(async () => {
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
    service.onRunUpdate(log.listener);
    server = await startLabServer({ api: service, rendererDir: scratch, port: 0 });
    token = new URL(server.url).searchParams.get('token')!;
  });
  after(async () => {
    await server.close();
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const launchAndWait = async (profile: Profile) => {
    const runId = runIdOf(await service.launch(profile));
    return { runId, done: await log.done(runId, 30_000) };
  };

  test('every byte of every captured stream is in its file, beside the profiles folder; the updates say where and how much', async () => {
    // 14.9 MB on fd 1, far more than a view keeps; multi-byte characters on fd 2.
    const { runId, done } = await launchAndWait(shell('much output', "seq 1 2000000; printf 'é € 😀\\n' >&2"));
    assert.deepEqual(done.result.status, { kind: 'exited', code: 0 });
    const expected = { '1': Buffer.from(seq(2_000_000)), '2': Buffer.from('é € 😀\n') };

    const saved = done.savedOutput!;
    assert.deepEqual(Object.keys(saved).sort(), ['1', '2']);
    const [folder] = readdirSync(runsDir);
    assert.match(folder!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z-${runId}$`));
    for (const key of ['1', '2'] as const) {
      assert.deepEqual(saved[key], { path: path.join(runsDir, folder!, `fd${key}.txt`), bytes: expected[key].length });
      assert.ok(readFileSync(saved[key]!.path).equals(expected[key]), `fd ${key}: the file holds exactly what the child wrote`);
      assert.equal(statSync(saved[key]!.path).mode & 0o777, 0o600, 'only the user may read it');
      assert.equal(service.savedOutput(runId, key)?.bytes, expected[key].length);
    }
    assert.equal(statSync(path.join(runsDir, folder!)).mode & 0o777, 0o700);

    // Each file was announced while the run went on, before 'done'.
    const updates = log.of(runId);
    const announced = updates.filter((u): u is Extract<RunUpdate, { kind: 'saved-output' }> => u.kind === 'saved-output');
    assert.deepEqual(announced.map((u) => [u.key, u.saved.path]).sort(), [
      ['1', saved['1']!.path],
      ['2', saved['2']!.path],
    ]);
    assert.ok(updates.indexOf(announced[0]!) < updates.findIndex((u) => u.kind === 'done'));
  });

  test('a captured pipe is saved byte for byte, binary or not; the view gets its decoded text', async () => {
    // Bytes that are not UTF-8, a NUL, and a multi-byte character cut off at the end.
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x61, 0x62, 0x63, 0x0a, 0xe2, 0x82]);
    const octal = [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
    const { runId, done } = await launchAndWait(shell('binary', `printf '${octal}'`));
    assert.ok(readFileSync(done.savedOutput!['1']!.path).equals(bytes), 'the file holds exactly what the child wrote');
    assert.equal(done.savedOutput!['1']!.bytes, bytes.length);
    assert.equal(log.output(runId)['1'], bytes.toString('utf8'), 'the view: UTF-8 decoded, U+FFFD for what is not');
  });

  test('a run without output saves nothing', async () => {
    const { runId, done } = await launchAndWait(shell('quiet', 'exit 0'));
    assert.equal(done.savedOutput, undefined);
    assert.equal(service.savedOutput(runId, '1'), undefined);
  });

  test('browser mode serves a saved file for a one-time ticket from the API, by run id and key, and refuses anything else', async (t) => {
    const { runId, done } = await launchAndWait(shell('download me', 'seq 1 100000'));
    const client = await ApiClient.connect(`ws://127.0.0.1:${server.port}/api?token=${token}`, new URL(server.url).origin);
    t.after(() => client.close());
    const base = `http://127.0.0.1:${server.port}`;
    const link = async (key = '1') => `${base}${await client.result<string>('savedOutputDownloadLink', runId, key)}`;

    const got = await fetch(await link());
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-disposition'), `attachment; filename="proclab-${runId.slice(0, 8)}-fd1.txt"`);
    assert.equal(got.headers.get('content-length'), String(done.savedOutput!['1']!.bytes));
    assert.equal(await got.text(), seq(100_000));
    const head = await fetch(await link(), { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(done.savedOutput!['1']!.bytes));

    const status = async (target: string, init?: RequestInit) => (await fetch(target, init)).status;
    const download = `${base}/saved-output/${runId}/1`;
    assert.equal(await status(download), 401, 'no ticket');
    assert.equal(await status(`${download}?token=${token}`), 401, 'the token is no ticket');
    const ticket = new URL(await link()).search;
    assert.equal(await status(`${base}/saved-output/${runId}/1/extra${ticket}`), 404, 'a longer path');
    assert.equal(await status(`${download}${ticket}`, { method: 'POST' }), 405);

    // The API hands out tickets only for saved output it knows: never for a path.
    for (const [id, key] of [
      ['00000000-0000-0000-0000-000000000000', '1'],
      [runId, '2'],
      [runId, 'pty'],
      ...['../../profiles', '..', '__proto__', 'fd1.txt', '1/..'].map((k) => [runId, k]),
    ]) {
      const answer = await client.call('savedOutputDownloadLink', id, key);
      assert.ok('error' in answer, `${id} ${key}`);
    }

    // The desktop app's request takes a run id and key too: a path is refused before the service.
    assert.equal(OPEN_SAVED_OUTPUT_PARAMS.safeParse([runId, '1', 'open']).success, true);
    assert.equal(OPEN_SAVED_OUTPUT_PARAMS.safeParse([runId, done.savedOutput!['1']!.path, 'open']).success, false);
    assert.equal(OPEN_SAVED_OUTPUT_PARAMS.safeParse([runId, '0', 'reveal']).success, false);
  });

  test('a runs folder that cannot be made is a note on the run; the run itself is as it would be', async () => {
    const blocked = path.join(scratch, 'not-a-folder');
    writeFileSync(blocked, '');
    const own = await LabService.open({ profilesDir: path.join(scratch, 'profiles'), runsDir: blocked });
    const ownLog = new UpdateLog();
    own.onRunUpdate(ownLog.listener);
    try {
      const runId = runIdOf(await own.launch(shell('nowhere to save', 'echo still here')));
      const done = await ownLog.done(runId);
      assert.deepEqual(done.result.status, { kind: 'exited', code: 0 });
      assert.deepEqual(ownLog.output(runId), { 1: 'still here\n' });
      assert.equal(done.savedOutput!['1']!.bytes, 0);
      assert.match(done.savedOutput!['1']!.error!, /^could not create the file: Not a directory \(ENOTDIR\)/);
    } finally {
      await own.dispose();
    }
  });
});


// A lab whose runs' output is saved in runsDir, its updates logged; disposed after the test.
async function labWithRunsIn(t: TestContext, runsDir: string): Promise<{ runsDir: string; service: LabService; log: UpdateLog }> {
  const service = await LabService.open({ profilesDir: path.join(scratchDir(t), 'profiles'), runsDir });
  t.after(() => service.dispose());
  const log = new UpdateLog();
  service.onRunUpdate(log.listener);
  return { runsDir, service, log };
}

test(`the runs folder keeps the newest ${KEEP_RUNS} runs' files and nothing of its own besides`, async (t) => {
  const { runsDir, service, log } = await labWithRunsIn(t, path.join(scratchDir(t), 'runs'));
  const notes = path.join(runsDir, 'my-notes.txt');

  const runIds: string[] = [];
  for (let i = 1; i <= KEEP_RUNS + 3; i++) {
    const runId = runIdOf(await service.launch(shell(`run ${i}`, `echo run ${i}`)));
    await log.done(runId);
    runIds.push(runId);
    if (i === 1) writeFileSync(notes, 'a file the lab did not make\n');
  }
  const folders = () => readdirSync(runsDir).filter((name) => name !== 'my-notes.txt');
  await waitFor('the oldest runs to be deleted', () => folders().length === KEEP_RUNS);
  const kept = folders()
    .sort()
    .map((name) => readFileSync(path.join(runsDir, name, 'fd1.txt'), 'utf8'));
  assert.deepEqual(kept, Array.from({ length: KEEP_RUNS }, (_, i) => `run ${i + 4}\n`));
  assert.equal(readFileSync(notes, 'utf8'), 'a file the lab did not make\n');
  // The deleted runs are no longer offered; the kept ones are.
  assert.equal(service.savedOutput(runIds[0]!, '1'), undefined);
  assert.equal(service.savedOutput(runIds[2]!, '1'), undefined);
  assert.equal(service.savedOutput(runIds[3]!, '1')?.bytes, 'run 4\n'.length);
});

test('a run still going keeps its files however many runs come after it', async (t) => {
  const { runsDir, service, log } = await labWithRunsIn(t, path.join(scratchDir(t), 'runs'));

  const longRun = runIdOf(await service.launch(shell('long', 'echo first; exec sleep 60')));
  await waitFor('the long run to save its first line', () => service.savedOutput(longRun, '1'));
  for (let i = 1; i <= KEEP_RUNS + 1; i++) await log.done(runIdOf(await service.launch(shell(`run ${i}`, `echo run ${i}`))));
  await waitFor('the oldest finished run to be deleted', () => readdirSync(runsDir).length === KEEP_RUNS + 1);
  assert.ok(readdirSync(runsDir).some((name) => name.endsWith(longRun)), 'the live run is kept');
  assert.ok(service.savedOutput(longRun, '1'));
  await service.signal(longRun, 'SIGKILL', 'child');
  assert.equal((await log.done(longRun)).savedOutput?.['1']?.bytes, 'first\n'.length);
});

test('the file keeps every chunk in order when the disk falls behind (some written at once, some queued)', async (t) => {
  const file = path.join(scratchDir(t), 'run', 'fd1.txt');
  const writer = new OutputFile(file);
  // 48 MiB handed over without yielding: far past the point where writes become synchronous.
  const chunks = Array.from({ length: 48 }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(1024 * 1024 - i) + `|${i}\n`);
  for (const chunk of chunks) writer.write(chunk);
  const saved = await writer.close();
  const expected = Buffer.from(chunks.join(''));
  assert.deepEqual(saved, { path: file, bytes: expected.length });
  assert.ok(readFileSync(file).equals(expected));
});

test('a full disk: the note says so, the file holds a whole first part, the run itself is untouched', async (t) => {
  if (!isRoot) {
    t.skip('needs root to mount a small tmpfs (runs for real in CI, as root)');
    return;
  }
  const disk = tinyDisk(t, '1m');
  if ('refused' in disk) {
    t.skip(disk.refused);
    return;
  }
  const { service, log } = await labWithRunsIn(t, disk.dir);

  const runId = runIdOf(await service.launch(shell('too much for the disk', 'seq 1 500000')));
  const done = await log.done(runId, 30_000);
  const written = seq(500_000); // 3.4 MB on a 1 MiB disk
  assert.deepEqual(done.result.status, { kind: 'exited', code: 0 });
  assert.equal(done.result.output['1'], written.slice(-64 * 1024), "the result's tail of the output, as always");

  const saved = done.savedOutput!['1']!;
  assert.equal(saved.error, 'writing failed: No space left on device (ENOSPC): the disk is full');
  assert.ok(saved.bytes > 0 && saved.bytes <= 1024 * 1024, `${saved.bytes} bytes`);
  assert.ok(readFileSync(saved.path).equals(Buffer.from(written).subarray(0, saved.bytes)), 'the file is the output up to the failure');
  const failure = log.of(runId).find((u) => u.kind === 'saved-output' && u.saved.error !== undefined);
  assert.ok(failure, 'the failure was reported while the run went on');
});
