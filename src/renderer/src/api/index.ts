// The renderer's one way to reach the lab. In Electron the preload exposes `window.lab`;
// in browser mode the same interface runs over a WebSocket. Nothing else in the renderer
// knows which one it has.
import { savedOutputDownloadPath, type LabApi, type SavedOutputAction, type ControlOutcome } from '../../../shared/api';
import { setConnection } from '../stores/connection';
import { createSocketApi, pageToken, socketUrl } from './socket';

let api: LabApi | null = null;

export function getLabApi(): LabApi {
  if (api) return api;
  if (window.lab) {
    setConnection({ state: 'open', retryAt: null });
    api = window.lab;
    return api;
  }
  const url = socketUrl(window.location);
  if (url) {
    api = createSocketApi(url);
    return api;
  }
  setConnection({ state: 'no-token', retryAt: null });
  api = unavailableApi();
  return api;
}

/**
 * How a run's saved output reaches the user: the desktop app opens it with the OS (or
 * shows it in its folder); browser mode downloads it from the server, with the page's
 * token; a page with neither only shows the path.
 */
export type SavedOutputAccess =
  | { kind: 'desktop'; open(runId: string, key: string, action: SavedOutputAction): Promise<ControlOutcome> }
  | { kind: 'download'; href(runId: string, key: string): string }
  | { kind: 'none' };

export function savedOutputAccess(): SavedOutputAccess {
  const lab = getLabApi();
  if (lab.openSavedOutput) return { kind: 'desktop', open: (runId, key, action) => lab.openSavedOutput!(runId, key, action) };
  const token = pageToken(window.location);
  if (!token) return { kind: 'none' };
  return { kind: 'download', href: (runId, key) => `${savedOutputDownloadPath(runId, key)}?token=${encodeURIComponent(token)}` };
}

/** Opened without the preload and without a token: every call fails with a plain reason. */
function unavailableApi(): LabApi {
  const fail = () =>
    Promise.reject(new Error('Not connected: open the URL that `proclab serve` printed, with its ?token=…'));
  return {
    listProfiles: fail,
    saveProfile: fail,
    deleteProfile: fail,
    restoreExamples: fail,
    validate: fail,
    plan: fail,
    sandboxPlan: fail,
    lookPath: fail,
    launch: fail,
    signal: fail,
    ptrace: fail,
    input: fail,
    resize: fail,
    onRunUpdate: () => () => {},
    onProfilesChanged: () => () => {},
  };
}
