// The renderer's one way to reach the lab. In Electron the preload exposes `window.lab`;
// in browser mode the same interface runs over a WebSocket. Nothing else in the renderer
// knows which one it has.
import type { BrowserSessionApi, ControlOutcome, LabApi, SavedOutputAction } from '@shared/api';
import { setConnection } from '../stores/connection';
import { sessionToken } from './session';
import { createSocketApi, socketUrl } from './socket';

let api: LabApi | null = null;
/** Browser mode's one-time links (null in the desktop app, or without a session). */
let browserSession: BrowserSessionApi | null = null;

export function getLabApi(): LabApi {
  if (api) return api;
  if (window.lab) {
    setConnection({ state: 'open', retryAt: null });
    api = window.lab;
    return api;
  }
  const token = sessionToken();
  if (token) {
    const socketApi = createSocketApi(socketUrl(window.location, token));
    api = socketApi;
    browserSession = socketApi;
    return api;
  }
  setConnection({ state: 'no-token', retryAt: null });
  api = unavailableApi();
  return api;
}

export function getBrowserSession(): BrowserSessionApi | null {
  getLabApi();
  return browserSession;
}

/**
 * How a run's saved output reaches the user: the desktop app opens it with the OS (or
 * shows it in its folder); browser mode downloads it from the server, by a one-time link
 * it asks for at each download; a page with neither only shows the path.
 */
export type SavedOutputAccess =
  | { kind: 'desktop'; open(runId: string, key: string, action: SavedOutputAction): Promise<ControlOutcome> }
  | { kind: 'download'; link(runId: string, key: string): Promise<string> }
  | { kind: 'none' };

export function savedOutputAccess(): SavedOutputAccess {
  const lab = getLabApi();
  if (lab.openSavedOutput) return { kind: 'desktop', open: (runId, key, action) => lab.openSavedOutput!(runId, key, action) };
  const session = getBrowserSession();
  if (!session) return { kind: 'none' };
  return { kind: 'download', link: (runId, key) => session.savedOutputDownloadLink(runId, key) };
}

/** Opened without the preload and without a token: every call fails with a plain reason. */
function unavailableApi(): LabApi {
  const fail = () =>
    Promise.reject(new Error('Not connected: open the URL that `proclab serve` printed, with its ?token=…'));
  return {
    listProfiles: fail,
    saveProfile: fail,
    deleteProfile: fail,
    examplesStatus: fail,
    restoreExamples: fail,
    undoRestoreExamples: fail,
    validate: fail,
    plan: fail,
    execPreview: fail,
    sandboxPlan: fail,
    lookPath: fail,
    exportCode: fail,
    verifyExport: fail,
    inspect: fail,
    importShell: fail,
    importProcess: fail,
    listProcesses: fail,
    launch: fail,
    signal: fail,
    ptrace: fail,
    input: fail,
    resize: fail,
    saveDraft: fail,
    listDrafts: fail,
    discardDraft: fail,
    listRecentRuns: fail,
    listSecretKeys: fail,
    setSecret: fail,
    deleteSecret: fail,
    listLessons: fail,
    checkLesson: fail,
    showLessonHint: fail,
    onRunUpdate: () => () => {},
    onProfilesChanged: () => () => {},
  };
}
