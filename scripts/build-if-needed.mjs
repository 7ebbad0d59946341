// Builds what `npm start` and `proclab serve` run, when it is missing or older than its
// sources: the app (electron-vite: Electron main, preload and the renderer in out/) and the
// library with the CLI (scripts/build-lib.mjs: dist/). Progress goes to stderr: `proclab
// serve` keeps its stdout for the URL.
//
//   node scripts/build-if-needed.mjs app|library
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));

/** A package's command-line script, run with this node (no shell, no PATH). */
function packageBin(pkg, name) {
  const pkgJson = require.resolve(`${pkg}/package.json`);
  return path.join(path.dirname(pkgJson), require(pkgJson).bin[name]);
}

export const TARGETS = {
  app: {
    what: 'the app',
    outputs: ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html', 'out/renderer/desktop.html'],
    sources: ['src/main', 'src/preload', 'src/renderer', 'src/shared', 'electron.vite.config.ts', 'package.json'],
    command: () => [packageBin('electron-vite', 'electron-vite'), 'build'],
  },
  library: {
    what: 'the library and CLI',
    outputs: ['dist/cli/start.js', 'dist/cli/proclab.cjs', 'dist/main/lab/index.js'],
    sources: ['src/main/lab', 'src/cli', 'src/shared', 'tsconfig.lib.json', 'tsconfig.base.json', 'scripts/build-lib.mjs'],
    command: () => [path.join(root, 'scripts', 'build-lib.mjs')],
  },
};

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

/** Why the target's build can't be used as it is, or null when it is up to date. */
export function buildNeeded(target) {
  const missing = target.outputs.find((f) => !existsSync(path.join(root, f)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...target.outputs.map((f) => statSync(path.join(root, f)).mtimeMs));
  const changed = target.sources.find((s) => newestMtime(path.join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/** Builds the target when needed; exits the process when the build fails. */
export function buildIfNeeded(target) {
  const reason = buildNeeded(target);
  if (!reason) return;
  console.error(`proclab: building ${target.what} (${reason})...`);
  const result = spawnSync(process.execPath, target.command(), { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    console.error(`proclab: building ${target.what} failed; see above.`);
    process.exit(result.status ?? 1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = TARGETS[process.argv[2]];
  if (!target) {
    console.error(`usage: node scripts/build-if-needed.mjs ${Object.keys(TARGETS).join('|')}`);
    process.exit(2);
  }
  buildIfNeeded(target);
}
