// A bundle of scripts/build-lib.mjs (the CLI's, the library's) run as the CommonJS module it
// is, compiled with the V8 code cache the build made for it. Node 20 keeps no compile cache
// of its own (module.enableCompileCache is Node 22's), and compiling the code a command or a
// first launch runs was a good part of their time (docs/performance.md, "The command line's
// start", "The library as one bundle"). V8 refuses a cache made by another V8 (Node 24),
// under other flags or for another source; the bundle is then compiled as if there were none.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { constants, Script } from 'node:vm';

type ModuleWrapper = (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

/** Where a bundle's code cache is kept: beside it. */
export const codeCacheOf = (bundle: string): string => `${bundle}.v8-cache`;

function readCodeCache(bundle: string): Buffer | undefined {
  try {
    return readFileSync(codeCacheOf(bundle));
  } catch {
    return undefined;
  }
}

// The bundle inside the wrapper Node's loader puts around a CommonJS module.
function compile(bundle: string, cachedData: Buffer | undefined): Script {
  const source = readFileSync(bundle, 'utf8');
  return new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundle,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

function run(script: Script, bundle: string): unknown {
  const module = new Module(bundle);
  module.filename = bundle;
  (script.runInThisContext() as ModuleWrapper).call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports;
}

/** Runs the bundle, compiled with its code cache when V8 takes it; its exports. */
export function loadBundle(bundle: string): unknown {
  return run(compile(bundle, readCodeCache(bundle)), bundle);
}

/**
 * At the build: runs the bundle compiled without a cache and, when the process then ends with
 * status 0, writes what V8 compiled for it (the top level and every function that ran) as its
 * cache. Its exports.
 */
export function loadBundleAndWriteCodeCache(bundle: string): unknown {
  const script = compile(bundle, undefined);
  process.on('exit', (status) => {
    if (status !== 0) return;
    const cache = codeCacheOf(bundle);
    writeFileSync(`${cache}.tmp`, script.createCachedData());
    renameSync(`${cache}.tmp`, cache);
  });
  return run(script, bundle);
}
