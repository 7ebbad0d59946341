// The LabApi over Electron IPC: one ipcMain.handle per method (channel `lab:<method>`).
// Each handler answers only the app's own page in the main frame of the app's window, and
// checks the params (src/shared/api-params.ts) before the service runs. Run updates and
// profile changes are pushed to that window. One desktop-only request sits beside them:
// opening a run's saved output with the OS, by run id and key (the path is the service's).
import { ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';

import {
  API_METHODS,
  ipcChannel,
  IPC_OPEN_SAVED_OUTPUT,
  PUSH_PROFILES_CHANGED,
  PUSH_RUN_UPDATE,
  type ControlOutcome,
  type LabApi,
} from '../shared/api';
import { OPEN_SAVED_OUTPUT_PARAMS } from '../shared/api-params';
import { formatProblem, parseOrProblems } from '../shared/problems';
import { dispatch } from './lab/api-dispatch';
import type { SavedOutputLookup } from './lab/runs-folder';

export function registerLabIpc(api: LabApi & SavedOutputLookup, window: BrowserWindow, isAppPage: (url: string) => boolean): void {
  const fromAppPage = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || window.isDestroyed() || event.sender !== window.webContents) return false;
    // Not a subframe (an <iframe> the page might hold), and the page is the app's own.
    const main = window.webContents.mainFrame;
    return frame.processId === main.processId && frame.frameToken === main.frameToken && isAppPage(frame.url);
  };

  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event, ...params: unknown[]) => {
      if (!fromAppPage(event)) throw new Error(`${method}: refused: the request did not come from the app's own page`);
      const outcome = await dispatch(api, method, params);
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.result;
    });
  }

  ipcMain.handle(IPC_OPEN_SAVED_OUTPUT, async (event, ...params: unknown[]): Promise<ControlOutcome> => {
    if (!fromAppPage(event)) throw new Error("openSavedOutput: refused: the request did not come from the app's own page");
    const parsed = parseOrProblems(OPEN_SAVED_OUTPUT_PARAMS, params);
    if (!parsed.ok) throw new Error(`invalid params for openSavedOutput: ${parsed.problems.map(formatProblem).join('; ')}`);
    const [runId, key, action] = parsed.value;
    const saved = api.savedOutput(runId, key);
    if (!saved) return { ok: false, code: 'ENOENT', message: 'no saved output for that run and stream (only the newest 20 runs are kept)' };
    if (action === 'reveal') {
      shell.showItemInFolder(saved.path);
      return { ok: true };
    }
    // openPath answers with an error message, or '' when the OS opened it.
    const failure = await shell.openPath(saved.path);
    return failure ? { ok: false, message: failure } : { ok: true };
  });

  const push = (channel: string, ...args: unknown[]) => {
    if (!window.isDestroyed()) window.webContents.send(channel, ...args);
  };
  api.onRunUpdate((update) => push(PUSH_RUN_UPDATE, update));
  api.onProfilesChanged(() => push(PUSH_PROFILES_CHANGED));
}
