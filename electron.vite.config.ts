// electron-vite: builds src/main, src/preload and src/renderer into out/.
//   out/main/index.js      Electron main (CJS)
//   out/preload/index.js   sandboxed preload (CJS, self-contained)
//   out/renderer/          the React app (relative asset paths: loads from file://):
//                          index.html for browser mode, desktop.html for the Electron window
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { DESKTOP_CSP, PRODUCTION_CSP, developmentCsp } from './src/shared/csp';

const root = __dirname;

// electron-vite derives its node/chrome build targets from node_modules/electron's
// package.json. Where npm dropped the optional `electron` package entirely (no binary
// download possible, and scripts/ensure-electron-types.mjs not run), fall back to the
// major version of the range package.json asks for, so that the build still works.
if (!process.env['ELECTRON_MAJOR_VER']) {
  try {
    createRequire(path.join(root, 'package.json')).resolve('electron/package.json');
  } catch {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    const major = /(\d+)/.exec(pkg.optionalDependencies?.['electron'] ?? '')?.[1];
    if (major) process.env['ELECTRON_MAJOR_VER'] = major;
  }
}

/** A `.node` file (the N-API engine) is loaded at run time from native/build, never bundled. */
const nativeAddon = /\.node$/;

const sha256 = (text: string): string => `sha256-${createHash('sha256').update(text).digest('base64')}`;

/**
 * Keeps index.html's CSP <meta> tag equal to src/shared/csp.ts: the build fails if it drifts;
 * the dev server swaps in the development policy (and sends it as a header as well).
 */
function contentSecurityPolicy(devPolicy: string): Plugin {
  const metaRe = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
  return {
    name: 'proclab:csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const match = metaRe.exec(html);
        if (!match) throw new Error('src/renderer/index.html: no Content-Security-Policy <meta> tag');
        if (ctx.server) return html.replace(metaRe, `$1${devPolicy}$3`);
        if (match[2] !== PRODUCTION_CSP) {
          throw new Error(
            'src/renderer/index.html: the Content-Security-Policy <meta> tag differs from ' +
              `PRODUCTION_CSP in src/shared/csp.ts.\n  meta: ${match[2]}\n  csp.ts: ${PRODUCTION_CSP}`,
          );
        }
        return html;
      },
    },
  };
}

/**
 * desktop.html: index.html with the desktop's own policy in its <meta> tag. The Electron
 * window loads its page from file://, where no response header carries a policy (Electron's
 * security guide: use the <meta> tag there), so its policy must be in the page itself.
 */
function desktopPage(): Plugin {
  return {
    name: 'proclab:desktop-page',
    apply: 'build',
    enforce: 'post', // after Vite's own plugin has emitted index.html
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (page?.type !== 'asset') throw new Error('the renderer build made no index.html');
      const html = String(page.source);
      const meta = `content="${PRODUCTION_CSP}"`;
      if (!html.includes(meta)) throw new Error("index.html's Content-Security-Policy <meta> tag is not PRODUCTION_CSP");
      this.emitFile({ type: 'asset', fileName: 'desktop.html', source: html.replace(meta, `content="${DESKTOP_CSP}"`) });
    },
  };
}

// The React Fast Refresh preamble, inlined into index.html by the React plugin in dev.
const devPolicy = developmentCsp([sha256(react.preambleCode.replace('__BASE__', '/'))]);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: path.join(root, 'src/main/index.ts') },
      // Node builtins and `electron` are external by electron-vite's preset; package.json
      // dependencies stay external too (required from node_modules at run time).
      externalizeDeps: true,
      rolldownOptions: {
        external: [nativeAddon],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: path.join(root, 'src/preload/index.ts') },
      // A sandboxed preload can require only `electron` (and a few builtins): bundle
      // everything else into the one file.
      externalizeDeps: false,
    },
  },
  renderer: {
    root: path.join(root, 'src/renderer'),
    // Relative asset URLs, so that out/renderer/index.html works from file:// (Electron)
    // as well as from any HTTP path (browser mode).
    base: './',
    resolve: { alias: { '@shared': path.join(root, 'src/shared') } },
    plugins: [react(), contentSecurityPolicy(devPolicy), desktopPage()],
    server: {
      headers: { 'Content-Security-Policy': devPolicy },
    },
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: path.join(root, 'src/renderer/index.html'),
      },
    },
  },
});
