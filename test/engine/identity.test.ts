// Which file each child slot came from, by identity (fstat's dev and ino): the engine
// records every source just before the clone, and the probe reports the same identity for
// the descriptor it received. That equality is what "predicted equals observed" rests on.
import assert from 'node:assert/strict';
import { closeSync, fstatSync, openSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { engine, type NativeMessage, type NativeSpec } from '../../src/main/lab/engine';
import { sandboxSpec } from '../../src/main/lab/sandbox';
import type { Profile } from '../../src/shared/profile';
import type { FdIdentity, RunResult } from '../../src/shared/result';
import { METHODS, probe, probeProfile, runProfile, scratchDir } from '../support/probe';

const identity = (st: { dev: number; ino: number }): FdIdentity => ({ dev: st.dev, ino: st.ino });

function launchFds(result: RunResult): NonNullable<RunResult['fds']> {
  assert.ok(result.fds, `no fds in the result: ${JSON.stringify(result)}`);
  return result.fds;
}

// A descriptor number this process does not have open.
function unusedFd(): number {
  for (let fd = 900; ; fd++) {
    try {
      fstatSync(fd);
    } catch {
      return fd;
    }
  }
}

for (const method of METHODS) {
  describe(`source identities (${method})`, () => {
    test('each slot records fstat of its host fd; closed slots record null', async (t) => {
      const dir = scratchDir(t);
      const log = path.join(dir, 'log');
      const readable = path.join(dir, 'readable');
      writeFileSync(readable, 'r\n');
      const a = openSync(path.join(dir, 'a'), 'w');
      const b = openSync(readable, 'r');
      t.after(() => [a, b].forEach((fd) => closeSync(fd)));
      const files: Profile['files'] = [
        { type: 'null' },
        { type: 'pipe' },
        { type: 'pipe' },
        { type: 'inherit', fd: a },
        { type: 'inherit', fd: b },
        { type: 'closed' },
        { type: 'file', path: log, mode: 'a', create: true },
        { type: 'inherit', fd: a },
      ];
      const result = await runProfile({ version: 1, name: 'ids', path: '/bin/true', args: ['true'], files, engine: { method } });
      assert.equal(result.execError, null);
      const fds = launchFds(result);

      assert.equal(fds.slotFds.length, 8);
      assert.deepEqual([fds.slotFds[3], fds.slotFds[4], fds.slotFds[5], fds.slotFds[7]], [a, b, -1, a]);
      assert.equal(fds.sourceIds.length, 8);
      assert.deepEqual(fds.sourceIds[3], identity(fstatSync(a)));
      assert.deepEqual(fds.sourceIds[4], identity(fstatSync(b)));
      assert.deepEqual(fds.sourceIds[7], identity(fstatSync(a)));
      assert.equal(fds.sourceIds[5], null);
      // Opened by the lab for this launch and closed since: known by their paths.
      assert.deepEqual(fds.sourceIds[0], identity(statSync('/dev/null')));
      assert.deepEqual(fds.sourceIds[6], identity(statSync(log)));
      // Two pipes and the status pipe: one pipe filesystem, three different pipes.
      const pipes = [fds.sourceIds[1], fds.sourceIds[2], fds.statusId];
      assert.ok(pipes.every((p) => p !== null && p.dev === fds.statusId!.dev));
      assert.equal(new Set(pipes.map((p) => p!.ino)).size, 3);
      assert.ok(fds.statusFd >= 0 && !fds.slotFds.includes(fds.statusFd));
    });

    // The schema refuses an inherited fd that is not open; the engine itself is asked here,
    // as it would be if the fd were closed before the launch: it fails at open, no child.
    test('an inherited fd that is not open at launch() fails at open with EBADF', async () => {
      const missing = unusedFd();
      const spec: NativeSpec = {
        ...sandboxSpec(3),
        files: [{ type: 'null' }, { type: 'inherit', fd: missing }, { type: 'closed' }],
        method,
      };
      const messages: NativeMessage[] = [];
      await new Promise<void>((resolve) => {
        engine().launch(spec, (m) => {
          messages.push(m);
          if (m.type === 'spawned') resolve();
        });
      });
      const spawned = messages[0];
      assert.ok(spawned?.type === 'spawned' && spawned.parentFailure, JSON.stringify(spawned));
      assert.deepEqual(spawned.parentFailure, { step: 'open', errno: 9 /* EBADF */, slot: 1 });
    });

    test('the probe receives on each fd exactly the source its slot recorded', async (t) => {
      const dir = scratchDir(t);
      const log = path.join(dir, 'log');
      const a = openSync(path.join(dir, 'a'), 'w');
      const b = openSync(path.join(dir, 'b'), 'w');
      t.after(() => [a, b].forEach((fd) => closeSync(fd)));
      // Slots that cross (a slot takes a low host fd, a host fd lands on another's slot),
      // so the plan moves descriptors in pass 1 as well as pass 2.
      const width = Math.max(a, b) + 2;
      const files: NonNullable<Profile['files']> = Array.from({ length: width }, () => ({ type: 'closed' as const }));
      files[0] = { type: 'null' };
      files[1] = { type: 'pipe' };
      files[2] = { type: 'pipe' };
      files[3] = { type: 'file', path: log, mode: 'w', create: true };
      files[4] = { type: 'pty' };
      files[a] = { type: 'inherit', fd: b };
      files[b] = { type: 'inherit', fd: a };
      files[width - 1] = { type: 'inherit', fd: a };
      const { result, report } = await probe(probeProfile({ files, engine: { method } }));
      const fds = launchFds(result);

      const observed = report.fds.map((f) => [f.fd, { dev: f.dev, ino: f.ino }]);
      const predicted = fds.sourceIds.flatMap((id, slot) => (id ? [[slot, id]] : []));
      assert.deepEqual(observed, predicted);
      assert.equal(observed.length, 8, 'null, two pipes, a file, the pty and three inherited');
      assert.deepEqual(fds.sourceIds[a], identity(fstatSync(b)));
      assert.deepEqual(fds.sourceIds[b], identity(fstatSync(a)));
      assert.ok(!report.fds.some((f) => f.dev === fds.statusId!.dev && f.ino === fds.statusId!.ino), 'the status pipe is gone');
    });
  });
}
