// Failed attempts at browser mode's API, counted per remote address: past a limit within a
// window, that address is refused (429) for a while, right or wrong token. The token has
// 256 bits, so this is not what stops guessing; it keeps a script from trying at full speed
// and makes the attempt visible. (On loopback every local user shares 127.0.0.1: one of
// them can lock the others out for BLOCK_MS; docs/security.md weighs that.)

const LIMIT = 10;
const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;
// Addresses remembered at most: the oldest are forgotten first.
const MAX_ADDRESSES = 1024;

interface Attempts {
  failures: number[];
  blockedUntil: number;
}

export class AuthThrottle {
  private readonly byAddress = new Map<string, Attempts>();

  constructor(private readonly now: () => number = Date.now) {}

  isBlocked(address: string): boolean {
    return (this.byAddress.get(address)?.blockedUntil ?? 0) > this.now();
  }

  recordFailure(address: string): void {
    const now = this.now();
    const attempts = this.byAddress.get(address) ?? { failures: [], blockedUntil: 0 };
    this.byAddress.delete(address); // re-inserted below: the map's order is the age order
    attempts.failures = [...attempts.failures.filter((t) => t > now - WINDOW_MS), now];
    if (attempts.failures.length >= LIMIT) attempts.blockedUntil = now + BLOCK_MS;
    this.byAddress.set(address, attempts);
    if (this.byAddress.size > MAX_ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
  }
}

export const AUTH_THROTTLE = { LIMIT, WINDOW_MS, BLOCK_MS };
