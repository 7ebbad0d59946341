// Browser mode's server as a browser (or an intruder) meets it: the page and its assets,
// the WebSocket refused without the token or from another origin, and the API over it.
// Run: node --import tsx --test test/service/server.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PRODUCTION_CSP } from '../../src/shared/csp';
import { startLabServer, type LabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import { ApiClient } from '../support/api-client';
import { handshake, waitFor } from '../support/lab-api';

const INDEX_HTML = '<!doctype html><title>Process Lab</title><script type="module" src="./assets/app.js"></script>';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A raw GET: the path goes out exactly as written (fetch would normalise "..").
function get(port: number, requestPath: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: requestPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('browser mode server', () => {
  let service: LabService;
  let server: LabServer;
  let origin: string;
  let apiUrl: string;
  let token: string;
  let profilesDir: string;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-server-'));

  before(async () => {
    const rendererDir = path.join(scratch, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("lab");\n');
    writeFileSync(path.join(scratch, 'secret.txt'), 'outside the renderer\n');
    profilesDir = path.join(scratch, 'profiles');
    mkdirSync(profilesDir);
    service = await LabService.open({ profilesDir });
    server = await startLabServer({ api: service, rendererDir, port: 0 });
    const url = new URL(server.url);
    token = url.searchParams.get('token')!;
    origin = url.origin;
    apiUrl = `ws://127.0.0.1:${server.port}/api?token=${token}`;
  });
  after(async () => {
    await server.close();
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('its URL is http://127.0.0.1:PORT/?token=TOKEN with a 32-byte base64url token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  test('the page and its assets need no token, carry the CSP, and the page holds no token', async () => {
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['content-security-policy'], PRODUCTION_CSP);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.body, INDEX_HTML);
    assert.ok(!page.body.includes(token));
    assert.equal((await get(server.port, `/?token=${token}`)).body, INDEX_HTML);

    const script = await get(server.port, '/assets/app.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  });

  test('nothing outside the renderer folder is served', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/nope.js', '/assets/']) {
      const got = await get(server.port, p);
      assert.equal(got.status, 404, p);
      assert.ok(!got.body.includes('outside the renderer'), p);
    }
  });

  test('the WebSocket is refused without the token (401), with a wrong one (401), from another origin (403)', async () => {
    const base = `ws://127.0.0.1:${server.port}/api`;
    assert.equal(await handshake(base, origin), 401);
    assert.equal(await handshake(`${base}?token=`, origin), 401);
    assert.equal(await handshake(`${base}?token=${token.slice(0, -1)}x`, origin), 401);
    assert.equal(await handshake(`${base}?token=${token}${token}`, origin), 401);
    assert.equal(await handshake(apiUrl, 'http://evil.example'), 403);
    assert.equal(await handshake(apiUrl, `http://127.0.0.1:${server.port + 1}`), 403);
    assert.equal(await handshake(apiUrl), 403, 'no Origin at all');
    assert.equal(await handshake(`ws://127.0.0.1:${server.port}/other?token=${token}`, origin), 404);
    assert.equal(await handshake(apiUrl, origin), 101);
    assert.equal(await handshake(apiUrl, `http://localhost:${server.port}`), 101);
  });

  test('requests and answers over the WebSocket; run updates pushed until done', async (t) => {
    const client = await ApiClient.connect(apiUrl, origin);
    t.after(() => client.close());

    const listed = await client.call('listProfiles');
    assert.ok('result' in listed && Array.isArray(listed.result));

    const launched = await client.call('launch', {
      version: 1,
      name: 'over the socket',
      path: '/bin/sh',
      args: ['sh', '-c', 'echo from the child'],
      files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
    });
    assert.ok('result' in launched, JSON.stringify(launched));
    const { runId } = launched.result as { ok: true; runId: string };
    const done = await waitFor('the done update', () => client.runUpdates(runId).find((u) => u.kind === 'done'));
    const kinds = client.runUpdates(runId).map((u) => u.kind);
    assert.equal(kinds[0], 'started');
    assert.ok(kinds.includes('output'));
    assert.ok(kinds.includes('observed'), 'the observed table reaches clients too');
    assert.ok(done.kind === 'done' && done.result.output['1'] === 'from the child\n');

    const sandbox = await client.call('sandboxPlan', [1, 3, 0], [0, 1, 2, 3]);
    assert.ok('result' in sandbox, JSON.stringify(sandbox));
    assert.equal((sandbox.result as { statusFd: number }).statusFd, 5);

    const invalid = await client.call('launch', { version: 1 });
    assert.ok('result' in invalid && (invalid.result as { ok: boolean }).ok === false, 'an invalid profile is a result');
  });

  test('malformed messages and unknown methods get an error; the server keeps serving', async (t) => {
    const client = await ApiClient.connect(apiUrl, origin);
    t.after(() => client.close());

    client.sendRaw('{ not json');
    const unreadable = await client.answer(-1);
    assert.ok('error' in unreadable && /not a request/.test(unreadable.error.message));

    const unknown = await client.call('formatDisk');
    assert.ok('error' in unknown && /unknown method "formatDisk"/.test(unknown.error.message));
    const badParams = await client.call('resize', 'run', -1, 'x');
    assert.ok('error' in badParams && /invalid params for resize/.test(badParams.error.message));

    const still = await client.call('validate', { version: 1, name: 'x', path: '/bin/true', args: ['true'] });
    assert.ok('result' in still, 'answers after the bad ones');
  });

  test('a change in the profiles folder is pushed to every client', async (t) => {
    const client = await ApiClient.connect(apiUrl, origin);
    t.after(() => client.close());
    writeFileSync(path.join(profilesDir, 'new.json'), '{}');
    await waitFor('profiles-changed', () => client.received.some((m) => 'event' in m && m.event === 'profiles-changed'));
  });
});
