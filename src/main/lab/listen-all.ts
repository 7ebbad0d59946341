// One HTTP server per address, all on one port, or none at all: browser mode holds every
// loopback address or does not start (own-address.ts says why).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Port 0: the kernel picks a port free on the first address, which may be taken on the
// next one; pick again, this many times in all.
const PORT_PICKS = 5;

export async function listenAll(makeServer: () => Server, addresses: readonly string[], port: number): Promise<{ servers: Server[]; port: number }> {
  for (let pick = 1; ; pick++) {
    const servers: Server[] = [];
    try {
      let samePort = port;
      for (const address of addresses) {
        const server = makeServer();
        await listen(server, samePort, address);
        servers.push(server);
        samePort = (server.address() as AddressInfo).port;
      }
      return { servers, port: samePort };
    } catch (err) {
      await Promise.all(servers.map(closeServer));
      if (port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || pick === PORT_PICKS) throw err;
    }
  }
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
