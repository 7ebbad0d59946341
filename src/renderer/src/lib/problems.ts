// Problems from api.validate, placed at the field that causes them. Each problem has one
// home: a field of the builder, or the list at the top when no field shows its path.
import { ENGINE_FIELDS, PROFILE_FIELDS, SYS_FIELDS } from '@shared/fields';
import type { Problem } from '@shared/problems';

export type Kind = 'error' | 'warning';
export interface PlacedProblem extends Problem {
  kind: Kind;
}

// args has fields of its own (argv0, args[N]); credential too (credential.uid...).
const SIMPLE = new Set(Object.keys(PROFILE_FIELDS).filter((key) => key !== 'args'));
const SYS = new Set(Object.keys(SYS_FIELDS).filter((key) => key !== 'credential'));
const ENGINE = new Set(Object.keys(ENGINE_FIELDS));

/**
 * The field that shows a problem at `path`:
 *   args, args[0] -> argv0 · args[N] -> args[N] · env[N] -> env[N] · secrets[N](.x) -> secrets[N] · files[N](.x) -> files[N]
 *   sys.credential.uid|gid|groups(…)|noSetGroups -> credential.x · sys.credential(.other) -> credential · sys.x(…) -> sys.x · engine.x(…) -> engine.x · else -> top
 */
export function fieldOf(path: string): string {
  if (SIMPLE.has(path)) return path;
  if (path === 'args' || path === 'args[0]') return 'argv0';
  let m = /^args\[(\d+)\]$/.exec(path);
  if (m) return `args[${m[1]}]`;
  m = /^env\[(\d+)\]/.exec(path);
  if (m) return `env[${m[1]}]`;
  m = /^secrets\[(\d+)\]/.exec(path);
  if (m) return `secrets[${m[1]}]`;
  m = /^files\[(\d+)\]/.exec(path);
  if (m) return `files[${m[1]}]`;
  m = /^sys\.credential\.(uid|gid|groups|noSetGroups)\b/.exec(path);
  if (m) return `credential.${m[1]}`;
  if (path === 'sys.credential' || path.startsWith('sys.credential.') || path.startsWith('sys.credential[')) return 'credential';
  // A sys or engine field, or a part of one (sys.cloneflags[1], sys.rlimits.NOFILE.soft).
  m = /^sys\.(\w+)/.exec(path);
  if (m && SYS.has(m[1]!)) return `sys.${m[1]}`;
  m = /^engine\.(\w+)/.exec(path);
  if (m && ENGINE.has(m[1]!)) return `engine.${m[1]}`;
  return 'top';
}

/** Problems grouped by field; those whose field is not on screen go to "top". */
export function placeProblems(
  errors: readonly Problem[],
  warnings: readonly Problem[],
  shown: (field: string) => boolean,
): Map<string, PlacedProblem[]> {
  const byField = new Map<string, PlacedProblem[]>();
  const add = (p: Problem, kind: Kind) => {
    let field = fieldOf(p.path);
    if (field.startsWith('credential.') && !shown(field)) field = 'credential';
    if (field !== 'top' && !shown(field)) field = 'top';
    const list = byField.get(field) ?? [];
    list.push({ ...p, kind });
    byField.set(field, list);
  };
  errors.forEach((p) => add(p, 'error'));
  warnings.forEach((p) => add(p, 'warning'));
  return byField;
}
