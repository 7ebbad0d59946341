// "Launch the probe instead" (issue 10): the probe runs wherever the profile's program
// would, a chroot jail with nothing in it included, and its report reaches the lab through
// a memfd, never a file in a shared folder; and the table read from /proc agrees with the
// probe's own on close-on-exec, pty runs included.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { ProbeReport } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { launch, launchProbe } from '../../src/main/lab/index';
import { readProcFds } from '../../src/main/lab/observe';
import { isRoot, METHODS, scratchDir } from '../support/probe';

const ROOT_ONLY = isRoot ? {} : { skip: 'chroot and credentials need root' };

const profile = (overrides: Partial<Profile>): Profile => ({
  version: 1, name: 'jailed', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], ...overrides,
});

// TMPDIR (what os.tmpdir() reads) set to a fresh folder until the test ends.
function useOwnTmpdir(t: { after(fn: () => void): void }): string {
  const dir = scratchDir(t);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  t.after(() => (before === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = before)));
  return dir;
}

async function probeOf(p: Profile): Promise<ProbeReport> {
  const run = launchProbe(p);
  const result = await run.result;
  assert.equal(result.execError, null, JSON.stringify(result.execError));
  assert.ok(run.probeReport, 'the probe wrote its report');
  return JSON.parse(run.probeReport.text) as ProbeReport;
}

describe('the probe in a chroot jail that holds nothing but an empty /tmp', () => {
  for (const method of METHODS) {
    for (const credential of [undefined, { uid: 65534, gid: 65534, groups: [] }]) {
      test(`${credential ? 'as uid 65534: ' : ''}the observed table is there (${method})`, ROOT_ONLY, async (t) => {
        const jail = scratchDir(t);
        chmodSync(jail, 0o755);  // searchable by the dropped uid
        mkdirSync(path.join(jail, 'tmp'));
        chmodSync(path.join(jail, 'tmp'), 0o1777);
        // The lab's shared temp folder, for this test alone: other tests' scratch folders,
        // made beside it meanwhile, are not taken for something the probe left.
        const sharedTmp = useOwnTmpdir(t);
        const report = await probeOf(profile({ sys: { chroot: jail, ...(credential && { credential }) }, dir: '/tmp', engine: { method } }));
        assert.deepEqual(report.fds.map((f) => f.fd), [0, 1, 2], 'the profile\'s files, and not the report\'s memfd');
        assert.ok(report.fds.every((f) => !f.cloexec));
        assert.equal(report.uid, credential ? 65534 : 0);
        assert.equal(report.cwd, '/tmp', 'its dir, inside the jail');
        assert.equal(report.root, null, 'no /proc in the jail: what needs it is null');
        assert.deepEqual(readdirSync(path.join(jail, 'tmp')), [], 'nothing written in the jail');
        assert.deepEqual(readdirSync(sharedTmp), [], 'nothing written in the shared temp folder');
      });
    }
  }
});

describe("the probe's report", () => {
  test('is on no path: the probe is told a descriptor, which it leaves out of its table', async () => {
    const run = launchProbe(profile({}));
    const result = await run.result;
    const report = JSON.parse(run.probeReport!.text) as ProbeReport;
    assert.ok(!report.argv.some((a) => a.includes('/')), JSON.stringify(report.argv));
    const placed = result.trace.find((t) => t.step === 'report');
    assert.match(placed?.call ?? '', /^dup3\(\d+, \d+, 0\)$/);
    assert.match(result.trace.at(-1)!.call, /^execveat\(\d+, "", /);
  });

  test('a probe that never ran has none', async () => {
    const run = launchProbe(profile({ dir: '/nonexistent' }));
    const result = await run.result;
    assert.equal(result.execError?.step, 'chdir');
    assert.equal(run.probeReport, undefined);
  });
});

describe('close-on-exec as /proc shows it', () => {
  const ptyProfile = (program: string[]): Profile => ({
    version: 1, name: 'pty', path: program[0]!, args: program, files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true },
  });

  test("a pty run's table from /proc agrees with the probe's: fds 0-2 are not close-on-exec", async () => {
    const run = launch(ptyProfile(['/bin/sleep', '5']));
    const pid = (await run.started)!;
    const seen = readProcFds(pid);
    await run.kill('SIGKILL');
    await run.result;
    assert.deepEqual(seen.fds.filter((f) => f.fd <= 2).map((f) => [f.fd, f.cloexec]), [[0, false], [1, false], [2, false]]);
    const report = await probeOf(ptyProfile(['/bin/sleep', '5']));
    assert.deepEqual(report.fds.map((f) => [f.fd, f.cloexec]), [[0, false], [1, false], [2, false]]);
  });
});
