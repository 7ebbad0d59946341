// Wrong credentials at browser mode (the token, a one-time ticket), counted per source:
// past a limit within a window, that source's wrong attempts are refused (429) for a while.
// The right credential always gets in, blocked source or not: anyone who can send ten
// wrong tokens (every local user, any web page) must not be able to lock the user out
// (issue 11). So the throttle slows no guessing; the token's 256 bits are what stop that.
// It answers a stream of wrong attempts with 429, which makes them visible.
import { isLoopback } from './own-address';

const LIMIT = 10;
const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;
// Sources remembered at most, so that memory stays bounded whoever sends: the oldest that
// is not blocked is forgotten first. A block is never forgotten before its time (issue 11:
// 1,030 addresses once pushed one out); while every source remembered is blocked, a new
// one goes uncounted.
const MAX_SOURCES = 1024;

interface Attempts {
  failures: number[];
  blockedUntil: number;
}

export class AuthThrottle {
  private readonly bySource = new Map<string, Attempts>();

  constructor(private readonly now: () => number = Date.now) {}

  isBlocked(address: string): boolean {
    return (this.bySource.get(sourceOf(address))?.blockedUntil ?? 0) > this.now();
  }

  recordFailure(address: string): void {
    const now = this.now();
    const source = sourceOf(address);
    const attempts = this.bySource.get(source) ?? { failures: [], blockedUntil: 0 };
    this.bySource.delete(source); // re-inserted below: the map's order is the age order
    if (!this.makeRoom(now)) return;
    attempts.failures = [...attempts.failures.filter((t) => t > now - WINDOW_MS), now];
    if (attempts.failures.length >= LIMIT) attempts.blockedUntil = now + BLOCK_MS;
    this.bySource.set(source, attempts);
  }

  private makeRoom(now: number): boolean {
    if (this.bySource.size < MAX_SOURCES) return true;
    for (const [source, attempts] of this.bySource) {
      if (attempts.blockedUntil <= now) {
        this.bySource.delete(source);
        return true;
      }
    }
    return false;
  }
}

// All of loopback is one source: 127.0.0.0/8 alone gives anyone on this machine 16 million
// addresses (issue 11). An IPv4 address mapped into IPv6 (a dual-stack socket) is that
// IPv4 address.
function sourceOf(address: string): string {
  const ipv4 = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isLoopback(ipv4) ? 'loopback' : ipv4;
}

export const AUTH_THROTTLE = { LIMIT, WINDOW_MS, BLOCK_MS };
