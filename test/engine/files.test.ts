// What descriptors the child really gets, observed by the probe, for every file source
// and for remappings that need the seed's pass 1.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { Profile } from '../../src/shared/profile';
import { fdTargets, METHODS, probe, probeProfile, runProfile, scratchDir } from '../support/probe';

for (const method of METHODS) {
  describe(`file sources (${method})`, () => {
    test('null, pipe and file sources land on their slots, and nothing else is open', async (t) => {
      const dir = scratchDir(t);
      const log = path.join(dir, 'log');
      writeFileSync(log, 'old\n');
      const { report } = await probe(
        probeProfile({
          files: [
            { type: 'null' },
            { type: 'pipe' },
            { type: 'pipe' },
            { type: 'file', path: log, mode: 'a' },
            { type: 'file', path: path.join(dir, 'new'), mode: 'w', create: true },
            { type: 'closed' },
            { type: 'file', path: log, mode: 'r' },
          ],
          engine: { method },
        }),
      );
      const byFd = new Map(report.fds.map((f) => [f.fd, f]));
      assert.deepEqual([...byFd.keys()], [0, 1, 2, 3, 4, 6]);
      assert.equal(byFd.get(0)!.target, '/dev/null');
      assert.equal(byFd.get(0)!.access, 'rw');
      assert.match(byFd.get(1)!.target!, /^pipe:\[\d+\]$/);
      assert.equal(byFd.get(1)!.access, 'w');
      assert.notEqual(byFd.get(1)!.target, byFd.get(2)!.target);
      assert.deepEqual([byFd.get(3)!.target, byFd.get(3)!.access, byFd.get(3)!.append], [log, 'w', true]);
      assert.deepEqual([byFd.get(4)!.target, byFd.get(4)!.access], [path.join(dir, 'new'), 'w']);
      assert.deepEqual([byFd.get(6)!.target, byFd.get(6)!.access], [log, 'r']);
      assert.ok(report.fds.every((f) => !f.cloexec), 'the child gets its files without close-on-exec');
    });

    test('stdin text reaches a pipe on fd 0, then EOF', async () => {
      const result = await runProfile({
        version: 1,
        name: 'cat',
        path: '/bin/cat',
        args: ['cat'],
        files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }],
        stdin: 'line one\nline two\n',
        engine: { method },
      });
      assert.equal(result.output['1'], 'line one\nline two\n');
      assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    });

    test('file modes write where they say: append keeps, truncate empties', async (t) => {
      const dir = scratchDir(t);
      const appended = path.join(dir, 'appended');
      const truncated = path.join(dir, 'truncated');
      writeFileSync(appended, 'old\n');
      writeFileSync(truncated, 'old old old\n');
      await runProfile(
        probeProfile(
          {
            files: [
              { type: 'null' },
              { type: 'file', path: appended, mode: 'a' },
              { type: 'file', path: truncated, mode: 'w', truncate: true },
            ],
            engine: { method },
          },
          ['--quiet', '--say', '1:new', '--say', '2:fresh'],
        ),
      );
      assert.equal(readFileSync(appended, 'utf8'), 'old\nnew\n');
      assert.equal(readFileSync(truncated, 'utf8'), 'fresh\n');
    });
  });
}

type FileSpecInput = NonNullable<Profile['files']>[number];

// Host descriptors opened here, inherited into slots that cross each other, so that the
// plan needs pass 1 (files[i] < i) as well as in-place slots (files[i] == i).
describe('inherited host fds remapped across each other', () => {
  for (const method of METHODS) {
    test(`every slot gets exactly its source (${method})`, async (t) => {
      const dir = scratchDir(t);
      const names = ['a', 'b', 'c', 'd'];
      const hostFds = names.map((n) => openSync(path.join(dir, n), 'w'));
      t.after(() => hostFds.forEach((fd) => closeSync(fd)));
      const [a, b, c, d] = hostFds;
      const width = Math.max(...hostFds) + 3;
      const files: FileSpecInput[] = Array.from({ length: width }, () => ({ type: 'closed' }));
      files[0] = { type: 'null' };
      files[1] = { type: 'pipe' };
      files[2] = { type: 'inherit', fd: d };
      files[d] = { type: 'inherit', fd: a };  // slot d takes a: fd a < d is moved up first
      files[a] = { type: 'inherit', fd: b };  // slot a takes b, whose own slot is busy
      files[b] = { type: 'inherit', fd: b };  // in place: only close-on-exec is cleared
      files[width - 1] = { type: 'inherit', fd: c };  // a high slot takes a low fd
      const { result, report } = await probe(probeProfile({ files, engine: { method } }));
      const targets = fdTargets(report);
      const file = (fd: number) => path.join(dir, names[hostFds.indexOf(fd)]);
      assert.equal(targets[2], file(d));
      assert.equal(targets[d], file(a));
      assert.equal(targets[a], file(b));
      assert.equal(targets[b], file(b));
      assert.equal(targets[width - 1], file(c));
      const open = report.fds.map((f) => f.fd);
      assert.deepEqual(open, [0, 1, 2, a, b, d, width - 1].sort((x, y) => x - y));
      const passOne = result.plan.filter((op) => op.pass === 1);
      assert.ok(passOne.length > 0, 'the remap needs pass 1');
      assert.ok(result.trace.every((e) => e.ok || e.ignored), JSON.stringify(result.trace));
    });
  }

  test('a stdout/stderr swap of host descriptors', async (t) => {
    const dir = scratchDir(t);
    const out = openSync(path.join(dir, 'out'), 'w');
    const err = openSync(path.join(dir, 'err'), 'w');
    t.after(() => [out, err].forEach((fd) => closeSync(fd)));
    await runProfile(
      probeProfile(
        {
          files: [
            { type: 'null' },
            { type: 'inherit', fd: err },
            { type: 'inherit', fd: out },
          ],
        },
        ['--quiet', '--say', '1:to fd 1', '--say', '2:to fd 2'],
      ),
    );
    assert.equal(readFileSync(path.join(dir, 'err'), 'utf8'), 'to fd 1\n');
    assert.equal(readFileSync(path.join(dir, 'out'), 'utf8'), 'to fd 2\n');
  });
});

describe('fewer than three files', () => {
  test('0, 1 and 2 are closed in the child, as the seed does', async (t) => {
    const dir = scratchDir(t);
    const report = path.join(dir, 'report.json');
    const result = await runProfile(probeProfile({ files: [{ type: 'null' }] }, ['--out-file', report]));
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    const fds = (JSON.parse(readFileSync(report, 'utf8')) as { fds: { fd: number }[] }).fds.map((f) => f.fd);
    assert.deepEqual(fds, [0]);
    const closes = result.plan.filter((op) => op.op === 'close').map((op) => op.call);
    assert.deepEqual(closes, ['close(1)', 'close(2)']);
  });
});
