// How bin/proclab.js starts the command line: the CLI bundled in one file (dist/cli/proclab.cjs,
// scripts/build-lib.mjs), compiled with the V8 code cache made for it at the same build
// (cached-bundle.ts).
import path from 'node:path';

import { loadBundle, loadBundleAndWriteCodeCache } from '../main/lab/cached-bundle';

export const BUNDLE = path.join(__dirname, 'proclab.cjs');

export function start(): void {
  loadBundle(BUNDLE);
}

// At build (scripts/build-lib.mjs), run as `node dist/cli/start.js run TRUE.json`: runs the
// CLI with those arguments and, when it ends with status 0, keeps what V8 compiled for it.
if (require.main === module) {
  process.argv = [process.argv[0]!, BUNDLE, ...process.argv.slice(2)];
  loadBundleAndWriteCodeCache(BUNDLE);
}
