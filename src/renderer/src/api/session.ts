// Browser mode's credential for this tab (issue 11). `proclab serve` prints `/?token=…`; a
// tab opened from the lab's "new tab" button gets `/?ticket=…` instead, a one-time ticket
// the server trades for the token. Either way the page takes it out of its address at once
// (history.replaceState: not in the address bar, a bookmark or a copied link) and keeps the
// token in sessionStorage: this tab only, kept across a reload, sent nowhere. Never in a
// cookie: cookies ignore the port, so every server on 127.0.0.1, other users' too, would
// receive it.
import { SESSION_PATH, SESSION_TICKET_HEADER, TICKET_PARAM } from '@shared/api';

const TOKEN_PARAM = 'token';
const STORAGE_KEY = 'proclab-token';

/** Before anything connects: the token or ticket in the address, if any, becomes this tab's session. */
export async function takeCredentialFromAddress(): Promise<void> {
  const address = new URL(window.location.href);
  const token = address.searchParams.get(TOKEN_PARAM);
  const ticket = address.searchParams.get(TICKET_PARAM);
  if (token === null && ticket === null) return;
  address.searchParams.delete(TOKEN_PARAM);
  address.searchParams.delete(TICKET_PARAM);
  window.history.replaceState(window.history.state, '', address);
  const session = token || (ticket && (await tradeTicket(ticket)));
  if (session) window.sessionStorage.setItem(STORAGE_KEY, session);
}

/** This tab's session token, or null: browser mode opened without one. */
export function sessionToken(): string | null {
  return window.sessionStorage.getItem(STORAGE_KEY);
}

// Null when the server will not trade it (used, expired, not its own): the page then says
// it is not connected.
async function tradeTicket(ticket: string): Promise<string | null> {
  try {
    const answer = await fetch(SESSION_PATH, { method: 'POST', headers: { [SESSION_TICKET_HEADER]: ticket }, cache: 'no-store' });
    return answer.ok ? ((await answer.json()) as { token: string }).token : null;
  } catch {
    return null;
  }
}
