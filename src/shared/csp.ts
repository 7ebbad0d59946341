// The renderer's Content-Security-Policies, in one place.
//
// Two policies, because the two ways of showing the app need different connections:
//   - PRODUCTION_CSP, browser mode's: its page talks to the lab over a WebSocket. Sent as
//     a header by browser mode's server (src/main/lab/server.ts), and in the <meta> tag of
//     src/renderer/index.html (electron.vite.config.ts fails the build if they drift).
//   - DESKTOP_CSP, the Electron window's: it talks to the lab over IPC only, so it may open
//     no WebSocket at all. Its page is loaded from file://, where no response header
//     carries a policy, so the build writes it into the <meta> tag of a copy of the page,
//     out/renderer/desktop.html, which the window loads (src/main/index.ts also sends it as
//     a header, for whatever a header reaches).
//
// Data only (src/shared): imported by the Electron main process, by browser mode's server and by
// electron.vite.config.ts: keep it free of `electron` and of any runtime dependency.

/** ws://127.0.0.1:* is browser mode's WebSocket (the same API served by `proclab serve`). */
const LAB_SOCKET = 'ws://127.0.0.1:*';

const policy = (connectSrc: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

/** The Electron window's: no WebSocket (its API is IPC). */
export const DESKTOP_CSP = policy("'self'");

/** Browser mode's, and index.html's <meta> tag: the lab's WebSocket besides. */
export const PRODUCTION_CSP = policy(`'self' ${LAB_SOCKET}`);

/**
 * The dev server's policy (`npm run dev` only, never shipped). Vite's HMR client
 * injects CSS as <style> elements, hence 'unsafe-inline' for styles; the React Fast Refresh
 * preamble is one inline module script, allowed by its hash, not by 'unsafe-inline'.
 */
export function developmentCsp(inlineScriptHashes: readonly string[]): string {
  const hashes = inlineScriptHashes.map((h) => ` '${h}'`).join('');
  return [
    "default-src 'self'",
    `script-src 'self'${hashes}`,
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://localhost:* ${LAB_SOCKET}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
