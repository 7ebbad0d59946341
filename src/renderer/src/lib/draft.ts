// The profile being edited. It is a Profile as the contract writes it, except that what
// the user typed but the contract cannot hold stays as they typed it, and is sent as-is so
// that the schema's own error shows at the field: a number that does not parse stays its
// text, and an environment row whose name holds "=" stays the row ({ name, value }), never
// an entry that would split elsewhere (shared/env-entry.ts).
import { isHexBytes, showBytes, type Bytes } from '@shared/bytes';
import { isEnvRow, splitEnvEntry, type EnvRow } from '@shared/env-entry';
import { defaultsOf, ENGINE_FIELDS, PROFILE_FIELDS, SYS_FIELDS } from '@shared/fields';
import type { Profile } from '@shared/profile';

/** A value as typed: where the profile wants a number, the text that did not parse may stand. */
type AsTyped<T> = T extends number
  ? number extends T
    ? number | string
    : T
  : T extends readonly (infer U)[]
    ? AsTyped<U>[]
    : T extends object
      ? { [K in keyof T]: AsTyped<T[K]> }
      : T;

/**
 * The profile being edited. Every Profile is one; toProfile() makes what is sent to the lab,
 * which checks it: the one place a draft becomes a profile.
 */
export type Draft = Omit<AsTyped<Profile>, 'env'> & { env?: (Bytes | EnvRow)[] };
export type DraftSys = NonNullable<Draft['sys']>;
export type DraftEngine = NonNullable<Draft['engine']>;
export type DraftFile = NonNullable<Draft['files']>[number];

/** A draft's sys, or an empty one where the draft has none (or something else there). */
export const sysOf = (sys: unknown): DraftSys => (sys && typeof sys === 'object' ? sys : {});
type FileEntry = DraftFile;

/** "12" -> 12, "" -> undefined, anything else stays the typed text (the schema will say why). */
export function parseNumber(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

/** A number field's value as text for its input. */
export function numberText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** "1, 2,3" -> [1, 2, 3]; items that do not parse stay text. "" -> []. */
export function parseList(text: string): (number | string)[] {
  if (text.trim() === '') return [];
  return text.split(',').map((item) => parseNumber(item) ?? item.trim());
}

export function listText(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => String(v)).join(', ') : '';
}

/** A draft's env entry as the builder's row: "KEY=VALUE" split at its first "=", or the row kept as typed. */
export function envRowOf(entry: unknown): EnvRow {
  if (isEnvRow(entry)) return entry;
  return splitEnvEntry(textOf(entry));
}

/**
 * A text field's value as its input shows it: bytes given in hex as text with \xNN escapes
 * where they are not UTF-8 (such an input is read-only: see isBytes).
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isHexBytes(value)) return showBytes(value);
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Bytes from the profile's JSON ({ "hex": ... }): shown, never edited as text, which would
 * turn the escapes themselves into the bytes. Removing the row still works.
 */
export const isBytes = isHexBytes;
export const BYTES_HINT = 'Bytes from the profile’s JSON ({"hex": …}), shown with \\xNN escapes where they are not UTF-8: edit them in the file.';

export function newProfile(name: string): Draft {
  return {
    version: 1,
    name,
    description: '',
    path: 'echo',
    args: ['echo', 'hello from Process Lab'],
    inheritEnv: false,
    env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
    files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
    sys: {},
    engine: {},
  };
}

/** `base`, or `base 2`, `base 3`, ... whichever no profile uses yet. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** The default entry when a files[] row switches to `type`. */
export function fileOfType(type: FileEntry['type'], fd: number, previous?: FileEntry): FileEntry {
  switch (type) {
    case 'inherit':
      return { type, fd: previous?.type === 'inherit' ? previous.fd : fd };
    case 'file':
      return previous?.type === 'file'
        ? previous
        : { type, path: '', mode: fd === 0 ? 'r' : 'w', create: fd !== 0, truncate: false };
    default:
      return { type };
  }
}

// A draft opened from a saved profile starts as a copy of it, and an edit makes a new draft:
// until then the copy is known to mean what the profile does, without the canonical form of
// either (which takes a while for 10,000 file slots, in the click that opens the profile).
const copiesOf = new WeakMap<Draft, Draft>();

/** A new draft of a saved profile. */
export function draftOf(saved: Draft): Draft {
  const draft = structuredClone(saved);
  copiesOf.set(draft, saved);
  return draft;
}

/** Whether `draft` is still the untouched copy of `saved` (draftOf). */
export const isCopyOf = (draft: Draft, saved: Draft): boolean => copiesOf.get(draft) === saved;

// A draft is never changed in place (each edit makes a new one), so its canonical form is
// worked out once: the editor bar, the sidebar and the kept drafts all ask for it, after
// every keystroke, of a profile that may hold thousands of environment rows.
const canonicalForms = new WeakMap<object, string>();

/**
 * The profile with every default filled in and keys sorted: two drafts that mean the same
 * thing compare equal, so toggling a box on and off again leaves nothing unsaved.
 */
export function canonical(profile: unknown): string {
  if (typeof profile !== 'object' || profile === null) return JSON.stringify(profile);
  let form = canonicalForms.get(profile);
  if (form === undefined) {
    form = canonicalOf(profile as Record<string, unknown>);
    canonicalForms.set(profile, form);
  }
  return form;
}

const SYS_DEFAULTS = defaultsOf(SYS_FIELDS);
const ENGINE_DEFAULTS = defaultsOf(ENGINE_FIELDS);
const PROFILE_DEFAULTS = defaultsOf(PROFILE_FIELDS);

function canonicalOf(p: Record<string, unknown>): string {
  const sys = { ...SYS_DEFAULTS, ...(p.sys as object) } as Record<string, unknown>;
  if (sys.chroot === '') delete sys.chroot;
  if (sys.credential && typeof sys.credential === 'object') {
    sys.credential = { groups: [], noSetGroups: false, ...(sys.credential as object) };
  }
  const files = Array.isArray(p.files)
    ? p.files.map((f) => (f && typeof f === 'object' && (f as { type?: unknown }).type === 'file' ? { create: false, truncate: false, ...f } : f))
    : p.files;
  const full: Record<string, unknown> = {
    ...PROFILE_DEFAULTS,
    inheritEnv: false,
    env: [],
    files: [],
    ...p,
    sys,
    engine: { ...ENGINE_DEFAULTS, ...(p.engine as object) },
  };
  full.files = files ?? [];
  for (const key of ['description', 'dir', 'stdin'] as const) if (full[key] === '') delete full[key];
  return stableStringify(full);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What is sent to the lab: the draft without empty optional texts. */
export function toProfile(draft: Draft): Draft {
  const out: Record<string, unknown> = { ...draft };
  for (const key of ['description', 'dir'] as const) if (out[key] === '') delete out[key];
  if (out.stdin === '') delete out.stdin;
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  const sys = { ...(draft.sys ?? {}) } as Record<string, unknown>;
  if (sys.chroot === '' || sys.chroot === undefined) delete sys.chroot;
  for (const key of Object.keys(sys)) if (sys[key] === undefined) delete sys[key];
  out.sys = sys;
  return out as Draft;
}
