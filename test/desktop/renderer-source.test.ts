// The desktop window's page: a dev server only for `npm run dev` (PROCLAB_DEV=1) on a
// loopback http:// URL, never in a packaged app; the built files otherwise. And the
// desktop's CSP, which needs no WebSocket (that is browser mode's).
// Run: node --import tsx --test test/desktop/renderer-source.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { DESKTOP_CSP, PRODUCTION_CSP } from '../../src/shared/csp';
import { chooseRendererSource } from '../../src/main/renderer-source';

const DEV = { PROCLAB_DEV: '1' };
const source = (isPackaged: boolean, env: Record<string, string>) => chooseRendererSource(isPackaged, env).source;
const built = { kind: 'built' };

describe('where the desktop window loads its page from', () => {
  test('`npm start` (unpackaged, no dev flag): the built app, even with ELECTRON_RENDERER_URL set', () => {
    const choice = chooseRendererSource(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' });
    assert.deepEqual(choice.source, built);
    assert.match(choice.ignored!, /^ELECTRON_RENDERER_URL \(http:\/\/127\.0\.0\.1:5173\/\) is ignored: only `npm run dev` \(PROCLAB_DEV=1\)/);
    assert.deepEqual(chooseRendererSource(false, { ELECTRON_RENDERER_URL: 'https://evil.example/', PROCLAB_DEV: '0' }).source, built);
  });

  test('`npm run dev`: the dev server on a loopback http:// URL', () => {
    for (const url of ['http://localhost:5173/', 'http://127.0.0.1:5173/', 'http://127.1.2.3:8080/', 'http://[::1]:5173/']) {
      assert.deepEqual(source(false, { ...DEV, ELECTRON_RENDERER_URL: url }), { kind: 'dev-server', url }, url);
    }
  });

  test('`npm run dev` with any other URL: the built app, and why', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://localhost:5173/', /served over http:\/\//],
      ['http://evil.example:5173/', /runs on this machine/],
      ['http://192.168.1.5:5173/', /runs on this machine/],
      ['http://127.0.0.1.evil.example/', /runs on this machine/],
      ['http://user:pw@localhost:5173/', /no credentials/],
      ['file:///tmp/page.html', /served over http:\/\//],
      ['javascript:alert(1)', /served over http:\/\//],
      ['not a url', /not a URL/],
    ];
    for (const [url, why] of cases) {
      const choice = chooseRendererSource(false, { ...DEV, ELECTRON_RENDERER_URL: url });
      assert.deepEqual(choice.source, built, url);
      assert.match(choice.ignored!, why, url);
    }
  });

  test('a packaged app never loads a dev server', () => {
    const choice = chooseRendererSource(true, { ...DEV, ELECTRON_RENDERER_URL: 'http://localhost:5173/' });
    assert.deepEqual(choice.source, built);
    assert.match(choice.ignored!, /a packaged app loads only its own files/);
  });

  test('no ELECTRON_RENDERER_URL: the built app, nothing to say', () => {
    assert.deepEqual(chooseRendererSource(false, DEV), { source: built });
    assert.deepEqual(chooseRendererSource(false, { ELECTRON_RENDERER_URL: '' }), { source: built });
  });
});

describe('the content security policies', () => {
  test("the desktop window's CSP has no WebSocket; browser mode's adds only the lab's", () => {
    assert.doesNotMatch(DESKTOP_CSP, /ws:/);
    assert.match(DESKTOP_CSP, /(^|; )connect-src 'self'(;|$)/);
    assert.equal(PRODUCTION_CSP, DESKTOP_CSP.replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:*"));
  });

  test('the dev script sets the flag the desktop needs for a dev server', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['dev']!, /^PROCLAB_DEV=1 electron-vite\b/);
    assert.doesNotMatch(pkg.scripts['start']!, /PROCLAB_DEV/);
  });
});
