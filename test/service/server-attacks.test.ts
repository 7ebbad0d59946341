// Browser mode against another local user or a web page (issue 11), one describe per
// attack. Each test starts its own server: the throttle's memory is per server.
// Run: node --import tsx --test test/service/server-attacks.test.ts
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';

import { AUTH_THROTTLE } from '../../src/main/lab/auth-throttle';
import { startLabServer, type LabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import type { LaunchOutcome } from '../../src/shared/api';
import { ApiClient } from '../support/api-client';
import { UpdateLog } from '../support/lab-api';

const INDEX_HTML = '<!doctype html><title>Process Lab</title>';
const EVIL = 'https://evil.example';

interface Lab {
  server: LabServer;
  service: LabService;
  log: UpdateLog;
  token: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  api(): Promise<ApiClient>;
}

async function startLab(t: TestContext): Promise<Lab> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-attacks-'));
  const rendererDir = path.join(scratch, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  const service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
  const log = new UpdateLog();
  service.onRunUpdate(log.listener);
  const server = await startLabServer({ api: service, rendererDir, port: 0 });
  const url = new URL(server.url);
  const token = url.searchParams.get('token')!;
  const clients: ApiClient[] = [];
  t.after(async () => {
    for (const client of clients) client.close();
    await server.close();
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });
  return {
    server,
    service,
    log,
    token,
    origin: url.origin,
    port: server.port,
    api: async () => {
      const client = await ApiClient.connect(`ws://127.0.0.1:${server.port}/api?token=${token}`, url.origin);
      clients.push(client);
      return client;
    },
  };
}

interface Sent {
  /** Where to connect: 127.0.0.1 unless said. */
  address?: string;
  /** The local address to send from (any of 127.0.0.0/8). */
  from?: string;
  method?: string;
  headers?: http.OutgoingHttpHeaders;
}

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A raw request: the Host header is Node's (ADDRESS:PORT) unless headers say otherwise.
function request(port: number, requestPath: string, { address = '127.0.0.1', from, method = 'GET', headers = {} }: Sent = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: address, port, path: requestPath, method, headers, localAddress: from }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject)
      .end();
  });
}

/** A WebSocket handshake at /api: 101 when accepted, else the refusal's status. */
function upgrade(port: number, query: string, { address = '127.0.0.1', from, headers = {} }: Sent = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: address,
      port,
      path: `/api${query}`,
      localAddress: from,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

/** What an <img src="http://127.0.0.1:PORT/saved-output/..."> on another site sends. */
const IMAGE_FROM_ANOTHER_SITE = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' };
const SOME_RUN = '00000000-0000-0000-0000-000000000000';

async function runWithOutput(lab: Lab, script: string): Promise<string> {
  const outcome: LaunchOutcome = await lab.service.launch({
    version: 1,
    name: 'output',
    path: '/bin/sh',
    args: ['sh', '-c', script],
    files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
  });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  await lab.log.done(outcome.runId);
  return outcome.runId;
}

describe('attack 3: a web page cannot lock the real page out', () => {
  test('WebSocket attempts from another site are refused (403) before their token is looked at, and not counted', async (t) => {
    const lab = await startLab(t);
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) {
      assert.equal(await upgrade(lab.port, '?token=wrong', { headers: { Origin: EVIL } }), 403, `attempt ${i + 1}`);
    }
    assert.equal(await upgrade(lab.port, `?token=${lab.token}`, { headers: { Origin: EVIL } }), 403, 'the right token does not help another site');
    assert.equal(await upgrade(lab.port, '?token=wrong', { headers: { Origin: lab.origin } }), 401, 'nothing was counted: 401, not 429');
    assert.equal(await upgrade(lab.port, `?token=${lab.token}`, { headers: { Origin: lab.origin } }), 101);
  });

  test('downloads another site makes the browser fetch (an <img>: no Origin, Sec-Fetch-Site cross-site) are refused (403) and not counted', async (t) => {
    const lab = await startLab(t);
    const target = `/saved-output/${SOME_RUN}/1?ticket=wrong`;
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) {
      assert.equal((await request(lab.port, target, { headers: IMAGE_FROM_ANOTHER_SITE })).status, 403, `attempt ${i + 1}`);
    }
    // Another port of 127.0.0.1 (another user's server, say) is the same site but not the same origin.
    assert.equal((await request(lab.port, target, { headers: { ...IMAGE_FROM_ANOTHER_SITE, 'Sec-Fetch-Site': 'same-site' } })).status, 403);
    assert.equal((await request(lab.port, target, { headers: { Origin: EVIL } })).status, 403, 'a cross-origin fetch');
    assert.equal(await upgrade(lab.port, '?token=wrong', { headers: { Origin: lab.origin } }), 401, 'nothing was counted: 401, not 429');
  });

  test('an address blocked for wrong tokens still lets the right token in', async (t) => {
    const lab = await startLab(t);
    const ownPage = { headers: { Origin: lab.origin } };
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) assert.equal(await upgrade(lab.port, '?token=wrong', ownPage), 401);
    assert.equal(await upgrade(lab.port, '?token=wrong', ownPage), 429, 'blocked');
    assert.equal(await upgrade(lab.port, `?token=${lab.token}`, ownPage), 101, 'the right token is let through');
  });
});

describe('attack 4: the throttle counts all of loopback as one source', () => {
  test('wrong tokens spread over many loopback addresses are refused as from one', async (t) => {
    const lab = await startLab(t);
    const ownPage = { Origin: lab.origin };
    for (let i = 0; i < AUTH_THROTTLE.LIMIT; i++) {
      assert.equal(await upgrade(lab.port, '?token=wrong', { from: `127.0.0.${10 + i}`, headers: ownPage }), 401);
    }
    assert.equal(await upgrade(lab.port, '?token=wrong', { from: '127.0.0.200', headers: ownPage }), 429, 'another loopback address');
    assert.equal(await upgrade(lab.port, '?token=wrong', { from: '127.1.2.3', headers: ownPage }), 429, 'anywhere in 127.0.0.0/8');
  });
});

describe('attack 5: nobody else can take localhost', () => {
  test('it listens on ::1 as well as 127.0.0.1, on the same port: [::1]:PORT cannot be taken, and localhost reaches this server', async (t) => {
    const lab = await startLab(t);
    const squatter = net.createServer();
    const bound = await new Promise<string>((resolve) => {
      squatter.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
      squatter.listen(lab.port, '::1', () => resolve('bound'));
    });
    squatter.close();
    assert.equal(bound, 'EADDRINUSE', '[::1]:PORT is this server\'s');

    const overV6 = await request(lab.port, '/', { address: '::1' });
    assert.equal(overV6.status, 200);
    assert.equal(overV6.body, INDEX_HTML);
    const localhost = { Host: `localhost:${lab.port}`, Origin: `http://localhost:${lab.port}` };
    assert.equal(await upgrade(lab.port, `?token=${lab.token}`, { address: '::1', headers: localhost }), 101);
    assert.equal(await upgrade(lab.port, `?token=${lab.token}`, { headers: localhost }), 101);
  });

  test('with [::1]:PORT taken by someone else it does not start, and leaves 127.0.0.1:PORT free', async (t) => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '::1', resolve));
    t.after(() => squatter.close());
    const port = (squatter.address() as net.AddressInfo).port;
    const service = await LabService.open({ profilesDir: mkdtempSync(path.join(os.tmpdir(), 'proclab-attacks-')) });
    t.after(() => service.dispose());

    const started = startLabServer({ api: service, rendererDir: os.tmpdir(), port });
    const outcome = await started.then(
      async (server) => {
        await server.close();
        return 'started';
      },
      (err: NodeJS.ErrnoException) => err.code,
    );
    assert.equal(outcome, 'EADDRINUSE', 'both loopback addresses or none');
    const free = net.createServer();
    await new Promise<void>((resolve, reject) => free.once('error', reject).listen(port, '127.0.0.1', resolve));
    free.close();
  });
});

describe('attack 6: a name that is not the server\'s (DNS rebinding) is answered 421', () => {
  test('the page, a download and the WebSocket, for any Host but the server\'s own', async (t) => {
    const lab = await startLab(t);
    for (const host of ['evil.example', `evil.example:${lab.port}`, `127.0.0.1.evil.example:${lab.port}`, `127.0.0.1:${lab.port + 1}`]) {
      const page = await request(lab.port, '/', { headers: { Host: host } });
      assert.equal(page.status, 421, host);
      assert.ok(!page.body.includes('Process Lab'), host);
      assert.equal((await request(lab.port, `/saved-output/${SOME_RUN}/1`, { headers: { Host: host } })).status, 421, host);
      assert.equal(await upgrade(lab.port, `?token=${lab.token}`, { headers: { Host: host, Origin: `http://${host}` } }), 421, host);
    }
    for (const host of [`127.0.0.1:${lab.port}`, `[::1]:${lab.port}`, `localhost:${lab.port}`, `LocalHost:${lab.port}`]) {
      assert.equal((await request(lab.port, '/', { headers: { Host: host } })).status, 200, host);
    }
  });
});

describe('attack 7: the token stays out of URLs', () => {
  test('a saved-output download takes a one-time ticket from the API (single use, bound to its run and stream), never the token', async (t) => {
    const lab = await startLab(t);
    const runId = await runWithOutput(lab, 'echo out; echo err >&2');
    assert.equal((await request(lab.port, `/saved-output/${runId}/1?token=${lab.token}`)).status, 401, 'the token in a URL is no use');

    const client = await lab.api();
    const link = await client.result<string>('savedOutputDownloadLink', runId, '1');
    assert.match(link, new RegExp(`^/saved-output/${runId}/1\\?ticket=[A-Za-z0-9_-]{43}$`));
    assert.ok(!link.includes(lab.token));
    const downloaded = await request(lab.port, link, { headers: { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Dest': 'empty' } });
    assert.equal(downloaded.status, 200);
    assert.equal(downloaded.body, 'out\n');
    assert.equal((await request(lab.port, link)).status, 401, 'a ticket is good once');

    const forFd1 = await client.result<string>('savedOutputDownloadLink', runId, '1');
    assert.equal((await request(lab.port, forFd1.replace('/1?', '/2?'))).status, 401, 'a ticket for fd 1 does not fetch fd 2');
    assert.equal((await request(lab.port, forFd1)).status, 401, 'and it was spent trying');

    const unknownRun = await client.call('savedOutputDownloadLink', SOME_RUN, '1');
    assert.ok('error' in unknownRun, 'no ticket for a run the lab does not know');
    const noSuchStream = await client.call('savedOutputDownloadLink', runId, 'pty');
    assert.ok('error' in noSuchStream, 'no ticket for a stream the run did not have');
    const pathShaped = await client.call('savedOutputDownloadLink', runId, '../../profiles');
    assert.ok('error' in pathShaped, 'no ticket for a path');
  });

  test('another tab gets in with a one-time link from the API, which the server trades once for the session; no cookie ever', async (t) => {
    const lab = await startLab(t);
    const page = await request(lab.port, `/?token=${lab.token}`);
    assert.equal(page.headers['set-cookie'], undefined);

    const client = await lab.api();
    const link = await client.result<string>('newTabLink');
    const ticket = new URL(link, lab.origin).searchParams.get('ticket')!;
    assert.match(link, /^\/\?ticket=[A-Za-z0-9_-]{43}$/);

    const trade = (origin: string) =>
      request(lab.port, '/session', { method: 'POST', headers: { Origin: origin, 'Proclab-Ticket': ticket } });
    assert.equal((await trade(EVIL)).status, 403, 'another site cannot trade it');
    const traded = await trade(lab.origin);
    assert.equal(traded.status, 200);
    assert.equal(traded.headers['set-cookie'], undefined);
    assert.equal(traded.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(traded.body), { token: lab.token });
    assert.equal((await trade(lab.origin)).status, 401, 'a ticket is good once');

    const wrong = await request(lab.port, '/session', { method: 'POST', headers: { Origin: lab.origin, 'Proclab-Ticket': 'x'.repeat(43) } });
    assert.equal(wrong.status, 401);
    const downloadTicket = new URL(await client.result<string>('savedOutputDownloadLink', await runWithOutput(lab, 'echo x'), '1'), lab.origin);
    const asTab = await request(lab.port, '/session', {
      method: 'POST',
      headers: { Origin: lab.origin, 'Proclab-Ticket': downloadTicket.searchParams.get('ticket')! },
    });
    assert.equal(asTab.status, 401, 'a download ticket does not open a session');
  });
});
