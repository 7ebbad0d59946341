// Where the desktop window's page comes from: the app's own built files, or, under
// `npm run dev` only, electron-vite's dev server. electron-vite sets ELECTRON_RENDERER_URL
// for its dev run, but anything that starts the app can set it too (`npm start` runs the
// unpackaged app, where `app.isPackaged` is false): honoured there, it would load a page
// from anywhere into the window that holds the lab's whole API. So it is honoured only with
// the dev script's own flag (PROCLAB_DEV=1), never in a packaged app, and only for an
// http:// URL on a loopback address, where a dev server runs.
// No `electron` import here: src/main/index.ts passes `app.isPackaged` in, and the tests
// run this under plain Node.

export type RendererSource = { kind: 'built' } | { kind: 'dev-server'; url: string };

export interface RendererChoice {
  source: RendererSource;
  /** Why ELECTRON_RENDERER_URL was set and not used, for a line on stderr. */
  ignored?: string;
}

/** Set by package.json's `dev` script: the only run that may load a dev server. */
export const DEV_FLAG = 'PROCLAB_DEV';

export function chooseRendererSource(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): RendererChoice {
  const built: RendererSource = { kind: 'built' };
  const requested = env['ELECTRON_RENDERER_URL'];
  if (requested === undefined || requested === '') return { source: built };
  const ignored = (why: string) => ({ source: built, ignored: `ELECTRON_RENDERER_URL (${requested}) is ignored: ${why}; loading the built app` });
  if (isPackaged) return ignored('a packaged app loads only its own files');
  if (env[DEV_FLAG] !== '1') return ignored(`only \`npm run dev\` (${DEV_FLAG}=1) loads a dev server`);
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return ignored('not a URL');
  }
  if (url.protocol !== 'http:') return ignored('a dev server is served over http://');
  if (!isLoopback(url.hostname)) return ignored('a dev server runs on this machine (localhost, 127.0.0.0/8 or [::1])');
  if (url.username !== '' || url.password !== '') return ignored('a dev server URL carries no credentials');
  return { source: { kind: 'dev-server', url: url.href } };
}

/** `URL.hostname` of a loopback address: localhost, 127.0.0.0/8 (the URL parser normalises it), [::1]. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
