// The Import dialog's requests through browser mode's WebSocket, as the app makes them:
// a shell line, a running process, the process picker, and params refused at their field.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, test } from 'node:test';

import type { ImportOutcome, ImportResult, ProcessEntry } from '../../src/shared/import';
import { suiteLab } from '../support/api-client';

describe('import through the API', () => {
  const suite = suiteLab('proclab-import-');

  test('importShell answers a profile and its warnings', async () => {
    const imported = await suite.client.result<ImportResult>('importShell', 'env -i A=1 setsid prog >out 2>&1');
    assert.deepEqual(imported.profile.env, ['A=1']);
    assert.equal(imported.profile.inheritEnv, false);
    assert.deepEqual(imported.profile.sys, { setsid: true });
    assert.equal(imported.warnings.length, 2, JSON.stringify(imported.warnings));
  });

  test('importProcess and listProcesses see a process started here; a gone pid is an answer, not an error', async (t) => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore', cwd: os.tmpdir() });
    t.after(() => child.kill('SIGKILL'));
    await new Promise((resolve) => child.once('spawn', resolve));
    const listed = await suite.client.result<ProcessEntry[]>('listProcesses');
    assert.deepEqual(listed.find((p) => p.pid === child.pid)?.command, 'sleep 30');
    const imported = await suite.client.result<ImportOutcome>('importProcess', child.pid);
    assert.ok(imported.ok, JSON.stringify(imported));
    assert.deepEqual(imported.profile.args, ['sleep', '30']);
    assert.equal(imported.profile.dir, os.tmpdir());
    assert.deepEqual(await suite.client.result<ImportOutcome>('importProcess', 4_194_304), { ok: false, message: 'no process 4194304' });
  });

  test('a blank line or a pid out of range is refused, naming the param', async () => {
    const blank = await suite.client.call('importShell', ' \n');
    assert.ok('error' in blank && blank.error.message === 'invalid params for importShell: [0]: expected a command line, not a blank one', JSON.stringify(blank));
    const refused = await suite.client.call('importProcess', 0);
    assert.ok('error' in refused && /^invalid params for importProcess: \[0\]: /.test(refused.error.message), JSON.stringify(refused));
  });
});
