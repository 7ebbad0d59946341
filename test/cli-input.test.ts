// `proclab run`: the child's input. A pty profile run from a terminal gets the terminal's
// size and every key typed, even before the run has started; input piped to the CLI goes to
// the child's fd 0 pipe (after the profile's `stdin`) or to its terminal, then its end.
// Run: npm run --silent build:lib && node --import tsx --test test/cli-input.test.ts
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { CLI, ROOT, scratchDir, sleep, SPAWN_TIMEOUT_MS, TEST_TIMEOUT_MS, writeProfile, type JsonObject } from './support/cli-helpers';
import { noTerminalHarness, runInTerminal } from './support/in-terminal';

const T = { timeout: TEST_TIMEOUT_MS };

// `sh -c SCRIPT` with stdio on this run's pseudo-terminal (or the files given).
const shell = (script: string, overrides: JsonObject = {}): JsonObject => ({
  version: 1,
  name: 'shell',
  path: '/bin/sh',
  args: ['sh', '-c', script],
  env: ['PATH=/usr/bin:/bin'],
  files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }],
  // A child left waiting for input it never gets ends here, and the test says so.
  timeoutMs: 3000,
  ...overrides,
});

const PIPES = [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }];

// Opens FIFO for writing once a reader waits on it (without blocking this thread), and
// closes it again.
async function openWriter(fifo: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      return closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (err) {
      // ENXIO: no reader yet.
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || tries === 30) throw err;
      await sleep(100);
    }
  }
}

// `proclab run FILE` with INPUT on its stdin (a pipe, ended after it).
function runWithInput(file: string, input: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, 'run', file], { cwd: ROOT, input, timeout: SPAWN_TIMEOUT_MS, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

describe('proclab run in a terminal, on a pty profile', { skip: noTerminalHarness }, () => {
  test("the child's terminal gets our size (50x132), asked before the run had started", T, async (t) => {
    const file = writeProfile(scratchDir(t), shell('echo ready; read line; stty size'));
    // The Enter comes once the child is running: only the size is early. (The size lands
    // just after the child's execve: a child that asks at once may still see 24x80.)
    const session = await runInTerminal([process.execPath, CLI, 'run', file], {
      rows: 50,
      cols: 132,
      timeoutMs: SPAWN_TIMEOUT_MS,
      answers: [['ready', '\n']],
    });
    assert.match(session.output, /^50 132\r?$/m, session.output);
    assert.match(session.output, /exited with status 0/, session.output);
  });

  test('keys typed before the run has started reach the child', T, async (t) => {
    const dir = scratchDir(t);
    // The launch waits to open a FIFO (fifo(7): until a writer comes) on its fd 3, long
    // after the CLI has read what was typed.
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const file = writeProfile(dir, shell('read line; echo "got:$line"', { files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }, { type: 'file', path: fifo, mode: 'r' }] }));
    const session = runInTerminal([process.execPath, CLI, 'run', file], {
      rows: 24,
      cols: 80,
      timeoutMs: SPAWN_TIMEOUT_MS,
      early: 'typed-early\n',
    });
    await sleep(1000);
    await openWriter(fifo);  // lets the launch go on
    const { output } = await session;
    assert.match(output, /got:typed-early/, output);
    assert.match(output, /exited with status 0/, output);
  });
});

describe('proclab run with input piped to it', () => {
  test('`echo hi | proclab run`: the pipe on fd 0 carries it, then EOF', T, (t) => {
    const file = writeProfile(scratchDir(t), shell('read line; echo "got:$line"; cat; echo eof', { files: PIPES }));
    const r = spawnSync('/bin/sh', ['-c', `printf 'hi\\nmore\\n' | "$0" "$1" run "$2"`, process.execPath, CLI, file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: SPAWN_TIMEOUT_MS,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'got:hi\nmore\neof\n');
    assert.match(r.stderr, /exited with status 0/);
  });

  test('every byte value passes unchanged to the pipe on fd 0', T, (t) => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    // od shows what the child read, one hex byte at a time.
    const file = writeProfile(scratchDir(t), shell('od -An -v -tx1', { files: PIPES }));
    const r = runWithInput(file, bytes);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split(/\s+/).filter(Boolean).join(' '), bytes.toString('hex').match(/../g)!.join(' '));
  });

  test("the profile's stdin comes first, then the piped input", T, (t) => {
    const file = writeProfile(scratchDir(t), shell('cat', { files: PIPES, stdin: 'from the profile\n' }));
    const r = runWithInput(file, 'from the pipe\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'from the profile\nfrom the pipe\n');
  });

  test('a pty profile gets the piped lines as typed, then end-of-file', T, (t) => {
    const file = writeProfile(scratchDir(t), shell('while read line; do echo "got:$line"; done; echo eof'));
    const r = runWithInput(file, 'one\ntwo\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /got:one\r?\n/);
    assert.match(r.stdout, /got:two\r?\n/);
    assert.match(r.stdout, /eof/);
    assert.match(r.stderr, /exited with status 0/, 'the child saw the end of the input, not the timeout');
  });

  test('a last line without a newline still reaches a pty child, then end-of-file', T, (t) => {
    const file = writeProfile(scratchDir(t), shell('cat; echo eof'));
    const r = runWithInput(file, 'no newline');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no newline/);
    assert.match(r.stdout, /eof/);
    assert.match(r.stderr, /exited with status 0/);
  });

  test('stdin on /dev/null: nothing is sent, not even an end-of-file to a terminal', T, (t) => {
    const file = writeProfile(scratchDir(t), shell('read line; echo "read returned $?"', { timeoutMs: 600 }));
    const r = spawnSync(process.execPath, [CLI, 'run', file], { cwd: ROOT, encoding: 'utf8', timeout: SPAWN_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /read returned/);
    assert.match(r.stderr, /timed out|SIGKILL/);
  });

  test('a child done before its input ends: the CLI exits, it does not wait for the rest', T, (t) => {
    const file = writeProfile(scratchDir(t), shell('read line; echo "got:$line"', { files: PIPES }));
    return new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'run', file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      const killer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
      child.stdin.on('error', () => {});  // EPIPE once the CLI is gone
      child.stdin.write('first\n');  // and the pipe stays open
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('close', (code, signal) => {
        clearTimeout(killer);
        child.stdin.destroy();
        try {
          assert.equal(signal, null, 'the CLI was killed: it waited for its stdin to end');
          assert.equal(code, 0);
          assert.equal(out, 'got:first\n');
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  });
});
