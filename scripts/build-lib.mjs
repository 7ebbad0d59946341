// `npm run build:lib`: the library and the command line, for plain Node.
//   1. tsc -p tsconfig.lib.json: src/shared, src/main/lab and src/cli into dist/.
//   2. The CLI bundled into one file, dist/cli/proclab.cjs (esbuild), which bin/proclab.js
//      starts through dist/cli/start.js, and the library, src/main/lab/index.ts, into
//      dist/main/lab/library.cjs, which require('proclab') loads through
//      dist/main/lab/library-bundle.js: one file loads faster than the ~190 modules of dist/
//      and node_modules a command would load (~100 for the library), and holds only the
//      parts of zod the schemas use (docs/performance.md, "The command line's start", "The
//      library as one bundle").
//   3. Their V8 code caches, from the same profile of /bin/true: the CLI's from a `proclab run`
//      (dist/cli/start.js), the library's from a launch, a plan and a validation
//      (dist/main/lab/library-bundle.js).
//      They need the engine (npm run build:native); without it both work, only compile at
//      each start.
//
// One copy of every module of the project is in each bundle: the parts loaded on first use
// (serve, export --verify, import --shell, the lessons) are in it too, run when first
// imported, so an error class or a zod schema is one object everywhere within it. Left out,
// and required from node_modules when those parts run: ws (browser mode's server),
// web-tree-sitter and tree-sitter-bash (import --shell), which find their .wasm files by
// require.resolve. The engine's addon is required by its path at run time (engine.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function run(command, args) {
  const done = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (done.status !== 0) process.exit(done.status ?? 1);
}

run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.lib.json']);

// Commander requires node:child_process when it loads, and with it node:net: it gets a
// stand-in that requires the module on first use (scripts/lazy-child-process.cjs).
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: path.join(root, 'scripts', 'lazy-child-process.cjs') } : undefined,
    );
  },
};

const cliStart = path.join(root, 'dist/cli/start.js');
const libraryStart = path.join(root, 'dist/main/lab/library-bundle.js');
const { BUNDLE } = require(cliStart);
const LIBRARY_BUNDLE = path.join(root, 'dist/main/lab/library.cjs');  // the name library-bundle.ts loads
const bundles = [
  { entry: 'src/cli/main.ts', outfile: BUNDLE },
  { entry: 'src/main/lab/index.ts', outfile: LIBRARY_BUNDLE },
];
for (const { entry, outfile } of bundles) {
  rmSync(`${outfile}.v8-cache`, { force: true });  // a stale one would be refused anyway
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['ws', 'web-tree-sitter', 'tree-sitter-bash'],
    plugins: [lazyChildProcessForCommander],
    // Whitespace and syntax only (names kept: a stack trace still names its functions): a
    // smaller file for every start to read; 3 ms of the CLI's start (docs/performance.md).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-build-'));
try {
  const profile = path.join(scratch, 'true.json');
  writeFileSync(profile, JSON.stringify({ version: 1, name: 'code cache', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }] }));
  for (const [what, args] of [['the CLI', [cliStart, 'run', profile]], ['the library', [libraryStart, profile]]]) {
    const made = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (made.status !== 0) console.error(`build:lib: no code cache for ${what} (it compiles at each start): its run of /bin/true failed:\n${made.stderr}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
