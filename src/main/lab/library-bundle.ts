// What require('proclab') loads (package.json "exports"): the library, index.ts and all it
// imports, bundled into one file (dist/main/lab/library.cjs, scripts/build-lib.mjs) and
// compiled with the V8 code cache made for it at the build (cached-bundle.ts). The ~100
// modules of dist/ and node_modules took 80-160 ms to load and the first launch ran code
// compiled on the spot; the bundle loads in 15-20 ms (docs/performance.md, "The library as
// one bundle"). Types are index.ts's (package.json "exports", "types"). A build that ran tsc
// alone has no bundle: index.js and its modules are then loaded as they are.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { loadBundle, loadBundleAndWriteCodeCache } from './cached-bundle';

const BUNDLE = path.join(__dirname, 'library.cjs');

function library(): unknown {
  // At the build, run as `node dist/main/lab/library-bundle.js TRUE.json` (the profile the
  // CLI's cache is made with): a launch, a plan and a validation of it through the bundle,
  // and its code cache written if they all went well.
  if (require.main === module) return warmAndWriteCodeCache(process.argv[2]!);
  return existsSync(BUNDLE) ? loadBundle(BUNDLE) : require('./index');
}

function warmAndWriteCodeCache(profileFile: string): unknown {
  const lab = loadBundleAndWriteCodeCache(BUNDLE) as typeof import('./index');
  const profile: unknown = JSON.parse(readFileSync(profileFile, 'utf8'));
  lab.validate(profile);
  lab.plan(profile);
  void lab.launch(profile).result.then((result) => {
    if (result.status?.kind !== 'exited' || result.status.code !== 0) process.exitCode = 1;
  });
  return lab;
}

module.exports = library();
