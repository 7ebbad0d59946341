// The program path, found as Go's exec.LookPath finds it: a name with a '/' is used as
// it is (execve reports what is wrong with it); a bare name is searched in PATH.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export type Lookup = { ok: true; path: string } | { ok: false; searched: string };

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// PATH comes from the launch environment; without one there, from the lab's own (as
// os/exec does, which always searches the parent's PATH).
export function lookPath(program: string, envp: readonly string[]): Lookup {
  if (program.includes('/')) return { ok: true, path: program };
  const fromLaunch = envp.find((e) => e.startsWith('PATH='))?.slice('PATH='.length);
  const searched = fromLaunch ?? process.env.PATH ?? '';
  for (const dir of searched.split(':')) {
    // An empty PATH entry means the current directory.
    const candidate = path.join(dir === '' ? '.' : dir, program);
    if (isExecutableFile(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, searched };
}
