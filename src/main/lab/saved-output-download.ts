// Browser mode's download of a run's saved output (GET /saved-output/<run id>/<key>): the
// file is found by run id and key through the service, never by a path from the request.
// The server checks the request (request-gate.ts: a ticket for this run's stream) before
// this runs.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import type { SavedOutputLookup } from './runs-folder';

export const SAVED_OUTPUT_PREFIX = '/saved-output/';
export const NO_SAVED_OUTPUT = 'no saved output for that run and stream here (only runs of this session, and only the newest 20 runs are kept)';

const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface SavedOutputTarget {
  runId: string;
  key: string;
}

/** The run id and key a download path names, or null when it is not /saved-output/<run id>/<key>. */
export function savedOutputTarget(pathname: string): SavedOutputTarget | null {
  const [runId, key, ...rest] = pathname.slice(SAVED_OUTPUT_PREFIX.length).split('/').map(decoded);
  return runId && key && rest.length === 0 ? { runId, key } : null;
}

export async function serveSavedOutput(lookup: SavedOutputLookup, { runId, key }: SavedOutputTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const saved = lookup.savedOutput(runId, key);
  let size: number | undefined;
  try {
    if (saved) size = (await stat(saved.path)).size;
  } catch {
    // deleted since (an older run pruned by another lab, or by hand): 404 below
  }
  if (!saved || size === undefined) {
    res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${NO_SAVED_OUTPUT}\n`);
    return;
  }
  const name = `proclab-${runId.slice(0, 8)}-${key === 'pty' ? 'pty' : `fd${key}`}.txt`;
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
