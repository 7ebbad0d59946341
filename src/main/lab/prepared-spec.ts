// A profile launched again with the same program and environment (the Launch button, a
// loop of launches, the soak) reuses its native spec, read by the engine once: building the
// spec and the engine's reading of it, one N-API call a property, were a third of
// launch()'s own time (docs/performance.md, issue 17). Kept only for frozen profiles,
// parseProfile's: the same object for the same profile text, which nothing can change; and
// not for a profile with secrets, whose values would stay in the kept environment.
import type { NormalizedProfile } from '../../shared/profile';
import { engine, type NativeSpec, type PreparedSpec } from './engine';
import type { NativeBytes } from './native-bytes';
import { nativeSpec } from './spec';

/** What Run.start launches: the spec, and the engine's handle for it when it has one. */
export interface LaunchSpec {
  spec: NativeSpec;
  prepared: PreparedSpec | null;
}

const kept = new WeakMap<NormalizedProfile, LaunchSpec>();

export function launchSpec(profile: NormalizedProfile, programPath: NativeBytes, envp: NativeBytes[]): LaunchSpec {
  const known = kept.get(profile);
  if (known && sameBytes(known.spec.path, programPath) && sameList(known.spec.envp, envp)) return known;
  const spec = nativeSpec(profile, programPath, envp);
  if (!Object.isFrozen(profile) || profile.secrets.length > 0) return { spec, prepared: null };
  const made = { spec, prepared: engine().prepareSpec(spec) };
  kept.set(profile, made);
  return made;
}

const sameBytes = (a: NativeBytes, b: NativeBytes): boolean =>
  a === b || (typeof a !== 'string' && typeof b !== 'string' && a.equals(b));

function sameList(a: readonly NativeBytes[], b: readonly NativeBytes[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameBytes(a[i]!, b[i]!)) return false;
  return true;
}
