// The program path, found as Go's exec.LookPath finds it: a name with a '/' is used as
// it is (execve reports what is wrong with it); a bare name is searched in PATH.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

import { shown, type NativeBytes } from './native-bytes';

/** A PATH candidate passed over, and why (what exec.LookPath checks: a regular file with an x bit). */
export interface SkippedCandidate {
  path: string;
  why: 'missing' | 'not a regular file' | 'not executable';
}

export type Lookup =
  | { ok: true; path: NativeBytes; searched?: PathSearch }
  | { ok: false; searched: PathSearch };

/** The PATH a name was searched in, where it came from, and the candidates passed over. */
export interface PathSearch {
  value: string;
  from: 'launch' | 'lab';
  skipped: SkippedCandidate[];
}

function whyNot(file: NativeBytes): SkippedCandidate['why'] | null {
  try {
    if (!statSync(file).isFile()) return 'not a regular file';
    accessSync(file, constants.X_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EACCES' ? 'not executable' : 'missing';
  }
}

// PATH comes from the launch environment; without one there, from the lab's own (as
// os/exec does, which always searches the parent's PATH). A program given as bytes is
// searched as bytes; a PATH given as bytes is not read (PATH is text in practice).
export function lookPath(program: NativeBytes, envp: readonly NativeBytes[]): Lookup {
  if (program.includes('/')) return { ok: true, path: program };
  const fromLaunch = envp.find((e): e is string => typeof e === 'string' && e.startsWith('PATH='))?.slice('PATH='.length);
  // Which PATH matters (golang/go#53996: a lookup in the parent's PATH finds what the child's would not).
  const searched: PathSearch = { value: fromLaunch ?? process.env.PATH ?? '', from: fromLaunch === undefined ? 'lab' : 'launch', skipped: [] };
  for (const dir of searched.value.split(':')) {
    // An empty PATH entry means the current directory.
    const base = dir === '' ? '.' : dir;
    const candidate = typeof program === 'string' ? path.join(base, program) : Buffer.concat([Buffer.from(`${path.join(base)}/`), program]);
    const why = whyNot(candidate);
    if (why === null) return { ok: true, path: candidate, searched };
    searched.skipped.push({ path: shown(candidate), why });
  }
  return { ok: false, searched };
}
