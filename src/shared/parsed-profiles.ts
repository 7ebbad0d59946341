// The schema, minus its cost for a profile seen a moment ago. Launching the same profile
// again is the common case (the Launch button, a loop of launches, the soak), and zod's
// parser runs in V8's interpreter for its first few thousand calls: 30-90 µs a profile in
// a fresh process, most of the JS side of a launch (docs/performance.md, issue 5).
//
// A profile's outcome depends only on its data, so the last few that passed are kept by
// their JSON text. Only for input that is plain JSON data (strings, booleans, finite
// numbers, null, plain arrays without holes and plain objects, nothing undefined): for it
// the JSON text says all the schema sees. Anything else is simply parsed. What is kept is
// frozen: every caller gets the same object.
import { parseOrProblems, type ParseOutcome } from './problems';
import { ProfileSchema, type NormalizedProfile } from './profile';

const KEPT = 16;
const LONGEST_KEY = 64 * 1024;
const recent = new Map<string, NormalizedProfile>();

export function parseProfile(input: unknown): ParseOutcome<NormalizedProfile> {
  const key = isJsonData(input) ? JSON.stringify(input) : undefined;
  const known = key === undefined ? undefined : recent.get(key);
  if (known) return { ok: true, value: known };
  const parsed = parseOrProblems(ProfileSchema, input);
  if (!parsed.ok) return parsed;
  const value = deepFreeze(parsed.value);
  if (key !== undefined && key.length <= LONGEST_KEY) {
    if (recent.size >= KEPT) recent.delete(recent.keys().next().value!);
    recent.set(key, value);
  }
  return { ok: true, value };
}

function isJsonData(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonData(value[i])) return false;
        return Object.getPrototypeOf(value) === Array.prototype;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key) || !isJsonData((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    default:
      return false;  // undefined, functions, symbols, bigints
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
