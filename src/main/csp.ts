// The renderer's Content-Security-Policy, in one place.
//
// Delivered twice on purpose: as a response header, by src/main/index.ts
// (session.webRequest.onHeadersReceived) and by browser mode's server
// (src/main/lab/server.ts), and as a <meta> tag in src/renderer/index.html, which also
// covers file:// loads where no response headers exist. electron.vite.config.ts fails the
// build if the meta tag drifts from PRODUCTION_CSP.
//
// Imported by the Electron main process, by browser mode's server (plain Node) and by
// electron.vite.config.ts: keep it free of `electron` and of any runtime dependency.

/** ws://127.0.0.1:* is browser mode's WebSocket (the same API served by `proclab serve`). */
const LAB_SOCKET = 'ws://127.0.0.1:*';

export const PRODUCTION_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  `connect-src 'self' ${LAB_SOCKET}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The dev server's policy (`electron-vite dev` only, never shipped). Vite's HMR client
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
