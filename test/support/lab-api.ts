// Helpers for test/service: waiting for things a user would see, and recording the run
// updates a LabApi pushes.
import WebSocket from 'ws';

import type { RunUpdate } from '../../src/shared/api';

export const UPDATE_TIMEOUT_MS = 8000;

/** Resolves once check() is truthy (polled), with its value; rejects after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = UPDATE_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export type DoneUpdate = Extract<RunUpdate, { kind: 'done' }>;

/** Every run update pushed to one listener, in order. */
export class UpdateLog {
  readonly all: RunUpdate[] = [];
  readonly listener = (update: RunUpdate): void => {
    this.all.push(update);
  };

  of(runId: string): RunUpdate[] {
    return this.all.filter((u) => u.runId === runId);
  }

  /** The run's captured output per key, as the updates carried it. */
  output(runId: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const u of this.of(runId)) if (u.kind === 'output') out[u.key] = (out[u.key] ?? '') + u.text;
    return out;
  }

  done(runId: string, timeoutMs?: number): Promise<DoneUpdate> {
    return waitFor(
      `run ${runId} to end`,
      () => this.of(runId).find((u): u is DoneUpdate => u.kind === 'done'),
      timeoutMs,
    );
  }
}

/** The HTTP status of a refused WebSocket handshake, or 101 when it was accepted. */
export function handshake(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}
