// Where browser mode listens, and which requests are meant for it (issue 11).
//
// On loopback it holds every loopback address of the machine (127.0.0.1, and ::1 where
// there is one) on one port: `localhost` may mean either, and Chromium tries ::1 first, so
// a port left free on ::1 could be taken by another local user, whose server would then
// receive the page's requests, token and all.
//
// A browser names the server it meant in `Host`, and a page's origin in `Origin`; both
// must be this server's own: an address it listens on (each local address for 0.0.0.0 or
// ::), or the --host given, with its port; `localhost` only where it holds every loopback
// address. A Host naming anything else (a DNS name a web page rebound to 127.0.0.1) is
// answered 421 before anything else is looked at.
import os from 'node:os';

/** Browser mode listens here unless told otherwise (`proclab serve --host`). */
export const DEFAULT_HOST = '127.0.0.1';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The addresses to listen on for --host: a loopback name means all of loopback. */
export function listenAddresses(host: string): string[] {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' ? machineLoopbacks() : [host];
}

export class OwnAddress {
  /** What this server answers to, port aside: its addresses, the --host given, maybe `localhost`. */
  private readonly names: string[];

  constructor(givenHost: string, listening: readonly string[]) {
    this.names = [givenHost, ...listening.flatMap(withLocalAddresses)];
    if (machineLoopbacks().every((address) => this.names.includes(address))) this.names.push('localhost');
  }

  /** `Host` as a browser sends it for this server on `port`: `127.0.0.1:7357`, `[::1]:7357`. */
  isOwnHost(host: string | undefined, port: number): boolean {
    return host !== undefined && this.names.some((name) => serverUrl(name, port).host === host.toLowerCase());
  }

  /** `Origin` as a browser sends it for a page of this server on `port`: `http://127.0.0.1:7357`. */
  isOwnOrigin(origin: string | undefined, port: number): boolean {
    return origin !== undefined && this.names.some((name) => serverUrl(name, port).origin === origin);
  }
}

// The URL parser writes a name as a browser does: lower case, ::1 in brackets, no :80.
const serverUrl = (name: string, port: number): URL => new URL(`http://${urlHost(name)}:${port}`);

/** An address as it goes in a URL: IPv6 in brackets. */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

function machineLoopbacks(): string[] {
  const hasIpv6Loopback = Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === '::1'));
  return hasIpv6Loopback ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
}

// A wildcard address stands for every local address (IPv4 only for 0.0.0.0).
function withLocalAddresses(address: string): string[] {
  if (address !== '0.0.0.0' && address !== '::') return [address];
  const local = Object.values(os.networkInterfaces()).flatMap((addresses) => addresses ?? []);
  return [address, ...local.filter((a) => address === '::' || a.family === 'IPv4').map((a) => a.address)];
}
