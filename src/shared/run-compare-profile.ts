// The two profiles as launched, field by field (json-diff.ts): often the answer itself
// (`sys.credential.uid` 0 against 65534). The environment and the secrets are compared by
// name rather than by place in their lists, bytes given in hex as the text they stand for,
// and the profile's name is left to the run rows.
import { isHexBytes, showBytes } from './bytes';
import { splitEnvEntry } from './env-entry';
import { fieldLabel } from './fields';
import { compareJson } from './json-diff';
import { notKept, row, type CompareCell, type CompareRow, type ComparedRun } from './run-compare-rows';

type Loose = Record<string, unknown>;

/** A list of named things as an object by name; a name seen again gets "#2", "#3". */
function byName(items: readonly unknown[], nameValue: (item: unknown) => [string, unknown]): Loose {
  const out: Loose = {};
  for (const item of items) {
    const [name, value] = nameValue(item);
    let key = name;
    for (let n = 2; key in out; n++) key = `${name}#${n}`;
    out[key] = value;
  }
  return out;
}

/** Hex bytes as their text, all the way down. */
function shown(value: unknown): unknown {
  if (isHexBytes(value)) return showBytes(value);
  if (Array.isArray(value)) return value.map(shown);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  return value;
}

const envPair = (entry: unknown): [string, unknown] => {
  if (typeof entry === 'string') {
    const { name, value } = splitEnvEntry(entry);
    return [name, value];
  }
  const row = entry as { name?: unknown; value?: unknown };
  return [String(row?.name ?? ''), row?.value];
};

const secretPair = (secret: unknown): [string, unknown] => {
  const { name, ...source } = (secret ?? {}) as Loose;
  return [String(name ?? ''), source];
};

/** The profile as compared: without its name, env and secrets by name, bytes as text. */
function comparable(profile: unknown): Loose {
  const { name: _name, ...rest } = shown(profile) as Loose;
  if (Array.isArray(rest.env)) rest.env = byName(rest.env, envPair);
  if (Array.isArray(rest.secrets)) rest.secrets = byName(rest.secrets, secretPair);
  return rest;
}

const valueCell = (value: unknown): CompareCell => (value === undefined ? { text: 'not set', tone: 'muted' } : { text: JSON.stringify(value) });

export function profileRows(a: ComparedRun, b: ComparedRun): CompareRow[] {
  const [missingA, missingB] = [a.profile === null ? notKept(a, 'profile') ?? { missing: 'profile unknown' } : null, b.profile === null ? notKept(b, 'profile') ?? { missing: 'profile unknown' } : null];
  if (missingA || missingB) {
    const kept: CompareCell = { text: 'kept', tone: 'muted' };
    return [row('profile', 'profile', 'profile', missingA ?? kept, missingB ?? kept)];
  }
  return compareJson(comparable(a.profile), comparable(b.profile)).map((leaf) => {
    const label = fieldLabel(leaf.path);
    return row('profile', `profile.${leaf.path}`, leaf.path, valueCell(leaf.a), valueCell(leaf.b), label !== leaf.path ? { hint: label } : {});
  });
}
