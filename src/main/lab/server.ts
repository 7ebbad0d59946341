// Browser mode (`proclab serve`): the built renderer as static files, and the LabApi over
// a WebSocket at /api, for the user who started it.
//
// Whoever can use /api can run programs as this user, so a WebSocket is accepted only with
// the session's token (query `token`, compared in constant time; 401 otherwise) and from a
// page of this server's own origin (403 otherwise: another site open in the same browser
// must not reach it), both checked before the upgrade; an address with too many wrong
// tokens is refused for a while (429, auth-throttle.ts). The static files hold no data and
// need no token; the page reads its token from its own URL, never from the HTML. A run's
// saved output (GET /saved-output/<run id>/<key>) is data: it needs the token as well
// (401, counted by the same throttle), and is found by run id and key, never by a path.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

import type { LabApi, ServerMessage } from '../../shared/api';
import { PRODUCTION_CSP } from '../csp';
import { dispatch } from './api-dispatch';
import { AuthThrottle } from './auth-throttle';
import type { SavedOutputLookup } from './runs-folder';
import { SAVED_OUTPUT_PREFIX, serveSavedOutput } from './saved-output-download';

export interface LabServerOptions {
  /** The service: the API, and the runs' saved output for downloads. */
  api: LabApi & SavedOutputLookup;
  /** The built renderer: out/renderer. */
  rendererDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

export interface LabServer {
  /** The page to open, with the token: http://HOST:PORT/?token=TOKEN */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
/** The WebSocket refuses bigger messages (closing with 1009): requests are small, input is capped at 1 MiB. */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** The id of an answer to a message that could not be read as a request. */
const UNREADABLE_REQUEST_ID = -1;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const PAGE_HEADERS = {
  'Content-Security-Policy': PRODUCTION_CSP,
  'X-Content-Type-Options': 'nosniff',
  // The page's URL carries the token: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startLabServer({ api, rendererDir, host = DEFAULT_HOST, port }: LabServerOptions): Promise<LabServer> {
  const token = randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token);
  let origins = new Set<string>();

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate()); // e.g. a message over the size limit
    ws.on('message', (data, isBinary) => void answer(api, ws, data, isBinary));
  });

  const throttle = new AuthThrottle();
  const server = createServer((req, res) => {
    const url = requestUrl(req);
    if (!url?.pathname.startsWith(SAVED_OUTPUT_PREFIX)) {
      void serveStatic(rendererDir, req, res);
      return;
    }
    const address = req.socket.remoteAddress ?? '';
    const refusal = throttle.isBlocked(address) ? TOO_MANY_FAILURES : refuseDownload(req, url, expectedToken);
    if (refusal === WRONG_TOKEN) throttle.recordFailure(address);
    if (refusal) {
      res.writeHead(refusal.status, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' }).end(`${refusal.reason}\n`);
      return;
    }
    void serveSavedOutput(api, url.pathname, req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = req.socket.remoteAddress ?? '';
    const refusal = throttle.isBlocked(address) ? TOO_MANY_FAILURES : refuseUpgrade(req, expectedToken, origins);
    if (refusal === WRONG_TOKEN) throttle.recordFailure(address);
    if (refusal) {
      const body = `${refusal.reason}\n`;
      socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  origins = ownOrigins(host, actualPort);

  const broadcast = (message: ServerMessage) => {
    const text = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  };
  const unsubscribe = [
    api.onRunUpdate((update) => broadcast({ event: 'run-update', update })),
    api.onProfilesChanged(() => broadcast({ event: 'profiles-changed' })),
  ];

  return {
    url: `http://${urlHost(host)}:${actualPort}/?token=${token}`,
    port: actualPort,
    close: async () => {
      for (const stop of unsubscribe) stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Refusal {
  status: number;
  reason: string;
}

const WRONG_TOKEN: Refusal = { status: 401, reason: 'missing or wrong token: open the URL that proclab serve printed' };
const TOO_MANY_FAILURES: Refusal = { status: 429, reason: 'too many failed attempts from this address: wait a minute' };

function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://server');
  } catch {
    return null;
  }
}

function hasToken(url: URL, expectedToken: Buffer): boolean {
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  // timingSafeEqual needs equal lengths; the token's length is no secret.
  return given.length === expectedToken.length && timingSafeEqual(given, expectedToken);
}

// A saved-output download needs the token as the API does. There is no Origin to check: a
// link the page follows sends none (the token in its URL is the secret).
function refuseDownload(req: IncomingMessage, url: URL, expectedToken: Buffer): Refusal | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, reason: 'GET or HEAD only' };
  return hasToken(url, expectedToken) ? null : WRONG_TOKEN;
}

function refuseUpgrade(req: IncomingMessage, expectedToken: Buffer, origins: ReadonlySet<string>): Refusal | null {
  const url = requestUrl(req);
  if (url?.pathname !== '/api') return { status: 404, reason: 'the API is at /api' };
  if (!hasToken(url, expectedToken)) return WRONG_TOKEN;
  if (!origins.has(req.headers.origin ?? '')) {
    return { status: 403, reason: "only this server's own pages may use the API" };
  }
  return null;
}

// The origins of this server's own pages: the address it listens on (every local address
// for 0.0.0.0 or ::), and `localhost` beside a loopback address.
function ownOrigins(host: string, port: number): Set<string> {
  const hosts = [host];
  if (host === '0.0.0.0' || host === '::') {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) if (host === '::' || a.family === 'IPv4') hosts.push(a.address);
    }
  }
  if (hosts.some(isLoopback)) hosts.push('localhost');
  return new Set(hosts.map((h) => `http://${urlHost(h)}:${port}`));
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

async function answer(api: LabApi, ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
  let request: { id?: unknown; method?: unknown; params?: unknown };
  try {
    if (isBinary) throw new Error('binary message');
    request = JSON.parse(data.toString());
    if (typeof request !== 'object' || request === null) throw new Error('not an object');
  } catch (err) {
    reply(ws, { id: UNREADABLE_REQUEST_ID, error: { message: `not a request (${(err as Error).message}): send JSON {id, method, params}` } });
    return;
  }
  if (!Number.isSafeInteger(request.id)) {
    reply(ws, { id: UNREADABLE_REQUEST_ID, error: { message: 'a request needs an integer id' } });
    return;
  }
  const id = request.id as number;
  const outcome = await dispatch(api, request.method, request.params);
  reply(ws, outcome.ok ? { id, result: outcome.result } : { id, error: { message: outcome.message } });
}

function reply(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

async function serveStatic(rendererDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...PAGE_HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = staticFile(rendererDir, req.url ?? '/');
  let body: Buffer | null = null;
  try {
    if (file && (await stat(file)).isFile()) body = await readFile(file);
  } catch {
    // not there: 404 below
  }
  if (!file || !body) {
    res.writeHead(404, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

// The file a URL names inside rendererDir, or null when it would lie outside it.
function staticFile(rendererDir: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://server').pathname);
  } catch {
    return null; // a malformed %-escape
  }
  if (pathname.includes('\0')) return null;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname}`);
  return file.startsWith(root + path.sep) ? file : null;
}
