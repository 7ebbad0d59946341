// Browser mode (`proclab serve`): the built renderer as static files, and the LabApi over
// a WebSocket at /api, for the user who started it.
//
// Whoever can use /api can run programs as this user. Every request must name this server
// in its Host; the WebSocket needs the session's token and this server's own page as its
// Origin; a run's saved output (GET /saved-output/<run id>/<key>, found by run id and key,
// never by a path) needs a one-time ticket from the API; request-gate.ts checks all of it,
// in order. It listens on every loopback address or none (own-address.ts). The static
// files hold no data and need no token; the page takes its token from its own URL, never
// from the HTML, and takes it out of the address bar (the renderer's api/session.ts). A
// tab opened from the page's one-time link trades its ticket for the token at
// SESSION_PATH.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

import { isBrowserSessionMethod, SESSION_PATH, TICKET_PARAM, type BrowserSessionApi, type LabApi, type ServerMessage } from '../../shared/api';
import { PRODUCTION_CSP } from '../../shared/csp';
import { dispatch, dispatchBrowserSession } from './api-dispatch';
import { browserSessionApi } from './browser-session-api';
import { closeServer, listenAll } from './listen-all';
import { OneTimeTickets } from './one-time-tickets';
import { listenAddresses, OwnAddress, urlHost } from './own-address';
import { RequestGate, type Refusal } from './request-gate';
import type { SavedOutputLookup } from './runs-folder';
import { NO_SAVED_OUTPUT, SAVED_OUTPUT_PREFIX, savedOutputTarget, serveSavedOutput } from './saved-output-download';

// The CLI's warning off loopback uses it.
import { DEFAULT_HOST } from './own-address';

export interface LabServerOptions {
  /** The service: the API, and the runs' saved output for downloads. */
  api: LabApi & SavedOutputLookup;
  /** The built renderer: out/renderer. */
  rendererDir: string;
  /** Default 127.0.0.1 (and ::1: every loopback address). */
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

const NOT_A_DOWNLOAD: Refusal = { status: 404, reason: NO_SAVED_OUTPUT };
const NOT_THE_API: Refusal = { status: 404, reason: 'the API is at /api' };

export async function startLabServer({ api, rendererDir, host = DEFAULT_HOST, port }: LabServerOptions): Promise<LabServer> {
  const token = randomBytes(32).toString('base64url');
  const addresses = listenAddresses(host);
  const tickets = new OneTimeTickets();
  const gate = new RequestGate(token, new OwnAddress(host, addresses), tickets);
  const session = browserSessionApi(tickets, api);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate()); // e.g. a message over the size limit
    ws.on('message', (data, isBinary) => void answer(api, session, ws, data, isBinary));
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    const refusal = gate.refuseHost(req);
    if (refusal) refuse(res, refusal);
    else if (url?.pathname.startsWith(SAVED_OUTPUT_PREFIX)) download(req, res, url);
    else if (url?.pathname === SESSION_PATH) tradeTicket(req, res);
    else void serveStatic(rendererDir, req, res);
  };
  const download = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const target = savedOutputTarget(url.pathname);
    if (!target) return refuse(res, NOT_A_DOWNLOAD);
    const refusal = gate.refuseDownload(req, target, url.searchParams.get(TICKET_PARAM));
    if (refusal) return refuse(res, refusal);
    void serveSavedOutput(api, target, req, res);
  };
  // A tab opened from a newTabLink: its ticket for the token, which the page keeps to itself.
  const tradeTicket = (req: IncomingMessage, res: ServerResponse) => {
    const refusal = gate.refuseTicketTrade(req);
    if (refusal) return refuse(res, refusal);
    res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ token }));
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    const refusal = gate.refuseHost(req) ?? (url?.pathname === '/api' ? gate.refuseUpgrade(req, url) : NOT_THE_API);
    if (refusal) {
      const body = `${refusal.reason}\n`;
      socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  const listening = await listenAll(() => createServer(onRequest).on('upgrade', onUpgrade), addresses, port);

  const broadcast = (message: ServerMessage) => {
    const text = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  };
  const unsubscribe = [
    api.onRunUpdate((update) => broadcast({ event: 'run-update', update })),
    api.onProfilesChanged(() => broadcast({ event: 'profiles-changed' })),
  ];

  return {
    url: `http://${urlHost(host)}:${listening.port}/?token=${token}`,
    port: listening.port,
    close: async () => {
      for (const stop of unsubscribe) stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await Promise.all(listening.servers.map(closeServer));
    },
  };
}

function refuse(res: ServerResponse, { status, reason, allow }: Refusal): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...(allow && { Allow: allow }) }).end(`${reason}\n`);
}

function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://server');
  } catch {
    return null;
  }
}

async function answer(api: LabApi, session: BrowserSessionApi, ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
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
  const outcome = isBrowserSessionMethod(request.method)
    ? await dispatchBrowserSession(session, request.method, request.params)
    : await dispatch(api, request.method, request.params);
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
