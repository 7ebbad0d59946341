// Browser mode's API as its clients meet it: a lab server over a profiles folder, and a
// client of its WebSocket as the renderer's socket is (requests answered by id, pushed
// events recorded).
import { mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

import { startLabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import type { ClientMessage, RunUpdate, ServerMessage } from '../../src/shared/api';
import { waitFor } from './lab-api';

export interface TestLab {
  /** Where a client connects: ws://127.0.0.1:PORT/api?token=TOKEN */
  apiUrl: string;
  /** The page origin the server accepts. */
  origin: string;
  connect(): Promise<ApiClient>;
  close(): Promise<void>;
}

/** A LabService over `profilesDir` behind browser mode's server on a free port (it serves no page). */
export async function startTestLab(profilesDir: string): Promise<TestLab> {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'proclab-renderer-'));
  const service = await LabService.open({ profilesDir });
  const server = await startLabServer({ api: service, rendererDir, port: 0 });
  const url = new URL(server.url);
  const apiUrl = `ws://127.0.0.1:${server.port}/api${url.search}`;
  return {
    apiUrl,
    origin: url.origin,
    connect: () => ApiClient.connect(apiUrl, url.origin),
    async close() {
      await server.close();
      await service.dispose();
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe block: a test lab over a scratch folder (`dir`, its profiles in
 * dir/profiles) and one client of it, started before its tests and closed (the folder
 * removed) after them.
 */
export function suiteLab(scratchPrefix: string): { client: ApiClient; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), scratchPrefix));
  const suite = { dir } as { client: ApiClient; lab: TestLab; dir: string };
  before(async () => {
    suite.lab = await startTestLab(path.join(dir, 'profiles'));
    suite.client = await suite.lab.connect();
  });
  after(async () => {
    suite.client.close();
    await suite.lab.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return suite;
}

export class ApiClient {
  readonly received: ServerMessage[] = [];
  private nextId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(data.toString()) as ServerMessage));
  }

  static connect(url: string, origin: string): Promise<ApiClient> {
    const ws = new WebSocket(url, { origin });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ApiClient(ws)));
      ws.once('error', reject);
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  async call(method: string, ...params: unknown[]): Promise<ServerMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params } as ClientMessage));
    return this.answer(id);
  }

  /** The result of a call; throws with the message when the server answered an error. */
  async result<T>(method: string, ...params: unknown[]): Promise<T> {
    const answer = await this.call(method, ...params);
    if (!('result' in answer)) throw new Error(`${method} answered ${JSON.stringify(answer)}`);
    return answer.result as T;
  }

  answer(id: number): Promise<ServerMessage> {
    return waitFor(`the answer to request ${id}`, () => this.received.find((m) => 'id' in m && m.id === id));
  }

  runUpdates(runId: string): RunUpdate[] {
    return this.received.flatMap((m) => ('event' in m && m.event === 'run-update' && m.update.runId === runId ? [m.update] : []));
  }

  close(): void {
    this.ws.close();
  }
}
