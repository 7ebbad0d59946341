// A checked profile -> what the native engine takes.
import { constants } from 'node:fs';

import type { FileSpec, NormalizedProfile } from '../../shared/profile';
import { SPEC_FLAGS, SPEC_INTS, SPEC_OPTIONAL_INTS } from '../../shared/engine-names';
import { signalByName } from '../../shared/signals';
import type { NativeFile, NativeFlags, NativeSpec } from './engine';
import { envNameKey, toNative, type NativeBytes } from './native-bytes';

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
      return { type: 'file', path: toNative(file.path), flags };
    }
    default:
      return { type: file.type };
  }
}

// inheritEnv: the lab's environment first, then the profile's entries on top, then its
// secrets' (secret-env.ts; the schema keeps their names out of env).
export function launchEnvironment(profile: Pick<NormalizedProfile, 'inheritEnv' | 'env'>, secretEntries: readonly string[] = []): NativeBytes[] {
  const own = [...profile.env.map(toNative), ...secretEntries];
  if (!profile.inheritEnv) return own;
  // Names compared as bytes: an entry given in hex replaces the lab's of the same name.
  const merged = new Map<string, NativeBytes>();
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) merged.set(envNameKey(key), `${key}=${value}`);
  for (const entry of own) merged.set(envNameKey(entry), entry);
  return [...merged.values()];
}

// The profile's spelling of an optional int, where it is not the number itself.
const OPTIONAL_INT_OF: Partial<Record<(typeof SPEC_OPTIONAL_INTS)[number], (value: string) => number>> = {
  pdeathsig: (name) => signalByName(name)!.number,
  umask: (octal) => parseInt(octal, 8),
};

/** The spec's plain fields, each read from the group (sys or engine) that holds it in a profile. */
export function nativeFlags({ sys, engine }: Pick<NormalizedProfile, 'sys' | 'engine'>): NativeFlags {
  const groups: Record<string, unknown>[] = [sys, engine];
  const valueOf = (key: string) => groups.find((group) => Object.hasOwn(group, key))?.[key];
  const out: Record<string, unknown> = {};
  for (const key of [...SPEC_FLAGS, ...SPEC_INTS]) out[key] = valueOf(key);
  for (const key of SPEC_OPTIONAL_INTS) {
    const value = valueOf(key);
    const convert = OPTIONAL_INT_OF[key];
    if (value !== undefined) out[key] = convert ? convert(String(value)) : value;
  }
  return out as NativeFlags;
}

export function nativeSpec(profile: NormalizedProfile, programPath: NativeBytes, envp: NativeBytes[]): NativeSpec {
  const { sys, engine } = profile;
  return {
    path: programPath,
    argv: profile.args.map(toNative),
    envp,
    // As in Go, an empty dir or chroot means none.
    dir: profile.dir ? toNative(profile.dir) : undefined,
    chroot: sys.chroot || undefined,
    credential: sys.credential,
    ...nativeFlags(profile),
    cloneflags: sys.cloneflags,
    unshareflags: sys.unshareflags,
    uidMappings: sys.uidMappings,
    gidMappings: sys.gidMappings,
    ambientCaps: sys.ambientCaps,
    cgroup: sys.cgroup || undefined,
    rlimits: Object.entries(sys.rlimits).map(([name, l]) => ({ name, soft: l!.soft, hard: l!.hard })),
    cpuAffinity: sys.cpuAffinity,
    files: profile.files.map(nativeFile),
    method: engine.method,
    order: engine.order,
  };
}
