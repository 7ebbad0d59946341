// Browser mode's download of a run's saved output (GET /saved-output/<run id>/<key>): the
// file is found by run id and key through the service, never by a path from the request.
// The server checks the token before this runs.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import type { SavedOutputLookup } from './runs-folder';

export const SAVED_OUTPUT_PREFIX = '/saved-output/';

const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export async function serveSavedOutput(lookup: SavedOutputLookup, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [runId, key, ...rest] = pathname.slice(SAVED_OUTPUT_PREFIX.length).split('/').map(decoded);
  const saved = runId && key && rest.length === 0 ? lookup.savedOutput(runId, key) : undefined;
  let size: number | undefined;
  try {
    if (saved) size = (await stat(saved.path)).size;
  } catch {
    // deleted since (an older run pruned by another lab, or by hand): 404 below
  }
  if (!saved || size === undefined) {
    const body = 'no saved output for that run and stream here (only runs of this session, and only the newest 20 runs are kept)\n';
    res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
    return;
  }
  const name = `proclab-${runId!.slice(0, 8)}-${key === 'pty' ? 'pty' : `fd${key}`}.txt`;
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
    'Content-Length': size,
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  // What the file holds now (a live run's file grows): exactly the announced length.
  await pipeline(createReadStream(saved.path, { start: 0, end: size - 1 }), res).catch(() => res.destroy());
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return ''; // a malformed %-escape names nothing
  }
}
