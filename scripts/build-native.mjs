// Builds the N-API engine and the probe (native/binding.gyp) with node-gyp.
// node-gyp normally downloads Node's headers; this machine (and many distro or nvm
// installs) already has them next to the running node, so use those when present and
// build fully offline. Elsewhere node-gyp falls back to its usual header download.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');

// --incremental (used by npm test): only what changed since the last build, when there is one.
const incremental = process.argv.includes('--incremental') && existsSync(path.join(root, 'native/build/Makefile'));
const args = [nodeGyp, incremental ? 'build' : 'rebuild', '--directory', path.join(root, 'native')];
const prefix = path.dirname(path.dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(path.join(prefix, 'include/node/node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
// The names the engine shares with the lab, first: the C++ build includes them.
const names = spawnSync(process.execPath, [path.join(root, 'scripts/generate-engine-names.mjs')], { stdio: 'inherit' });
if (names.status !== 0) process.exit(names.status ?? 1);
const built = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(built.status ?? 1);
