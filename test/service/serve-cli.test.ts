// `proclab serve` as a user runs it: the one line with the URL, the warning off loopback,
// and a clean stop on SIGTERM that takes the lab's children with it.
// Run: node --import tsx --test test/service/serve-cli.test.ts (after npm run build:lib)
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import WebSocket from 'ws';

import { CLI, isAlive, ROOT, scratchDir } from '../support/cli-helpers';
import { waitFor } from '../support/lab-api';

interface Served {
  child: ChildProcess;
  url: URL;
  stdout: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(t: { after(fn: () => void): void }, args: string[]): Promise<Served> {
  const home = scratchDir(t);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, PROCLAB_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stdout: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  const line = await waitFor('the URL line', () => stdout[0]);
  const url = new URL(line.replace(/^Process Lab: /, ''));
  return { child, url, stdout, stderr: () => stderr, exited };
}

describe('proclab serve', () => {
  test('prints exactly one line, the URL with its token, and stops cleanly on SIGTERM, killing its runs', async (t) => {
    const served = await serve(t, []);
    assert.match(served.stdout[0]!, /^Process Lab: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    assert.equal(served.stderr(), '');

    const ws = new WebSocket(`ws://${served.url.host}/api${served.url.search}`, { origin: served.url.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const messages: { id?: number; result?: { runId: string }; event?: string; update?: { kind: string; pid: number | null } }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 1, method: 'launch', params: [{ version: 1, name: 'long', path: '/bin/sleep', args: ['sleep', '60'] }] }));
    const started = await waitFor('the started update', () => messages.find((m) => m.update?.kind === 'started'));
    const pid = started.update!.pid!;
    assert.ok(isAlive(pid));

    served.child.kill('SIGTERM');
    assert.equal(await served.exited, 0);
    assert.equal(isAlive(pid), false, 'the child was killed and reaped');
    assert.deepEqual(served.stdout, [served.stdout[0]], 'nothing else on stdout');
  });

  test('--profiles and --runs put the profiles and each run\'s saved output where they say', async (t) => {
    const dir = scratchDir(t);
    const [profiles, runs] = [path.join(dir, 'my-profiles'), path.join(dir, 'my-runs')];
    const served = await serve(t, ['--profiles', profiles, '--runs', runs]);
    const ws = new WebSocket(`ws://${served.url.host}/api${served.url.search}`, { origin: served.url.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const messages: { event?: string; update?: { kind: string; savedOutput?: Record<string, { path: string }> } }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    const profile = { version: 1, name: 'hello', path: '/bin/echo', args: ['echo', 'hello'], files: [{ type: 'null' }, { type: 'pipe' }] };
    ws.send(JSON.stringify({ id: 1, method: 'launch', params: [profile] }));
    const done = await waitFor('the done update', () => messages.find((m) => m.update?.kind === 'done'));
    const saved = done.update!.savedOutput!['1']!.path;
    assert.equal(path.dirname(path.dirname(saved)), runs);
    assert.equal(readFileSync(saved, 'utf8'), 'hello\n');
    assert.ok(readdirSync(profiles).some((name) => name.endsWith('.json')), 'the examples went to --profiles');
    served.child.kill('SIGTERM');
    assert.equal(await served.exited, 0);
  });

  test('off loopback it warns that anyone who can reach it can run programs as this user', async (t) => {
    const served = await serve(t, ['--host', '0.0.0.0']);
    assert.match(served.stdout[0]!, /^Process Lab: http:\/\/0\.0\.0\.0:\d+\/\?token=/);
    await waitFor('the warning', () => served.stderr().includes('warning:'));
    assert.match(served.stderr(), /anyone who can reach this address .* can run programs as \S+ on this machine/);
    assert.ok(!served.stderr().includes(served.url.searchParams.get('token')!), 'the token is printed once only');
    served.child.kill('SIGTERM');
    assert.equal(await served.exited, 0);
  });
});
