// `npm start`: build the app when needed, then run it in Electron, or, where Electron
// can't start (no binary, no display, root), fall back to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildIfNeeded, root, TARGETS } from './build-if-needed.mjs';

const require = createRequire(path.join(root, 'package.json'));

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

/** Runs a child with our stdio until it ends, forwarding SIGINT/SIGTERM, and exits as it did. */
function runToEnd(command, args, env) {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`proclab: could not run ${path.basename(command)} (${err.message})`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 0);
    // End the same way: with our own handlers gone, the signal's default action.
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    process.kill(process.pid, signal);
  });
}

function startElectron(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node.js
  // `npm start` runs the built app, never a dev server (src/main/renderer-source.ts).
  delete env.PROCLAB_DEV;
  delete env.ELECTRON_RENDERER_URL;
  runToEnd(binary, [root], env);
}

/**
 * Browser mode: the same services behind a token-guarded WebSocket, serving out/renderer,
 * opened in any browser. `proclab serve` prints the URL (with its token) to open.
 */
function startBrowserMode(reason) {
  console.error(`proclab: Electron cannot start here (${reason}); starting browser mode instead.`);
  buildIfNeeded(TARGETS.library);
  runToEnd(process.execPath, [path.join(root, 'bin', 'proclab.js'), 'serve', '--port', '0'], process.env);
}

buildIfNeeded(TARGETS.app);

const electron = findElectron();
const problem = electron.reason ?? environmentProblem();
if (problem) startBrowserMode(problem);
else startElectron(electron.binary);
