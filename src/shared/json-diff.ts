// Two JSON values compared leaf by leaf, each leaf named by its path as the contract's
// problems name a field (`sys.credential.uid`, `files[1].type`, `env["MY-VAR"]`). A leaf is
// a string, number, boolean or null, or an empty array or object; a path that one value
// has and the other lacks is compared with "absent".

export interface JsonLeafComparison {
  path: string;
  /** undefined: the first value has nothing at this path. */
  a: unknown;
  b: unknown;
  same: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `parent.key`, or `parent["key"]` for a key that is not an identifier. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Every leaf of a JSON value by its path, in the value's own order. */
export function jsonLeaves(value: unknown, path = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => jsonLeaves(item, childPath(path, i), into));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) if (item !== undefined) jsonLeaves(item, childPath(path, key), into);
  } else if (value !== undefined) {
    into.set(path, value);
  }
  return into;
}

const sameLeaf = (a: unknown, b: unknown): boolean => a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));

/** Every path either value has, in the first one's order then the second's additions, each equal or not. */
export function compareJson(a: unknown, b: unknown): JsonLeafComparison[] {
  const left = jsonLeaves(a);
  const right = jsonLeaves(b);
  const paths = [...left.keys(), ...[...right.keys()].filter((path) => !left.has(path))];
  return paths.map((path) => {
    const [x, y] = [left.get(path), right.get(path)];
    return { path, a: x, b: y, same: sameLeaf(x, y) };
  });
}
