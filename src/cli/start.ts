// How bin/proclab.js starts the command line: the CLI bundled in one file (dist/cli/proclab.cjs,
// scripts/build-lib.mjs), compiled with the V8 code cache made for it at the same build. Node
// 20 keeps no compile cache of its own (module.enableCompileCache is Node 22's), and
// compiling the bundle and the functions a command runs was a good part of the CLI's start
// (docs/performance.md, "The command line's start"). V8 refuses a cache made by another V8
// (Node 24), under other flags or for another source; the bundle is then compiled as if
// there were none.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { constants, Script } from 'node:vm';

export const BUNDLE = path.join(__dirname, 'proclab.cjs');
export const CODE_CACHE = `${BUNDLE}.v8-cache`;

type ModuleWrapper = (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

function codeCache(): Buffer | undefined {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

// The bundle as a CommonJS module, the wrapper Node's loader puts around one.
function compileBundle(cachedData: Buffer | undefined): Script {
  const source = readFileSync(BUNDLE, 'utf8');
  return new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: BUNDLE,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

// Runs it as the module it is: the CLI parses process.argv and does the command.
function runBundle(script: Script): void {
  const bundle = new Module(BUNDLE);
  bundle.filename = BUNDLE;
  (script.runInThisContext() as ModuleWrapper).call(bundle.exports, bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, path.dirname(BUNDLE));
}

export function start(): void {
  runBundle(compileBundle(codeCache()));
}

// At build (scripts/build-lib.mjs), run as `node dist/cli/start.js run TRUE.json`: runs the
// CLI with those arguments and, when it ends with status 0, writes the code V8 compiled for
// it (the bundle's top level and every function the command ran) as the cache.
function writeCodeCache(args: string[]): void {
  const script = compileBundle(undefined);
  process.argv = [process.argv[0], BUNDLE, ...args];
  process.on('exit', (status) => {
    if (status !== 0) return;
    writeFileSync(`${CODE_CACHE}.tmp`, script.createCachedData());
    renameSync(`${CODE_CACHE}.tmp`, CODE_CACHE);
  });
  runBundle(script);
}

if (require.main === module) writeCodeCache(process.argv.slice(2));
