// `npm start`: build the app when needed, then run it in Electron, or, where Electron
// can't start (no binary, no display, root), fall back to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));

/** What `electron-vite build` writes. */
const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];
/** What it reads. */
const sources = [
  'src/main',
  'src/preload',
  'src/renderer',
  'src/shared',
  'electron.vite.config.ts',
  'package.json',
];

function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Why the build in out/ can't be used as is, or null when it is up to date. */
function buildNeeded() {
  const missing = outputs.find((f) => !existsSync(path.join(root, f)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...outputs.map((f) => statSync(path.join(root, f)).mtimeMs));
  const changed = sources.find((s) => newestMtime(path.join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function build(reason) {
  console.log(`proclab: building the app (${reason})...`);
  const pkgJson = require.resolve('electron-vite/package.json');
  const bin = path.join(path.dirname(pkgJson), require(pkgJson).bin['electron-vite']);
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('proclab: the build failed; see above.');
    process.exit(result.status ?? 1);
  }
}

/**
 * The Electron binary, or the reason there is none. `require('electron')` returns the
 * binary's path and throws when the package or its binary is missing; it runs in a child
 * process so that this script never loads the electron package itself.
 */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "console.log(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
  });
  if (probe.status === 0) {
    const binary = probe.stdout.trim();
    if (binary && existsSync(binary)) return { binary };
    return { reason: `the Electron binary is missing (${binary || 'no path'})` };
  }
  let installed = false;
  try {
    require.resolve('electron/package.json');
    installed = true;
  } catch {
    // not installed at all
  }
  return {
    reason: installed
      ? 'the Electron binary is not installed: node_modules/electron holds its types only'
      : 'the electron package is not installed',
  };
}

/** Why Electron can't show a window here, or null. */
function environmentProblem() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set';
  }
  // Chromium's sandbox refuses root; the app never runs without it.
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    return "running as root, where Electron's sandbox refuses to start";
  }
  return null;
}

function startElectron(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node.js
  const child = spawn(binary, [root], { cwd: root, env, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`proclab: could not run Electron (${err.message})`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 0);
  });
}

/**
 * Browser mode: the same services behind a token-guarded WebSocket, serving out/renderer,
 * opened in any browser (`proclab serve`). It arrives with issue 3; this is the one place
 * to start it from. Until then, say so and fail.
 */
function startBrowserMode(reason) {
  console.error(
    `Electron cannot start here (${reason}).\n` +
      'Browser mode: not available yet; `proclab serve` arrives with issue 3.',
  );
  process.exit(1);
}

const stale = buildNeeded();
if (stale) build(stale);

const electron = findElectron();
const problem = electron.reason ?? environmentProblem();
if (problem) startBrowserMode(problem);
else startElectron(electron.binary);
