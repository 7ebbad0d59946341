// LabApi over browser mode's WebSocket (`proclab serve`, protocol in src/shared/api.ts).
// Requests carry an id and resolve their own promise; pushed events go to listeners. The
// socket reconnects with backoff; requests made while it is down wait for it (up to a
// limit), requests in flight when it drops are rejected: the lab may or may not have run
// them, and a launch must never be sent twice.
import type { BrowserSessionApi, ClientMessage, LabApi, RunUpdate, ServerMessage } from '@shared/api';
import { setConnection } from '../stores/connection';

const QUEUE_LIMIT_MS = 30_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Queued extends Pending {
  message: ClientMessage;
  timer: ReturnType<typeof setTimeout>;
}

export function createSocketApi(url: string): LabApi & BrowserSessionApi {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let everConnected = false;
  const inFlight = new Map<number, Pending>();
  const queue: Queued[] = [];
  const runListeners = new Set<(update: RunUpdate) => void>();
  const profileListeners = new Set<() => void>();

  const connect = () => {
    setConnection({ state: everConnected ? 'reconnecting' : 'connecting', retryAt: null });
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      const reconnected = everConnected;
      everConnected = true;
      setConnection({ state: 'open', retryAt: null });
      for (const q of queue.splice(0)) {
        clearTimeout(q.timer);
        send(q.message, q);
      }
      // Whatever changed while we were away: let the lists refresh.
      if (reconnected) profileListeners.forEach((l) => l());
    };
    ws.onmessage = (e) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(typeof e.data === 'string' ? e.data : '') as ServerMessage;
      } catch {
        return;
      }
      if ('event' in msg) {
        if (msg.event === 'run-update') runListeners.forEach((l) => l(msg.update));
        else if (msg.event === 'profiles-changed') profileListeners.forEach((l) => l());
        return;
      }
      const pending = inFlight.get(msg.id);
      if (!pending) return;
      inFlight.delete(msg.id);
      if ('error' in msg) pending.reject(new Error(msg.error.message));
      else pending.resolve(msg.result);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [, p] of inFlight) p.reject(new Error('The connection to the lab was lost before it answered.'));
      inFlight.clear();
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      attempt += 1;
      setConnection({ state: 'closed', retryAt: Date.now() + delay });
      setTimeout(connect, delay);
    };
  };

  const send = (message: ClientMessage, pending: Pending) => {
    if (socket && socket.readyState === WebSocket.OPEN) {
      inFlight.set(message.id, pending);
      socket.send(JSON.stringify(message));
      return;
    }
    const entry: Queued = {
      ...pending,
      message,
      timer: setTimeout(() => {
        const i = queue.indexOf(entry);
        if (i >= 0) queue.splice(i, 1);
        pending.reject(new Error('Not connected to the lab.'));
      }, QUEUE_LIMIT_MS),
    };
    queue.push(entry);
  };

  const call = <T>(method: ClientMessage['method'], ...params: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      send({ id: nextId++, method, params }, { resolve: resolve as (v: unknown) => void, reject });
    });

  connect();

  return {
    listProfiles: () => call('listProfiles'),
    saveProfile: (request) => call('saveProfile', request),
    deleteProfile: (file) => call('deleteProfile', file),
    examplesStatus: () => call('examplesStatus'),
    restoreExamples: (overwrite) => call('restoreExamples', overwrite),
    undoRestoreExamples: (undo) => call('undoRestoreExamples', undo),
    validate: (profile) => call('validate', profile),
    plan: (profile) => call('plan', profile),
    execPreview: (profile) => call('execPreview', profile),
    sandboxPlan: (files, hostFds) => call('sandboxPlan', files, hostFds),
    lookPath: (program, env, inheritEnv, chroot) => call('lookPath', program, env, inheritEnv, chroot),
    exportCode: (profile, lang) => call('exportCode', profile, lang),
    verifyExport: (profile, lang) => call('verifyExport', profile, lang),
    inspect: (runId) => call('inspect', runId),
    importShell: (line) => call('importShell', line),
    importProcess: (pid) => call('importProcess', pid),
    listProcesses: () => call('listProcesses'),
    launch: (profile, options) => call('launch', profile, options ?? {}),
    signal: (runId, signal, scope, killAfterMs) =>
      killAfterMs === undefined ? call('signal', runId, signal, scope) : call('signal', runId, signal, scope, killAfterMs),
    ptrace: (runId, action) => call('ptrace', runId, action),
    input: (runId, data) => call('input', runId, data),
    resize: (runId, cols, rows) => call('resize', runId, cols, rows),
    saveDraft: (draft) => call('saveDraft', draft),
    listDrafts: () => call('listDrafts'),
    discardDraft: (key) => call('discardDraft', key),
    listRecentRuns: () => call('listRecentRuns'),
    listSecretKeys: () => call('listSecretKeys'),
    setSecret: (key, value) => call('setSecret', key, value),
    deleteSecret: (key) => call('deleteSecret', key),
    listLessons: () => call('listLessons'),
    checkLesson: (lessonId, profile) => call('checkLesson', lessonId, profile),
    showLessonHint: (lessonId) => call('showLessonHint', lessonId),
    newTabLink: () => call('newTabLink'),
    savedOutputDownloadLink: (runId, key) => call('savedOutputDownloadLink', runId, key),
    onRunUpdate(listener) {
      runListeners.add(listener);
      return () => runListeners.delete(listener);
    },
    onProfilesChanged(listener) {
      profileListeners.add(listener);
      return () => profileListeners.delete(listener);
    },
  };
}

/** `ws(s)://<host>/api?token=<token>` for the page's own server. */
export function socketUrl(location: Location, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}
