// The LabApi over Electron IPC: one ipcMain.handle per method (channel `lab:<method>`).
// Each handler answers only the app's own page in the main frame of the app's window, and
// checks the params (src/shared/api-params.ts) before the service runs. Run updates and
// profile changes are pushed to that window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';

import { API_METHODS, ipcChannel, PUSH_PROFILES_CHANGED, PUSH_RUN_UPDATE, type LabApi } from '../shared/api';
import { dispatch } from './lab/api-dispatch';

export function registerLabIpc(api: LabApi, window: BrowserWindow, isAppPage: (url: string) => boolean): void {
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

  const push = (channel: string, ...args: unknown[]) => {
    if (!window.isDestroyed()) window.webContents.send(channel, ...args);
  };
  api.onRunUpdate((update) => push(PUSH_RUN_UPDATE, update));
  api.onProfilesChanged(() => push(PUSH_PROFILES_CHANGED));
}
