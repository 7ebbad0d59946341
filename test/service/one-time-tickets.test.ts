// The one-time tickets that stand in for the session token in a URL (issue 11): good once,
// for what they were issued for, until they expire.
// Run: node --import tsx --test test/service/one-time-tickets.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { OneTimeTickets, TICKET_TTL_MS } from '../../src/main/lab/one-time-tickets';

const NEW_TAB = { kind: 'new-tab' } as const;
const FD1 = { kind: 'saved-output', runId: 'run-a', key: '1' } as const;

test('a ticket is good once, for 256 random bits written as 43 base64url characters', () => {
  const tickets = new OneTimeTickets();
  const ticket = tickets.issue(NEW_TAB);
  assert.match(ticket, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(tickets.issue(NEW_TAB), ticket);
  assert.equal(tickets.redeem(ticket, NEW_TAB), true);
  assert.equal(tickets.redeem(ticket, NEW_TAB), false, 'spent');
  assert.equal(tickets.redeem('x'.repeat(43), NEW_TAB), false, 'never issued');
});

test('a ticket is good only for what it was issued for, and spent by a try at anything else', () => {
  const tickets = new OneTimeTickets();
  const cases = [
    { kind: 'saved-output', runId: 'run-a', key: '2' },
    { kind: 'saved-output', runId: 'run-b', key: '1' },
    NEW_TAB,
  ] as const;
  for (const other of cases) {
    const ticket = tickets.issue(FD1);
    assert.equal(tickets.redeem(ticket, other), false, JSON.stringify(other));
    assert.equal(tickets.redeem(ticket, FD1), false, 'spent by the wrong try');
  }
  assert.equal(tickets.redeem(tickets.issue(FD1), { kind: 'saved-output', key: '1', runId: 'run-a' }), true, 'the order of its fields does not matter');
});

test(`a ticket expires ${TICKET_TTL_MS / 1000} s after it was issued`, () => {
  let now = 0;
  const tickets = new OneTimeTickets(() => now);
  const late = tickets.issue(NEW_TAB);
  const inTime = tickets.issue(NEW_TAB);
  now += TICKET_TTL_MS - 1;
  assert.equal(tickets.redeem(inTime, NEW_TAB), true);
  now += 1;
  assert.equal(tickets.redeem(late, NEW_TAB), false);
});
