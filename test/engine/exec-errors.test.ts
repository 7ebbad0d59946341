// Every step that can end a launch, with the errno the kernel gave: a result, never an
// exception. The child reports {step, errno} on the status pipe and exits 253.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { METHODS, probeProfile, runProfile, scratchDir } from '../support/probe';

// The child got as far as the failing step: its trace ends there, with the errno.
function assertFailedAt(result: RunResult, step: string, code: string, errno: number): void {
  assert.deepEqual(
    { step: result.execError?.step, code: result.execError?.code, errno: result.execError?.errno },
    { step, code, errno },
  );
  assert.equal(typeof result.execError?.message, 'string');
  assert.deepEqual(result.status, { kind: 'exited', code: 253 });
  const last = result.trace.at(-1)!;
  assert.deepEqual([last.step, last.ok, last.code], [step, false, code]);
  assert.ok(result.trace.slice(0, -1).every((e) => e.ok || e.ignored), 'every earlier step went through');
  assert.equal(typeof result.pid, 'number');
}

for (const method of METHODS) {
  describe(`exec errors (${method})`, () => {
    const failing = (overrides: Partial<Profile>, probeArgs: string[] = []) =>
      runProfile(probeProfile({ ...overrides, engine: { method } }, probeArgs));

    test('execve ENOENT: the program does not exist', async () => {
      assertFailedAt(await failing({ path: '/nonexistent/program' }), 'execve', 'ENOENT', 2);
    });

    test('execve EACCES: the file is not executable', async (t) => {
      const file = path.join(scratchDir(t), 'not-executable');
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o644);
      assertFailedAt(await failing({ path: file }), 'execve', 'EACCES', 13);
    });

    test('execve ENOEXEC: executable, but no format the kernel knows', async (t) => {
      const file = path.join(scratchDir(t), 'garbage');
      writeFileSync(file, 'this is not a program\n');
      chmodSync(file, 0o755);
      assertFailedAt(await failing({ path: file }), 'execve', 'ENOEXEC', 8);
    });

    test('execve E2BIG: one argument longer than MAX_ARG_STRLEN (128 KiB)', async () => {
      assertFailedAt(await failing({}, ['x'.repeat(200 * 1024)]), 'execve', 'E2BIG', 7);
    });

    test('chdir ENOENT: the directory does not exist (versus execve ENOENT)', async () => {
      assertFailedAt(await failing({ dir: '/nonexistent/dir' }), 'chdir', 'ENOENT', 2);
    });

    test('setpgid EPERM after setsid: a session leader cannot change its group', async () => {
      assertFailedAt(await failing({ sys: { setsid: true, setpgid: true } }), 'setpgid', 'EPERM', 1);
    });

    test('setctty EPERM without setsid: only a session leader may take a terminal', async () => {
      const result = await failing({ files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }], sys: { setctty: true } });
      assertFailedAt(result, 'setctty', 'EPERM', 1);
    });

    test('setctty ENOTTY: fd 0 is not a terminal', async () => {
      assertFailedAt(await failing({ sys: { setsid: true, setctty: true } }), 'setctty', 'ENOTTY', 25);
    });

    test('noctty EBADF: fd 0 is closed', async () => {
      const result = await failing({ files: [{ type: 'closed' }, { type: 'pipe' }, { type: 'pipe' }], sys: { noctty: true } });
      assertFailedAt(result, 'noctty', 'EBADF', 9);
    });
  });
}

describe('errors before any child exists', () => {
  test('lookup: a bare name not found in the launch PATH', async () => {
    const result = await runProfile(probeProfile({ path: 'no-such-program-here', env: ['PATH=/nonexistent'] }));
    assert.equal(result.pid, null);
    assert.deepEqual(
      { step: result.execError?.step, code: result.execError?.code },
      { step: 'lookup', code: 'ENOENT' },
    );
    assert.equal(result.status, null);
    assert.deepEqual(result.trace, []);
  });

  test("open: a file source that can't be opened names its slot", async () => {
    const result = await runProfile(
      probeProfile({ files: [{ type: 'null' }, { type: 'pipe' }, { type: 'file', path: '/nonexistent/log', mode: 'w' }] }),
    );
    assert.equal(result.pid, null);
    assert.deepEqual(result.execError, {
      step: 'open',
      errno: 2,
      code: 'ENOENT',
      message: 'No such file or directory',
      file: 2,
    });
  });

  test('a bare name is found in the launch PATH, as exec.LookPath does', async () => {
    const result = await runProfile({ version: 1, name: 'true', path: 'true', args: ['true'], env: ['PATH=/nonexistent:/bin'] });
    assert.equal(result.path, '/bin/true');
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
  });
});
