// One-time tickets: what a URL carries where it would otherwise need the session token,
// since URLs are kept (the address bar, the browser's history, its list of downloads;
// issue 11). A ticket is 256 random bits, issued for one purpose (a new tab, or one
// stream of one run) and good for that only, once, within TICKET_TTL_MS. Tickets are kept
// by their SHA-256, so looking one up tells nothing about the others through timing.
import { createHash, randomBytes } from 'node:crypto';

/** Long enough to follow a link at once, or to paste it into another window. */
export const TICKET_TTL_MS = 60_000;

export type TicketPurpose = { kind: 'new-tab' } | { kind: 'saved-output'; runId: string; key: string };

interface Issued {
  purpose: string;
  expiresAt: number;
}

export class OneTimeTickets {
  private readonly byDigest = new Map<string, Issued>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(purpose: TicketPurpose): string {
    this.forgetExpired();
    const ticket = randomBytes(32).toString('base64url');
    this.byDigest.set(digest(ticket), { purpose: purposeKey(purpose), expiresAt: this.now() + TICKET_TTL_MS });
    return ticket;
  }

  /** True for a live ticket issued for exactly this purpose. Spent either way: no second try. */
  redeem(ticket: string, purpose: TicketPurpose): boolean {
    const id = digest(ticket);
    const issued = this.byDigest.get(id);
    this.byDigest.delete(id);
    return issued !== undefined && issued.expiresAt > this.now() && issued.purpose === purposeKey(purpose);
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, issued] of this.byDigest) if (issued.expiresAt <= now) this.byDigest.delete(id);
  }
}

const digest = (ticket: string): string => createHash('sha256').update(ticket).digest('base64url');

const purposeKey = (purpose: TicketPurpose): string =>
  JSON.stringify(purpose.kind === 'new-tab' ? [purpose.kind] : [purpose.kind, purpose.runId, purpose.key]);
