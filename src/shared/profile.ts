// The launch profile (README, "Profiles on disk") as a zod schema. Objects are strict: an unknown field is
// an error, never silently ignored. Messages are written for people; the generic ones
// (wrong type, not one of the choices, missing) come from problems.ts at parse time.
import * as z from 'zod';

import { showBytes } from './bytes';
import { RLIMITS } from './engine-names';
import { envEntryProblem, isEnvRow, NAME_WITH_EQUALS } from './env-entry';
import { SIGNALS } from './signals';
import { ENGINE_FIELDS, FILE_MODES, PROFILE_FIELDS, type FileMode, SYS_FIELDS, type FieldDescription, type FieldGroup } from './fields';

// zod's "JIT" writes a parser for each object schema with new Function at its first parse:
// about 2 ms of a fresh process's first launch (issue 17's cold start), and no faster
// afterwards (10-14 µs a profile either way, measured). A renderer's CSP forbids it anyway.
z.config({ jitless: true });

export { FILE_MODES, type FileMode };

// A schema never changes once made, and one may sit in many places: the same one is made
// once (about a third of the profile schema's objects, all made at every start of the CLI
// and of the library; docs/performance.md, "The library as one bundle").
function shared<A extends (string | number)[], S>(make: (...args: A) => S): (...args: A) => S {
  const made = new Map<string, S>();
  return (...args) => {
    const key = JSON.stringify(args);
    let schema = made.get(key);
    if (schema === undefined) made.set(key, (schema = make(...args)));
    return schema;
  };
}

/** Strings reach the kernel as C strings, which end at the first NUL: refuse rather than cut. */
const TEXT = z.string().refine((s) => !s.includes('\0'), 'must not contain a NUL byte');

const NON_EMPTY_TEXT = TEXT.min(1, 'must not be empty');

const envNameOf = (entry: string) => entry.slice(0, entry.indexOf('='));

/** { "hex": "2f746d70" }: bytes that are not UTF-8 (bytes.ts), two hex digits each. */
const HEX_BYTES = z.strictObject({ hex: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'expected hex digits, two per byte') });
const NOT_BYTES = 'expected a string, or {"hex": "..."} for bytes that are not UTF-8';
const hasNulByte = (hex: string) => /^(?:[0-9a-fA-F]{2})*?00/.test(hex);

/**
 * A C string given as text or as bytes: program paths, arguments, dir, file paths (contract
 * 1c). Like text, it may not hold a NUL byte, which would end it early.
 */
const cBytes = ({ nonEmpty = false, error }: { nonEmpty?: boolean; error?: (input: unknown) => string | undefined } = {}) =>
  z.union(
    [
      nonEmpty ? NON_EMPTY_TEXT : TEXT,
      HEX_BYTES
        .refine((b) => !nonEmpty || b.hex !== '', 'must not be empty')
        .refine((b) => !hasNulByte(b.hex), 'must not contain a NUL byte'),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? (error?.(issue.input) ?? NOT_BYTES) : undefined) },
  );

/** The largest C int: fds and pid_t are ints, and setTimeout fires at once beyond it. */
const INT_MAX = 2_147_483_647;

/**
 * fds, pgids, timeouts: one message whether the value is negative, fractional or not a
 * number. They reach the kernel as C ints: a bigger one would be cut to its low 32 bits
 * (4294967296 becomes fd 0), so it is refused here.
 */
const intAtLeast = shared((min: number) => {
  const atLeast = `expected an integer >= ${min}`;
  const inRange = `expected an integer from ${min} to ${INT_MAX}`;
  // abort: beyond ±2^53 z.int itself fails, and the bounds would only say it again.
  return z
    .int({ error: (issue) => (issue.code === 'too_big' ? inRange : atLeast), abort: true })
    .min(min, { error: atLeast })
    .max(INT_MAX, { error: inRange });
});

/** An integer from min to max (nice, oom_score_adj, a CPU number): one message for every way of missing. */
const intFromTo = shared((min: number, max: number) => {
  const error = `expected an integer from ${min} to ${max}`;
  return z.int({ error, abort: true }).min(min, { error }).max(max, { error });
});

/** (uid_t)-1 and (gid_t)-1: "leave unchanged" to setresuid and setresgid, EINVAL to setuid, setgid and setgroups. */
const ID_MINUS_ONE = 0xffff_ffff;

/**
 * A uid_t or gid_t the kernel takes: 0 to 4294967294. -1 (4294967295) is refused here,
 * naming why, where the launch would only fail with EINVAL at `why`'s call.
 */
const id = shared((why: string) => {
  const error = `expected an integer from 0 to ${ID_MINUS_ONE - 1}`;
  return z
    .int({ error, abort: true }) // beyond ±2^53: one problem, not one per bound
    .min(0, { error })
    .max(ID_MINUS_ONE, { error })
    .refine((n) => n !== ID_MINUS_ONE, `${ID_MINUS_ONE} is ${why}: ${error}`);
});

/** The schema of a simple field, from its description (fields.ts). */
type SimpleSchema<F> = F extends { input: 'boolean' }
  ? z.ZodDefault<z.ZodBoolean>
  : F extends { input: 'integer'; default: number }
    ? z.ZodDefault<z.ZodInt>
    : F extends { input: 'integer' }
      ? z.ZodOptional<z.ZodInt>
      : F extends { input: 'text' }
        ? z.ZodOptional<z.ZodString>
        : F extends { input: 'choice'; choices: readonly { value: infer V extends string }[] }
          ? z.ZodDefault<z.ZodEnum<{ [K in V]: K }>>
          : F extends { input: 'signal' }
            ? z.ZodOptional<z.ZodEnum<{ [K in string]: K }>>
            : F extends { input: 'names'; choices: readonly (infer V extends string)[] }
              ? z.ZodDefault<z.ZodArray<z.ZodEnum<{ [K in V]: K }>>>
              : F extends { input: 'integers' }
                ? z.ZodDefault<z.ZodArray<z.ZodInt>>
                : never;

type CustomKeys<G> = { [K in keyof G]: G[K] extends { input: 'custom' } ? K : never }[keyof G];
type Shape<G, C> = { [K in keyof G]: G[K] extends { input: 'custom' } ? (K extends keyof C ? C[K] : never) : SimpleSchema<G[K]> };

function simpleSchema(field: FieldDescription): z.ZodType {
  switch (field.input) {
    case 'boolean':
      return z.boolean().default(field.default);
    case 'integer': {
      const schema = field.max === undefined ? intAtLeast(field.min) : intFromTo(field.min, field.max);
      return field.default === undefined ? schema.optional() : schema.default(field.default);
    }
    case 'text': {
      const { pattern } = field;
      return (pattern ? TEXT.regex(pattern.regex, pattern.message) : TEXT).optional();
    }
    case 'choice':
      return z.enum(field.choices.map((c) => c.value)).default(field.default);
    case 'signal':
      return z.enum(SIGNALS.map((s) => s.name)).optional();
    case 'names':
      return z.array(z.enum(field.choices)).refine((names) => new Set(names).size === names.length, 'names one twice').default([]);
    case 'integers':
      return z.array(intFromTo(field.min, field.max)).default([]);
    case 'custom':
      throw new Error('a custom field has a schema of its own');
  }
}

/** A group's zod shape: simple fields from their descriptions, in order, custom ones from `custom`. */
function shapeOf<G extends FieldGroup, C extends { [K in CustomKeys<G>]: z.ZodType }>(fields: G, custom: C): Shape<G, C> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fields)) shape[key] = field.input === 'custom' ? (custom as Record<string, z.ZodType>)[key]! : simpleSchema(field);
  return shape as Shape<G, C>;
}

/**
 * "KEY=VALUE" with a non-empty KEY (env-entry.ts). The builder sends a row it cannot write
 * as an entry (a name with "=") as the row itself: its error says why, at the row.
 */
const envEntry = () => {
  const rowMessage = (input: unknown) => (isEnvRow(input) && input.name.includes('=') ? NAME_WITH_EQUALS : undefined);
  return cBytes({ error: rowMessage }).superRefine((entry, ctx) => {
    // "=" is one byte in UTF-8, and showBytes keeps it: the entry's bytes split where its text does.
    const problem = envEntryProblem(showBytes(entry));
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
};

/**
 * An environment variable whose value is kept out of the profile (profiles are committed,
 * exported, shown and kept as drafts): taken at launch from the lab's own environment
 * (`fromLabEnv`), or from the lab's secret store, a private file of the user's beside the
 * profiles (`fromStore`, a key there). Exactly one of the two.
 */
export const SecretSchema = z
  .strictObject({
    name: NON_EMPTY_TEXT.refine((name) => !name.includes('='), NAME_WITH_EQUALS),
    fromLabEnv: NON_EMPTY_TEXT.optional(),
    fromStore: NON_EMPTY_TEXT.optional(),
  })
  .superRefine((secret, ctx) => {
    if ((secret.fromLabEnv === undefined) === (secret.fromStore === undefined)) {
      ctx.addIssue({ code: 'custom', message: "give exactly one of fromLabEnv (a variable of the lab's environment) and fromStore (a key of the lab's secret store)" });
    }
  });


/** Go's ProcAttr.Files entries; the index in `files` is the child's fd. */
export const FileSpecSchema = z.discriminatedUnion('type', [
  /** /dev/null, opened read-write */
  z.strictObject({ type: z.literal('null') }),
  /** captured by the lab; a pipe on fd 0 is fed from `stdin` */
  z.strictObject({ type: z.literal('pipe') }),
  /** the host process's own fd */
  z.strictObject({ type: z.literal('inherit'), fd: intAtLeast(0) }),
  z.strictObject({
    type: z.literal('file'),
    path: cBytes({ nonEmpty: true }),
    mode: z.enum(FILE_MODES),
    create: z.boolean().default(false),
    truncate: z.boolean().default(false),
  }),
  /** Go's -1: closed in the child */
  z.strictObject({ type: z.literal('closed') }),
  /** the slave side of this run's pseudo-terminal */
  z.strictObject({ type: z.literal('pty') }),
]);

export const CredentialSchema = z.strictObject({
  uid: id('(uid_t)-1, which setuid refuses (EINVAL; -1 means "unchanged" only to setresuid)'),
  gid: id('(gid_t)-1, which setgid refuses (EINVAL; -1 means "unchanged" only to setresgid)'),
  groups: z.array(id('(gid_t)-1, which setgroups refuses (EINVAL)')).default([]),
  noSetGroups: z.boolean().default(false),
});

/**
 * One line of a user namespace's uid_map or gid_map (user_namespaces(7)): size ids from
 * containerId inside map to hostId outside.
 */
export const IdMappingSchema = z.strictObject({
  containerId: id('(uid_t)-1, which no map may name (EINVAL)'),
  hostId: id('(uid_t)-1, which no map may name (EINVAL)'),
  size: intAtLeast(1),
});

// Since Linux 4.15 a map holds at most 340 lines (user_namespaces(7)).
const MAX_MAP_LINES = 340;
const idMappings = () => z.array(IdMappingSchema).max(MAX_MAP_LINES, `at most ${MAX_MAP_LINES} lines: the kernel refuses more (EINVAL)`).default([]);

/** A resource limit: a number, or "unlimited" (RLIM_INFINITY). */
const limit = z.union([z.literal('unlimited'), z.int({ error: 'expected an integer >= 0 or "unlimited"' }).min(0, { error: 'expected an integer >= 0 or "unlimited"' })], {
  error: 'expected an integer >= 0 or "unlimited"',
});
const isLimit = (v: unknown) => v === 'unlimited' || (Number.isInteger(v) && (v as number) >= 0);
// Only between two limits that are themselves valid (each has its own error otherwise).
const above = (a: number | 'unlimited', b: number | 'unlimited') =>
  isLimit(a) && isLimit(b) && (a === 'unlimited' ? b !== 'unlimited' : b !== 'unlimited' && a > b);

const RESOURCE_NAMES = `expected one of ${RLIMITS.map((name) => JSON.stringify(name)).join(', ')}`;

/** setrlimit's limits by resource name without RLIMIT_ (NOFILE, CORE...). */
export const RlimitsSchema = z
  .record(
    z.string(),
    z.strictObject({ soft: limit, hard: limit }).refine((l) => !above(l.soft, l.hard), { message: 'soft is above hard: setrlimit refuses it (EINVAL)', path: ['soft'] }),
  )
  .superRefine((limits, ctx) => {
    for (const name of Object.keys(limits)) {
      if (!(RLIMITS as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `unknown resource: ${RESOURCE_NAMES}` });
    }
  })
  .default({});

/** Go's SysProcAttr, and the fields CPython and systemd add. As in Go, an empty chroot means no chroot. */
export const SysSchema = z.strictObject(
  shapeOf(SYS_FIELDS, {
    credential: CredentialSchema.optional(),
    uidMappings: idMappings(),
    gidMappings: idMappings(),
    rlimits: RlimitsSchema,
  }),
);

export const EngineSchema = z.strictObject(shapeOf(ENGINE_FIELDS, {}));

export const ProfileSchema = z.strictObject({
  version: z.literal(1),
  ...shapeOf(PROFILE_FIELDS, {
    name: NON_EMPTY_TEXT,
    description: TEXT.optional(),
    path: cBytes({ nonEmpty: true }),
    args: z.array(cBytes()),
    /** As in Go, an empty dir means no chdir. */
    dir: cBytes().optional(),
    inheritEnv: z.boolean().default(false),
    env: z.array(envEntry()).default([]),
    secrets: z.array(SecretSchema).default([]),
    files: z.array(FileSpecSchema).default([]),
    // Data for a pipe, not a C string: NUL bytes are fine here (input for xargs -0).
    stdin: z.union([z.string(), HEX_BYTES], { error: (issue) => (issue.code === 'invalid_union' ? NOT_BYTES : undefined) }).optional(),
  }),
  // prefault, unlike default, parses {} so that the inner defaults fill it in.
  sys: SysSchema.prefault({}),
  engine: EngineSchema.prefault({}),
}).superRefine((profile, ctx) => {
  // ctty names a child fd (a row of files) for setctty and foreground. Go refuses one past
  // its files in the parent, before any child exists (exec_unix.go); the child would
  // otherwise reach whatever the lab itself holds at that number.
  const { sys, files } = profile;
  // Go refuses the pair too (exec_unix.go): foreground needs the lab's terminal in the lab's
  // session, setctty a new session (setsid), where setpgid then fails.
  if (sys.setctty && sys.foreground) {
    ctx.addIssue({
      code: 'custom',
      path: ['sys', 'foreground'],
      message: 'foreground and setctty together cannot work: setctty needs a new session (setsid), in which foreground\'s setpgid fails; Go refuses the pair before it creates the child ("both Setctty and Foreground set in SysProcAttr"), and so does the lab',
    });
  }
  if ((sys.setctty || sys.foreground) && sys.ctty >= files.length) {
    const rows = files.length === 0 ? 'files is empty' : `files has ${files.length} ${files.length === 1 ? 'entry' : 'entries'} (fds 0 to ${files.length - 1})`;
    const why = sys.setctty
      ? 'Go refuses this before it creates the child ("Setctty set but Ctty not valid in child"), and so does the lab'
      : 'foreground needs the terminal among the child\'s files';
    // At the field that asks: ctty itself may be left out (0).
    ctx.addIssue({ code: 'custom', path: ['sys', sys.setctty ? 'setctty' : 'foreground'], message: `ctty is child fd ${sys.ctty}, but ${rows}: ${why}` });
  }
  // A process group of its own, or kill(-pgid) would reach the lab; a cgroup to kill.
  if (profile.stopScope === 'group' && !sys.setsid && !sys.setpgid && !sys.foreground) {
    ctx.addIssue({ code: 'custom', path: ['stopScope'], message: "the child stays in the lab's own process group: turn on setsid or setpgid to stop its group" });
  }
  if (profile.stopScope === 'cgroup' && !sys.cgroup) {
    ctx.addIssue({ code: 'custom', path: ['stopScope'], message: 'the child has no cgroup of its own: give sys.cgroup to stop its cgroup' });
  }
  // A secret sets its variable alone: the same name in env would be two values, one of them public.
  const inEnv = new Set(profile.env.map((entry) => envNameOf(showBytes(entry))));
  profile.secrets.forEach((secret, i) => {
    if (inEnv.has(secret.name)) ctx.addIssue({ code: 'custom', path: ['secrets', i, 'name'], message: `${secret.name} is also in env: give its value in one place` });
  });
});

/** A profile as written: optional fields may be left out. */
export type Profile = z.input<typeof ProfileSchema>;
/** A profile with every default applied; `sys` and `engine` are always present. */
export type NormalizedProfile = z.output<typeof ProfileSchema>;

export type FileSpec = z.output<typeof FileSpecSchema>;
export type FileType = FileSpec['type'];
export type Credential = z.output<typeof CredentialSchema>;
export type SysAttr = z.output<typeof SysSchema>;
export type EngineOptions = z.output<typeof EngineSchema>;
export type Secret = z.output<typeof SecretSchema>;
