// Browser mode's server against someone who should not get in: wrong tokens are counted
// per source (all of loopback as one) and a source past the limit is answered 429, and
// thousands of malformed or hostile messages neither crash it nor launch anything.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';

import { AUTH_THROTTLE, AuthThrottle } from '../../src/main/lab/auth-throttle';
import { startLabServer, type LabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import type { RunUpdate } from '../../src/shared/api';
import { waitFor } from '../support/lab-api';
import { prng } from '../support/prng';

describe('auth throttle', () => {
  test('blocks an address after the limit within the window, and lets it in again later', () => {
    let now = 0;
    const throttle = new AuthThrottle(() => now);
    for (let i = 0; i < AUTH_THROTTLE.LIMIT - 1; i++) throttle.recordFailure('a');
    assert.equal(throttle.isBlocked('a'), false);
    throttle.recordFailure('a');
    assert.equal(throttle.isBlocked('a'), true);
    assert.equal(throttle.isBlocked('b'), false, 'other addresses are not affected');
    now += AUTH_THROTTLE.BLOCK_MS + 1;
    assert.equal(throttle.isBlocked('a'), false);
  });

  test('failures older than the window do not count', () => {
    let now = 0;
    const throttle = new AuthThrottle(() => now);
    for (let i = 0; i < AUTH_THROTTLE.LIMIT - 1; i++) throttle.recordFailure('a');
    now += AUTH_THROTTLE.WINDOW_MS + 1;
    throttle.recordFailure('a');
    assert.equal(throttle.isBlocked('a'), false);
  });

  // Issue 11: 127.0.0.0/8 gives anyone on this machine 16 million addresses.
  test('all of loopback is one source: 127.0.0.0/8, ::1, and 127.x mapped into IPv6', () => {
    const throttle = new AuthThrottle(() => 0);
    const loopback = ['127.0.0.1', '127.0.0.2', '127.1.2.3', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::ffff:127.9.9.9'];
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) throttle.recordFailure(loopback[i % loopback.length]!);
    for (const address of [...loopback, '127.0.0.99']) assert.equal(throttle.isBlocked(address), true, address);
    assert.equal(throttle.isBlocked('10.0.0.1'), false, 'other addresses are not affected');
    assert.equal(throttle.isBlocked('::ffff:10.0.0.1'), false);
  });

  test('a block is never forgotten early, however many other sources fail after it', () => {
    let now = 0;
    const throttle = new AuthThrottle(() => now);
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) throttle.recordFailure('10.0.0.1');
    for (let i = 0; i < 5000; i++) throttle.recordFailure(`10.1.${i >> 8}.${i & 255}`);
    assert.equal(throttle.isBlocked('10.0.0.1'), true);
    now += AUTH_THROTTLE.BLOCK_MS + 1;
    assert.equal(throttle.isBlocked('10.0.0.1'), false, 'it ends when its minute is up');
  });
});

describe('browser mode server under attack', () => {
  let service: LabService;
  let server: LabServer;
  let origin: string;
  let goodUrl: string;
  const updates: RunUpdate[] = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-hostile-'));

  before(async () => {
    const rendererDir = path.join(scratch, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Process Lab</title>');
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
    service.onRunUpdate((u) => updates.push(u));
    server = await startLabServer({ api: service, rendererDir, port: 0 });
    const url = new URL(server.url);
    origin = url.origin;
    goodUrl = `ws://127.0.0.1:${server.port}/api?token=${url.searchParams.get('token')}`;
  });
  after(async () => {
    await server.close();
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('thousands of malformed and hostile messages: each answered with an error, nothing launched, still serving', async () => {
    const ws = new WebSocket(goodUrl, { origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers: { id?: number; error?: { message: string }; result?: unknown }[] = [];
    ws.on('message', (data) => answers.push(JSON.parse(data.toString())));
    const hostile: string[] = [
      'not json',
      '',
      'null',
      '[]',
      '42',
      '{"id": "x", "method": "listProfiles", "params": []}',
      '{"id": 1.5, "method": "listProfiles", "params": []}',
      JSON.stringify({ id: 1, method: '__proto__', params: [] }),
      JSON.stringify({ id: 1, method: 'constructor', params: [] }),
      JSON.stringify({ id: 1, method: 'toString', params: [] }),
      JSON.stringify({ id: 1, method: 'launch' }),
      JSON.stringify({ id: 1, method: 'launch', params: 'x' }),
      JSON.stringify({ id: 1, method: 'launch', params: [null] }),
      JSON.stringify({ id: 1, method: 'launch', params: [{ version: 1, name: 'x', path: '/bin/true\0', args: ['true'] }] }),
      JSON.stringify({ id: 1, method: 'launch', params: [{ version: 1, name: 'x', path: '/bin/true', args: ['true'], files: [{ type: 'inherit', fd: -1 }] }] }),
      '{"id": 1, "method": "launch", "params": [{"__proto__": {"polluted": true}, "version": 1, "name": "x", "path": "/bin/true", "args": ["true"]}]}',
      '{"id": 1, "method": "saveProfile", "params": [{"constructor": {"prototype": {"polluted": true}}}]}',
      JSON.stringify({ id: 1, method: 'signal', params: ['no-such-run', 'SIGKILL', false] }),
      JSON.stringify({ id: 1, method: 'signal', params: ['x', 'SIGSEGV', false] }),
      JSON.stringify({ id: 1, method: 'input', params: ['x', 'y'.repeat(1_500_000)] }),
      JSON.stringify({ id: 1, method: 'resize', params: ['x', -1, 1e12] }),
      JSON.stringify({ id: 1, method: 'deleteProfile', params: ['../../etc/passwd'] }),
      JSON.stringify({ id: 1, method: 'sandboxPlan', params: [Array(5000).fill(1), []] }),
    ];
    const next = prng(61751);
    const random = (n: number) => Math.floor(next() * n);
    const junk = () => JSON.stringify({ id: random(1e6), method: ['launch', 'saveProfile', 'plan', 'validate', 'x'][random(5)], params: [{ [String.fromCharCode(random(65536))]: 'x'.repeat(random(100)) }, random(3) === 0 ? null : 'z'] });
    const messages = [...hostile, ...Array.from({ length: 2000 }, junk)];
    for (const m of messages) ws.send(m);
    const ping = 9_999_999;
    ws.send(JSON.stringify({ id: ping, method: 'listProfiles', params: [] }));
    await waitFor('the answer after the storm', () => answers.find((a) => a.id === ping), 20_000);
    assert.equal(answers.length, messages.length + 1, 'every message answered');
    // Refused: an error (the request itself is malformed), or a result that says no.
    const refused = (a: (typeof answers)[number]) => {
      const result = a.result as { ok?: boolean; errors?: unknown[] } | undefined;
      return a.error !== undefined || result?.ok === false || (result?.errors?.length ?? 0) > 0;
    };
    const accepted = answers.filter((a) => a.id !== ping && !refused(a));
    assert.deepEqual(accepted, [], 'every hostile message was refused');
    assert.equal(updates.filter((u) => u.kind === 'started').length, 0, 'nothing was launched');
    assert.equal(({} as { polluted?: boolean }).polluted, undefined, 'no prototype was polluted');
    ws.close();
  });
});
