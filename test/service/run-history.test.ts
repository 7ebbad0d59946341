// The recent runs after a reload or a restart (issue 11): each run that ends leaves a
// summary in its run folder (run.json, 0600: status, exec error, saved output files), even
// a run without output; listRecentRuns lists them newest first, at most KEEP_RUNS, only
// from run folders the lab made, marking those of an earlier start of the lab; and pruning
// still deletes old run folders, summaries and all.
// Run: node --import tsx --test test/service/run-history.test.ts
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

import type { LaunchOutcome, RunSummary } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { KEEP_RUNS } from '../../src/main/lab/runs-folder';
import { LabService } from '../../src/main/lab/service';
import { UpdateLog, waitFor } from '../support/lab-api';

const CAPTURED: Profile['files'] = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }];

function scratch(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proclab-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openLab(t: TestContext, home: string): Promise<{ service: LabService; log: UpdateLog }> {
  const service = await LabService.open({ profilesDir: path.join(home, 'profiles') });
  t.after(() => service.dispose());
  const log = new UpdateLog();
  service.onRunUpdate(log.listener);
  return { service, log };
}

function runIdOf(outcome: LaunchOutcome): string {
  assert.ok(outcome.ok, `launch refused: ${JSON.stringify(outcome)}`);
  return outcome.runId;
}

/** The run folder of a run, by its id. */
function runFolderOf(runsDir: string, runId: string): string {
  const name = readdirSync(runsDir).find((n) => n.endsWith(`-${runId}`));
  assert.ok(name, `no run folder for ${runId}`);
  return path.join(runsDir, name);
}

/** A run folder as the lab names and makes it, `n` minutes into 2020, with a summary in it. */
function fakeRun(runsDir: string, n: number, summary: Partial<RunSummary> = {}): { folder: string; runId: string } {
  const runId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const launchedAtMs = Date.UTC(2020, 0, 1, 0, n);
  const folder = path.join(runsDir, `${new Date(launchedAtMs).toISOString().replace(/:/g, '-')}-${runId}`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const full: RunSummary = {
    runId,
    profileName: `run ${n}`,
    probe: false,
    launchedAtMs,
    pid: 1000 + n,
    path: '/bin/true',
    status: { kind: 'exited', code: 0 },
    execError: null,
    timedOut: false,
    durationMs: 1,
    savedOutput: {},
    ...summary,
  };
  writeFileSync(path.join(folder, 'run.json'), JSON.stringify({ version: 1, ...full }), { mode: 0o600 });
  return { folder, runId };
}

test('a run that ends leaves its summary (0600) in its run folder, and is listed with its status and saved output', async (t) => {
  const home = scratch(t);
  const { service, log } = await openLab(t, home);
  const runId = runIdOf(
    await service.launch({ version: 1, name: 'says hello', path: '/bin/sh', args: ['sh', '-c', 'echo hello; exit 3'], files: CAPTURED }),
  );
  await log.done(runId);

  const folder = runFolderOf(path.join(home, 'runs'), runId);
  const summaryFile = path.join(folder, 'run.json');
  assert.equal(statSync(summaryFile).mode & 0o777, 0o600);
  assert.ok(statSync(summaryFile).size < 4096, 'a small file');

  const [run, ...others] = await service.listRecentRuns();
  assert.equal(others.length, 0);
  assert.equal(run?.runId, runId);
  assert.equal(run.profileName, 'says hello');
  assert.equal(run.earlierSession, false, 'launched by the lab that answers');
  assert.deepEqual(run.status, { kind: 'exited', code: 3 });
  assert.equal(run.execError, null);
  assert.deepEqual(Object.keys(run.savedOutput), ['1']);
  assert.equal(run.savedOutput['1']!.path, path.join(folder, 'fd1.txt'));
  assert.equal(readFileSync(run.savedOutput['1']!.path, 'utf8'), 'hello\n');
});

test('a run without output that failed before exec is kept too, exec error and all, in a run folder made 0700 for it', async (t) => {
  const home = scratch(t);
  const { service, log } = await openLab(t, home);
  const runId = runIdOf(
    await service.launch({ version: 1, name: 'no such dir', path: '/bin/true', args: ['true'], dir: '/nonexistent/dir', files: [{ type: 'null' }] }),
  );
  await log.done(runId);
  const folder = runFolderOf(path.join(home, 'runs'), runId);
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(folder), ['run.json']);

  const [run] = await service.listRecentRuns();
  assert.equal(run?.runId, runId);
  assert.equal(run.execError?.step, 'chdir');
  assert.equal(run.execError?.code, 'ENOENT');
  assert.deepEqual(run.status, { kind: 'exited', code: 253 });
  assert.deepEqual(run.savedOutput, {});
});

test('after a restart the runs are listed as from an earlier session, and their saved output can still be fetched', async (t) => {
  const home = scratch(t);
  const first = await openLab(t, home);
  const runId = runIdOf(await first.service.launch({ version: 1, name: 'before', path: '/bin/echo', args: ['echo', 'kept'], files: CAPTURED }));
  await first.log.done(runId);
  await first.service.dispose();

  const { service: restarted } = await openLab(t, home);
  const [run] = await restarted.listRecentRuns();
  assert.equal(run?.runId, runId);
  assert.equal(run.earlierSession, true);
  const saved = restarted.savedOutput(runId, '1');
  assert.ok(saved, 'the saved output of an earlier run is found by run id and key');
  assert.equal(readFileSync(saved.path, 'utf8'), 'kept\n');
});

test('only the newest KEEP_RUNS, newest first, only from run folders the lab made; a bad summary is skipped', async (t) => {
  const home = scratch(t);
  const runsDir = path.join(home, 'runs');
  for (let n = 10; n < 10 + KEEP_RUNS + 5; n++) fakeRun(runsDir, n);
  const newest = 10 + KEEP_RUNS + 4;
  // Among the newest: a summary that does not parse, one of another run, one naming a file
  // outside its run folder, a run folder others may read, a symlink to a run folder.
  writeFileSync(path.join(fakeRun(runsDir, newest - 1).folder, 'run.json'), '{"version":1,"runId"');
  const otherRun = fakeRun(runsDir, newest - 2);
  writeFileSync(path.join(otherRun.folder, 'run.json'), readFileSync(path.join(fakeRun(runsDir, 1).folder, 'run.json')));
  fakeRun(runsDir, newest - 3, { savedOutput: { 1: { path: '/etc/passwd', bytes: 10 } } });
  chmodSync(fakeRun(runsDir, newest - 4).folder, 0o755);
  const elsewhere = fakeRun(path.join(home, 'elsewhere'), 99);
  symlinkSync(elsewhere.folder, path.join(runsDir, `${new Date(Date.UTC(2030, 0, 1)).toISOString().replace(/:/g, '-')}-${elsewhere.runId}`));

  const { service } = await openLab(t, home);
  const runs = await service.listRecentRuns();
  const minutes = runs.map((r) => new Date(r.launchedAtMs).getUTCMinutes());
  const expected: number[] = [];
  for (let n = newest; n > newest - KEEP_RUNS; n--) if (![newest - 1, newest - 2, newest - 4].includes(n)) expected.push(n);
  // The symlink sorts newest and takes one place of KEEP_RUNS; it is never listed.
  expected.pop();
  assert.deepEqual(minutes, expected);
  assert.deepEqual(runs.find((r) => r.launchedAtMs === Date.UTC(2020, 0, 1, 0, newest - 3))?.savedOutput, {}, 'no path outside its run folder');
  assert.ok(runs.every((r) => r.earlierSession));
});

test('pruning deletes old run folders with their summaries: the runs folder stays bounded', async (t) => {
  const home = scratch(t);
  const runsDir = path.join(home, 'runs');
  const old = Array.from({ length: KEEP_RUNS }, (_, i) => fakeRun(runsDir, i + 1).folder);
  const { service, log } = await openLab(t, home);
  // Runs without output make their folder for the summary: they prune too.
  for (let i = 0; i < 3; i++) await log.done(runIdOf(await service.launch({ version: 1, name: 'quiet', path: '/bin/true', args: ['true'], files: [] })));
  await waitFor('the last prune', () => readdirSync(runsDir).length === KEEP_RUNS);
  assert.deepEqual(old.slice(0, 3).map(existsSync), [false, false, false], 'the three oldest are gone');
  assert.equal((await service.listRecentRuns()).length, KEEP_RUNS);
});
