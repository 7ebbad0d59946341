// The soak's launcher through browser mode: a LabService behind `startLabServer`, driven
// over its WebSocket as the renderer drives it (launch, then signal or ptrace on events).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

import { startLabServer } from '../../src/main/lab/server';
import { LabService } from '../../src/main/lab/service';
import type { RunUpdate, ServerMessage } from '../../src/shared/api';
import type { RunResult } from '../../src/shared/result';
import type { Kind, Launcher } from './soak';

export async function websocketLauncher(): Promise<{ runKind: Launcher; close(): Promise<void> }> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-soak-ws-'));
  const rendererDir = path.join(scratch, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  const service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
  const server = await startLabServer({ api: service, rendererDir, port: 0 });
  const url = new URL(server.url);
  const ws = new WebSocket(`ws://${url.host}/api${url.search}`, { origin: url.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

  let nextId = 1;
  const answers = new Map<number, (result: unknown) => void>();
  const watchers = new Map<string, (u: RunUpdate) => void>();
  const early = new Map<string, RunUpdate[]>(); // updates that arrive before launch answers
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as ServerMessage;
    if ('id' in m) {
      answers.get(m.id)?.('result' in m ? m.result : m);
      answers.delete(m.id);
    }
    else if (m.event === 'run-update') {
      const watch = watchers.get(m.update.runId);
      if (watch) watch(m.update);
      else early.set(m.update.runId, [...(early.get(m.update.runId) ?? []), m.update]);
    }
  });
  const call = (method: string, ...params: unknown[]) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      answers.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });

  const runKind: Launcher = async (kind: Kind) => {
    const outcome = (await call('launch', kind.profile)) as { ok: boolean; runId: string };
    if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`);
    return new Promise<RunResult>((resolve) => {
      const onUpdate = (u: RunUpdate) => {
        if (u.kind === 'started' && kind.poke === 'kill') void call('signal', u.runId, 'SIGTERM', 'child');
        if (u.kind === 'event' && u.event.kind === 'stopped' && kind.poke === 'detach') void call('ptrace', u.runId, 'detach');
        if (u.kind === 'done') {
          watchers.delete(u.runId);
          resolve(u.result);
        }
      };
      watchers.set(outcome.runId, onUpdate);
      for (const u of early.get(outcome.runId) ?? []) onUpdate(u);
      early.delete(outcome.runId);
    });
  };

  return {
    runKind,
    close: async () => {
      ws.close();
      await server.close();
      await service.dispose();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
