// Electron main process: the window and its security, and the lab's services (src/main/lab,
// which never imports `electron`) served to that window over IPC (ipc.ts).
import { app, BrowserWindow, dialog, session, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DESKTOP_CSP } from '../shared/csp';
import { registerLabIpc } from './ipc';
import { LabService } from './lab/service';
import { chooseRendererSource } from './renderer-source';
import { leavesAfterPrompt, UNLOAD_PROMPT } from './unload-prompt';

/** The renderer dev server, under `npm run dev` only (renderer-source.ts says when); else undefined. */
const rendererChoice = chooseRendererSource(app.isPackaged, process.env);
if (rendererChoice.ignored) console.warn(`proclab: ${rendererChoice.ignored}`);
const devServerUrl = rendererChoice.source.kind === 'dev-server' ? rendererChoice.source.url : undefined;

const rendererDir = path.join(__dirname, '../renderer');
const rendererDirUrl = pathToFileURL(rendererDir).href + '/';
/** The renderer's page with the desktop's own CSP in its <meta> tag (electron.vite.config.ts). */
const appPage = path.join(rendererDir, 'desktop.html');
const appPageUrl = pathToFileURL(appPage).href;
const preloadPath = path.join(__dirname, '../preload/index.js');

// Every renderer is sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox();

function hardenSession(): void {
  const ses = session.defaultSession;

  // The renderer needs no camera, notifications, clipboard-read, ...: refuse everything,
  // both asynchronous requests and synchronous checks.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  // The desktop's own CSP (no WebSocket: only browser mode needs one; csp.ts) is in
  // desktop.html's <meta> tag, which is what a file:// page gets; it goes as a response
  // header too, for whatever of the app's own files a header reaches. Under `npm run dev`
  // the dev server sends its own (development) policy; see electron.vite.config.ts.
  if (!devServerUrl) {
    ses.webRequest.onHeadersReceived((details, callback) => {
      if (!details.url.startsWith(rendererDirUrl)) {
        callback({});
        return;
      }
      const responseHeaders: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
        if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
      }
      responseHeaders['Content-Security-Policy'] = [DESKTOP_CSP];
      callback({ responseHeaders });
    });
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The app's own page: the built desktop.html, or under `npm run dev` the dev server. */
function isAppPage(url: string): boolean {
  if (devServerUrl) return sameOrigin(url, devServerUrl);
  try {
    const page = new URL(url);
    page.search = '';
    page.hash = '';
    return page.href === appPageUrl;
  } catch {
    return false;
  }
}

function hardenContents(contents: WebContents): void {
  // The app is a single page: no navigation away from it, no new windows, no <webview>.
  // (Under `npm run dev` only, Vite's full reload of the dev server page is let through.)
  contents.on('will-navigate', (event, url) => {
    if (devServerUrl && sameOrigin(url, devServerUrl)) return;
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Process Lab',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // No middle-click: auxclick could open a link in a new window behind the handlers.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // The page asked to stay (it has unsaved drafts): Electron would cancel the close without a
  // word, so ask; preventDefault here lets the window go after all.
  win.webContents.on('will-prevent-unload', (event) => {
    if (leavesAfterPrompt(dialog.showMessageBoxSync(win, { ...UNLOAD_PROMPT, buttons: [...UNLOAD_PROMPT.buttons] }))) event.preventDefault();
  });

  if (devServerUrl) {
    void win.loadURL(devServerUrl);
  } else {
    void win.loadFile(appPage);
  }
  return win;
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

app.on('window-all-closed', () => app.quit());

// Children must not outlive the app: the first quit waits for them to be killed and reaped.
function disposeBeforeQuit(service: LabService): void {
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    void service.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
}

void app.whenReady().then(async () => {
  hardenSession();
  const service = await LabService.open({ profilesDir: path.join(app.getPath('userData'), 'profiles') });
  disposeBeforeQuit(service);
  registerLabIpc(service, createWindow(), isAppPage);
});
