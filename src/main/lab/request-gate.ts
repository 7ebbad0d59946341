// Who may use browser mode (issue 11; docs/security.md): the checks a request passes, in
// this order, each giving the refusal to answer with, or null to go on.
//
// 1. Host names this server (421): a DNS name a web page rebound to 127.0.0.1 gets
//    nothing, not even the page.
// 2. The request comes from this server's own page (403): the WebSocket and the ticket
//    trade by their Origin; a download, a plain GET that any page can have the browser
//    send (an <img>, a link), by Sec-Fetch-Site too. Checked before any credential, so
//    another site's attempts are never counted.
// 3. The credential (401): the session token for the WebSocket, compared in constant
//    time; for a download or a new tab, a one-time ticket issued for exactly that. Wrong
//    ones are counted by the throttle, which refuses a source's wrong ones for a while
//    (429) and always lets the right one in.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { SESSION_TICKET_HEADER } from '../../shared/api';
import { AuthThrottle } from './auth-throttle';
import type { OneTimeTickets } from './one-time-tickets';
import type { OwnAddress } from './own-address';
import type { SavedOutputTarget } from './saved-output-download';

export interface Refusal {
  status: number;
  reason: string;
  /** The methods allowed, for a 405. */
  allow?: string;
}

const NOT_THIS_SERVER: Refusal = { status: 421, reason: 'this server does not answer for that name: open the URL that proclab serve printed' };
const ANOTHER_SITE: Refusal = { status: 403, reason: "only this server's own pages may use the lab" };
const WRONG_TOKEN: Refusal = { status: 401, reason: 'missing or wrong token: open the URL that proclab serve printed' };
const WRONG_TICKET: Refusal = { status: 401, reason: "missing, used or expired ticket: use the link in the lab's page again" };
const TOO_MANY_FAILURES: Refusal = { status: 429, reason: 'too many wrong attempts from here: wait a minute' };
const GET_OR_HEAD_ONLY: Refusal = { status: 405, reason: 'GET or HEAD only', allow: 'GET, HEAD' };
const POST_ONLY: Refusal = { status: 405, reason: 'POST only', allow: 'POST' };

// Sec-Fetch-Site that a browser sends for this server's own page (same-origin) or for the
// user's own doing (none: a typed address, a bookmark, the list of downloads).
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

export class RequestGate {
  private readonly token: Buffer;
  private readonly throttle = new AuthThrottle();

  constructor(
    token: string,
    private readonly own: OwnAddress,
    private readonly tickets: OneTimeTickets,
  ) {
    this.token = Buffer.from(token);
  }

  /** Every request, first. */
  refuseHost(req: IncomingMessage): Refusal | null {
    return this.own.isOwnHost(req.headers.host, req.socket.localPort ?? 0) ? null : NOT_THIS_SERVER;
  }

  /** The WebSocket at /api: the token as `?token=`. */
  refuseUpgrade(req: IncomingMessage, url: URL): Refusal | null {
    if (!this.fromOwnPage(req)) return ANOTHER_SITE;
    return this.judge(req, this.isToken(url.searchParams.get('token')), WRONG_TOKEN);
  }

  /** A saved-output download: a ticket issued for this run's stream. */
  refuseDownload(req: IncomingMessage, target: SavedOutputTarget, ticket: string | null): Refusal | null {
    if (req.method !== 'GET' && req.method !== 'HEAD') return GET_OR_HEAD_ONLY;
    if (this.fromAnotherSite(req)) return ANOTHER_SITE;
    return this.judge(req, ticket !== null && this.tickets.redeem(ticket, { kind: 'saved-output', ...target }), WRONG_TICKET);
  }

  /** A new tab trading its ticket for the session (SESSION_PATH). */
  refuseTicketTrade(req: IncomingMessage): Refusal | null {
    if (req.method !== 'POST') return POST_ONLY;
    if (!this.fromOwnPage(req)) return ANOTHER_SITE;
    const ticket = req.headers[SESSION_TICKET_HEADER.toLowerCase()];
    return this.judge(req, typeof ticket === 'string' && this.tickets.redeem(ticket, { kind: 'new-tab' }), WRONG_TICKET);
  }

  private fromOwnPage(req: IncomingMessage): boolean {
    return this.own.isOwnOrigin(req.headers.origin, req.socket.localPort ?? 0);
  }

  // A GET from a browser says where it comes from in Sec-Fetch-Site (and, from a script,
  // in Origin). Neither is sent by a program such as curl: that is the user's own doing.
  private fromAnotherSite(req: IncomingMessage): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && !OWN_FETCH_SITES.has(site)) return true;
    return req.headers.origin !== undefined && !this.fromOwnPage(req);
  }

  private isToken(given: string | null): boolean {
    const bytes = Buffer.from(given ?? '');
    // timingSafeEqual needs equal lengths; the token's length is no secret.
    return bytes.length === this.token.length && timingSafeEqual(bytes, this.token);
  }

  // The right credential gets in, blocked source or not; a blocked source's wrong one is
  // refused uncounted; any other wrong one is counted.
  private judge(req: IncomingMessage, right: boolean, wrong: Refusal): Refusal | null {
    if (right) return null;
    const address = req.socket.remoteAddress ?? '';
    if (this.throttle.isBlocked(address)) return TOO_MANY_FAILURES;
    this.throttle.recordFailure(address);
    return wrong;
  }
}
