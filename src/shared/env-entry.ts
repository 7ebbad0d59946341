// An environment entry: the "KEY=VALUE" string a profile holds and execve hands the child.
// The child (getenv, every libc) splits an entry at its first "=", so a name with "=" in it
// cannot be written as an entry at all: "A=B" + "x" would reach the child as A = "B=x".
// The builder edits a row's name and value apart; a row it cannot write as an entry stays
// the row as typed, and the schema names what is wrong at the row's field.
// No zod here: the renderer uses this without pulling in the schema.

/** A row of the builder's environment table: the name and the value, as typed. */
export interface EnvRow {
  name: string;
  value: string;
}

/** Why a builder row sent in an entry's place (see envEntryOfRow) is not an entry. */
export const NAME_WITH_EQUALS = 'a name cannot contain "=": the child would read everything after the first "=" as the value';

/** Why a profile's entry is not "KEY=VALUE", or null. VALUE may be empty and may itself hold "=". */
export function envEntryProblem(entry: string): string | null {
  const eq = entry.indexOf('=');
  if (entry === '') return 'expected KEY=VALUE: the variable needs a name';
  if (eq < 0) return 'expected KEY=VALUE: there is no "="';
  if (eq === 0) return 'expected KEY=VALUE: the name before "=" is empty';
  return null;
}

/** "KEY=VALUE" -> { name: "KEY", value: "VALUE" } (split at the first "="); an entry without "=" is all name. */
export function splitEnvEntry(entry: string): EnvRow {
  const eq = entry.indexOf('=');
  return eq < 0 ? { name: entry, value: '' } : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

/**
 * The row as a profile entry, when it splits back into the same name and value: "KEY=VALUE",
 * or "" for a row not filled in yet. A name with "=" would not: the row itself is returned.
 */
export function envEntryOfRow(row: EnvRow): string | EnvRow {
  if (row.name.includes('=')) return { name: row.name, value: row.value };
  return row.name === '' && row.value === '' ? '' : `${row.name}=${row.value}`;
}

/** A builder row sent in an entry's place (see envEntryOfRow). */
export function isEnvRow(value: unknown): value is EnvRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.name === 'string' && typeof row.value === 'string';
}
