// postinstall: make sure Electron's TypeScript types are present even when Electron isn't.
//
// `electron` is an optional dependency. Its own install step downloads the Electron binary
// from outside the npm registry; where that is impossible (this CI machine, offline or
// firewalled installs) the install fails and npm removes the whole package, taking
// `electron.d.ts` with it, and src/main + src/preload no longer typecheck.
//
// In that case fetch the registry tarball of the same version (it holds no binary) and
// extract only `electron.d.ts` and `package.json` into node_modules/electron. The result is
// a types-only stub: `require('electron')` still fails (no index.js), which is exactly what
// scripts/start.mjs checks to decide between Electron and browser mode.
//
// This script must never fail an install: any error is a warning and exit code 0.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));

function electronPresent() {
  try {
    require.resolve('electron/package.json');
    return true;
  } catch {
    return false;
  }
}

/** The version npm would have installed: the lockfile's pin, else package.json's range. */
function wantedSpec() {
  try {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const locked = lock.packages?.['node_modules/electron']?.version;
    if (typeof locked === 'string' && locked) return locked;
  } catch {
    // no lockfile or unreadable: fall back to the range
  }
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
  if (typeof range !== 'string' || !range) {
    throw new Error('package.json names no electron version (optionalDependencies.electron)');
  }
  return range;
}

function installTypes() {
  const spec = `electron@${wantedSpec()}`;
  const tmp = mkdtempSync(path.join(tmpdir(), 'proclab-electron-types-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['pack', spec, '--pack-destination', tmp, '--json', '--loglevel=error'], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const packed = JSON.parse(out);
    const filename = Array.isArray(packed) ? packed[0]?.filename : undefined;
    if (typeof filename !== 'string') throw new Error(`npm pack ${spec}: unexpected output`);
    const tarball = path.join(tmp, path.basename(filename));

    const dest = path.join(root, 'node_modules', 'electron');
    mkdirSync(dest, { recursive: true });
    try {
      execFileSync(
        'tar',
        ['-xzf', tarball, '-C', dest, '--strip-components=1', 'package/electron.d.ts', 'package/package.json'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (err) {
      // Leave no half stub behind: a package.json without electron.d.ts would look installed.
      rmSync(dest, { recursive: true, force: true });
      throw err;
    }
    const version = JSON.parse(readFileSync(path.join(dest, 'package.json'), 'utf8')).version;
    return version;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  if (!electronPresent()) {
    const version = installTypes();
    console.log(
      `proclab: the Electron binary is unavailable here; installed electron@${version} types only ` +
        '(for typechecking). `npm start` will use browser mode.',
    );
  }
} catch (err) {
  const stderr = err?.stderr?.toString().split('\n').find((line) => line.trim()) ?? '';
  const msg = stderr.trim() || (err instanceof Error ? err.message : String(err));
  console.warn(`proclab: warning: could not install Electron's types (${msg}); src/main will not typecheck.`);
}
process.exit(0);
