// The program path, found as Go's exec.LookPath finds it: a name with a '/' is used as
// it is (execve reports what is wrong with it); a bare name is searched in PATH.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

import type { NativeBytes } from './native-bytes';

export type Lookup = { ok: true; path: NativeBytes } | { ok: false; searched: string };

function isExecutableFile(file: NativeBytes): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// PATH comes from the launch environment; without one there, from the lab's own (as
// os/exec does, which always searches the parent's PATH). A program given as bytes is
// searched as bytes; a PATH given as bytes is not read (PATH is text in practice).
export function lookPath(program: NativeBytes, envp: readonly NativeBytes[]): Lookup {
  if (program.includes('/')) return { ok: true, path: program };
  const fromLaunch = envp.find((e): e is string => typeof e === 'string' && e.startsWith('PATH='))?.slice('PATH='.length);
  const searched = fromLaunch ?? process.env.PATH ?? '';
  for (const dir of searched.split(':')) {
    // An empty PATH entry means the current directory.
    const base = dir === '' ? '.' : dir;
    const candidate = typeof program === 'string' ? path.join(base, program) : Buffer.concat([Buffer.from(`${path.join(base)}/`), program]);
    if (isExecutableFile(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, searched };
}
