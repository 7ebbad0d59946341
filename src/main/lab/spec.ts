// A checked profile -> what the native engine takes.
import { constants } from 'node:fs';

import type { FileSpec, NormalizedProfile } from '../../shared/profile';
import { SPEC_FLAGS, SPEC_INTS } from '../../shared/engine-names';
import type { NativeFile, NativeFlags, NativeSpec } from './engine';

const MODE_FLAGS: Record<Extract<FileSpec, { type: 'file' }>['mode'], number> = {
  r: constants.O_RDONLY,
  w: constants.O_WRONLY,
  a: constants.O_WRONLY | constants.O_APPEND,
  rw: constants.O_RDWR,
};

function nativeFile(file: FileSpec): NativeFile {
  switch (file.type) {
    case 'inherit':
      return { type: 'inherit', fd: file.fd };
    case 'file': {
      let flags = MODE_FLAGS[file.mode];
      if (file.create) flags |= constants.O_CREAT;
      if (file.truncate) flags |= constants.O_TRUNC;
      return { type: 'file', path: file.path, flags };
    }
    default:
      return { type: file.type };
  }
}

// inheritEnv: the lab's environment first, then the profile's entries on top, then its
// secrets' (secret-env.ts; the schema keeps their names out of env).
export function launchEnvironment(profile: Pick<NormalizedProfile, 'inheritEnv' | 'env'>, secretEntries: readonly string[] = []): string[] {
  if (!profile.inheritEnv) return [...profile.env, ...secretEntries];
  const merged = new Map<string, string>();
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) merged.set(key, `${key}=${value}`);
  for (const entry of [...profile.env, ...secretEntries]) merged.set(entry.slice(0, entry.indexOf('=')), entry);
  return [...merged.values()];
}

/** The spec's plain fields, each read from the group (sys or engine) that holds it in a profile. */
export function nativeFlags({ sys, engine }: Pick<NormalizedProfile, 'sys' | 'engine'>): NativeFlags {
  const groups: Record<string, unknown>[] = [sys, engine];
  const valueOf = (key: string) => groups.find((group) => Object.hasOwn(group, key))?.[key];
  const out: Record<string, unknown> = {};
  for (const key of [...SPEC_FLAGS, ...SPEC_INTS]) out[key] = valueOf(key);
  return out as NativeFlags;
}

export function nativeSpec(profile: NormalizedProfile, programPath: string, envp: string[]): NativeSpec {
  const { sys, engine } = profile;
  return {
    path: programPath,
    argv: profile.args,
    envp,
    // As in Go, an empty dir or chroot means none.
    dir: profile.dir || undefined,
    chroot: sys.chroot || undefined,
    credential: sys.credential,
    ...nativeFlags(profile),
    files: profile.files.map(nativeFile),
    method: engine.method,
  };
}
