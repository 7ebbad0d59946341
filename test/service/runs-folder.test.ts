// The runs folder against someone else on the machine: a folder they made first (the
// default `runs` beside `--profiles /tmp/x` is /tmp/runs) is refused, and the pruning of
// old runs deletes only the lab's own run folders, never through a symlink swapped in while
// it works, so that no file outside the runs folder is ever deleted.
// Run: node --import tsx --test test/service/runs-folder.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import type { SavedOutput } from '../../src/shared/api';
import { KEEP_RUNS, RunsFolder } from '../../src/main/lab/runs-folder';
import { isRoot, scratchDir } from '../support/probe';

const NOBODY = 65534;

/** A run folder's name as the lab gives it, `n` minutes into 2020 (older runs sort first). */
const runName = (n: number): string => {
  const time = new Date(Date.UTC(2020, 0, 1, 0, n)).toISOString().replace(/:/g, '-');
  return `${time}-00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
};

/** A run folder as the lab makes it: 0700, one output file. */
function makeRun(runsDir: string, n: number): string {
  const dir = path.join(runsDir, runName(n));
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(path.join(dir, 'fd1.txt'), `run ${n}\n`, { mode: 0o600 });
  return dir;
}

/** What a new run's first output reports about its file. */
function firstOutputOf(runsDir: string): SavedOutput {
  let saved: SavedOutput | undefined;
  const files = new RunsFolder(runsDir).startRun('11111111-2222-4333-8444-555555555555', (_key, s) => (saved = s));
  files.write('pty', 'some output\n');
  void files.close();
  assert.ok(saved, 'the file was announced');
  return saved;
}

test('a runs folder made first by another user is refused: nothing written there, the run says which folder and why', (t) => {
  if (!isRoot) {
    t.skip('needs root to give a folder to uid 65534');
    return;
  }
  const runsDir = path.join(scratchDir(t), 'runs');
  mkdirSync(runsDir, { mode: 0o700 });
  chownSync(runsDir, NOBODY, NOBODY);
  const saved = firstOutputOf(runsDir);
  assert.equal(saved.bytes, 0);
  assert.equal(
    saved.error,
    `could not create the file: the runs folder ${runsDir} is refused: it belongs to uid ${NOBODY}, not to this user (uid 0): ` +
      'its owner could read what the lab keeps there and swap it',
  );
  assert.deepEqual(readdirSync(runsDir), [], 'nothing written in their folder');
});

test('a runs folder others may write to (0777) is refused, as is a symlink to a folder', (t) => {
  const runsDir = path.join(scratchDir(t), 'runs');
  mkdirSync(runsDir);
  chmodSync(runsDir, 0o777);
  assert.equal(
    firstOutputOf(runsDir).error,
    `could not create the file: the runs folder ${runsDir} is refused: its mode is 0777, writable by its group and everyone, ` +
      'who could swap what the lab keeps there (chmod go-w to keep it)',
  );
  assert.deepEqual(readdirSync(runsDir), []);

  const real = path.join(scratchDir(t), 'real-runs');
  mkdirSync(real, { mode: 0o700 });
  const link = path.join(scratchDir(t), 'runs-link');
  symlinkSync(real, link);
  assert.match(firstOutputOf(link).error!, /^could not create the file: the runs folder .*runs-link is refused: it is a symbolic link/);
  assert.deepEqual(readdirSync(real), []);
});

test('a runs folder the lab makes is 0700', (t) => {
  const runsDir = path.join(scratchDir(t), 'new', 'runs');
  const saved = firstOutputOf(runsDir);
  assert.equal(saved.error, undefined);
  assert.equal((statSync(runsDir).mode & 0o777).toString(8), '700');
  assert.equal((statSync(path.dirname(saved.path)).mode & 0o777).toString(8), '700');
});

test('pruning deletes only run folders the lab made: by name, owner and mode, and only its own files in them', async (t) => {
  const runsDir = path.join(scratchDir(t), 'runs');
  mkdirSync(runsDir, { mode: 0o700 });
  for (let n = 10; n < 10 + KEEP_RUNS; n++) makeRun(runsDir, n);
  const labMade = makeRun(runsDir, 1);
  const readable = makeRun(runsDir, 2);
  chmodSync(readable, 0o755); // not a mode the lab gives a run folder
  const withNotes = makeRun(runsDir, 3);
  writeFileSync(path.join(withNotes, 'notes.txt'), 'mine\n');
  const linkToFolder = path.join(runsDir, runName(4));
  symlinkSync(path.join(scratchDir(t)), linkToFolder);
  let othersRun: string | undefined;
  if (isRoot) {
    othersRun = makeRun(runsDir, 5);
    chownSync(othersRun, NOBODY, NOBODY);
  }

  await new RunsFolder(runsDir).prune();
  assert.equal(existsSync(labMade), false, 'the lab-made old run is deleted');
  assert.deepEqual(readdirSync(readable), ['fd1.txt'], 'a run folder of another mode is left alone');
  assert.deepEqual(readdirSync(withNotes), ['notes.txt'], "the lab's file is deleted, the user's stays (and so the folder)");
  assert.ok(statSync(linkToFolder), 'the symlink is left, and its target');
  if (othersRun) assert.deepEqual(readdirSync(othersRun), ['fd1.txt'], "another user's run folder is left alone");
  for (let n = 10; n < 10 + KEEP_RUNS; n++) assert.ok(existsSync(path.join(runsDir, runName(n), 'fd1.txt')), `newest run ${n} kept`);
});

// Swaps the doomed run folder for a symlink to the victim folder and back, each state held
// for a varying while, until told to stop; recreates the run folder whenever pruning has
// deleted it, and prints how many times it did (so the test knows pruning really deleted
// it meanwhile). Renames put each in place at once: the name is never missing.
const SWAPPER = `
const fs = require('node:fs');
const [run, aside, link, victim, stop] = process.argv.slice(1);
let recreated = 0;
const hold = () => { for (let i = Math.random() * 200; i > 0; i--) fs.existsSync(stop); };
const quietly = (step) => { try { step(); return true; } catch { return false; } };
while (!fs.existsSync(stop)) {
  hold();
  if (!quietly(() => fs.renameSync(run, aside))) {
    // Pruned (or being pruned): a fresh run folder in its place.
    quietly(() => fs.rmSync(run, { recursive: true, force: true }));
    if (quietly(() => fs.mkdirSync(run, { mode: 0o700 }))) recreated++;
    quietly(() => fs.writeFileSync(run + '/fd1.txt', 'x', { mode: 0o600 }));
    continue;
  }
  quietly(() => fs.symlinkSync(victim, link)); // again, when pruning removed the last one
  quietly(() => fs.renameSync(link, run));
  hold();
  quietly(() => fs.renameSync(run, link));
  quietly(() => fs.renameSync(aside, run));
}
process.stdout.write(String(recreated));
`;

test('a run folder swapped for a symlink while pruning runs: no file outside the runs folder is ever deleted', async (t) => {
  const scratch = scratchDir(t);
  const runsDir = path.join(scratch, 'runs');
  mkdirSync(runsDir, { mode: 0o700 });
  for (let n = 10; n < 10 + KEEP_RUNS; n++) makeRun(runsDir, n);
  const doomed = makeRun(runsDir, 1);

  // Someone else's folder of files, 50 of them, which the lab must never delete.
  const victim = path.join(scratch, 'victim');
  mkdirSync(victim, { mode: 0o755 });
  const victimFiles = Array.from({ length: 50 }, (_, i) => `fd${i}.txt`);
  for (const name of victimFiles) {
    writeFileSync(path.join(victim, name), 'not the lab\'s\n');
    if (isRoot) chownSync(path.join(victim, name), NOBODY, NOBODY);
  }
  if (isRoot) chownSync(victim, NOBODY, NOBODY);

  const stop = path.join(scratch, 'stop');
  const [aside, link] = [path.join(runsDir, '.aside'), path.join(runsDir, '.link')];
  const swapper = spawn(process.execPath, ['-e', SWAPPER, doomed, aside, link, victim, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  swapper.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => swapper.on('exit', () => resolve()));

  const folder = new RunsFolder(runsDir);
  const until = Date.now() + 4000;
  let prunes = 0;
  try {
    while (Date.now() < until && readdirSync(victim).length === victimFiles.length) {
      await folder.prune();
      prunes++;
    }
  } finally {
    writeFileSync(stop, '');
    await exited;
  }
  assert.deepEqual(readdirSync(victim).sort(), [...victimFiles].sort(), `files outside the runs folder were deleted (after ${prunes} prunes)`);
  assert.ok(Number(printed) > 0, `pruning deleted the real run folder too, between swaps (${printed} times in ${prunes} prunes)`);
  for (let n = 10; n < 10 + KEEP_RUNS; n++) assert.ok(existsSync(path.join(runsDir, runName(n), 'fd1.txt')), `newest run ${n} kept`);
});
