// The package's own folder, wherever it lives: the repository (sources under tsx), dist/
// for the CLI and library, out/ for Electron's bundle.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder above this file that holds the package's native/ sources. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'native', 'binding.gyp'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Process Lab: no native/ folder above ${__dirname}`);
  }
}
