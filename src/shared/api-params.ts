// The params of every LabApi request, as zod schemas. Both transports (Electron IPC and
// browser mode's WebSocket) check each request against these before any handler runs:
// a renderer is never trusted to send what its types say.
//
// Profiles stay `unknown` here: the service checks them in full (schema and host) and
// answers with problems at their fields, which is a result, not a refused request.
import * as z from 'zod';

import { PTRACE_ACTIONS, SIGNAL_BUTTONS, type ApiMethod, type BrowserSessionApi, type BrowserSessionMethod, type LabApi, type SaveRequest } from './api';
import { STOP_SCOPES } from './fields';
import { EXPORT_LANGS } from './export/common';
import { SANDBOX_MAX_ENTRIES, SANDBOX_MAX_FD } from './fd-sandbox';
import { LessonSchema } from './lesson';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A profile file's name in the profiles folder: one path component ending in `.json`, no dotfile. */
export function isProfileFileName(name: string): boolean {
  return /^[^/\0.][^/\0]*\.json$/.test(name) && name.length <= 255;
}

/** A profile is a page of JSON: a file far bigger is not one (and the store does not read it). */
export const MAX_PROFILE_BYTES = 1 * MiB;

const profileFile = z.string().refine(isProfileFileName, 'expected a profile file name such as "list-fds.json"');
const runId = z.string().min(1).max(64);
const revision = z.string().max(128);
/** A profile file's bytes, base64: at most MAX_PROFILE_BYTES of them. */
const profileBytes = z.base64().max(Math.ceil(MAX_PROFILE_BYTES / 3) * 4);
/** The shipped examples are a handful; a restore names each file at most once. */
const exampleFiles = <T extends z.ZodType<{ file: string }>>(item: T) =>
  z
    .array(item)
    .max(64)
    .refine((items) => new Set(items.map((i) => i.file)).size === items.length, 'expected each file once');
/** A key of the lab's secret store: a short name, as a profile's secrets[].fromStore gives it. */
const secretKey = z.string().min(1).max(256).refine((key) => !key.includes('\0'), 'must not contain a NUL byte');
/** Which draft (DraftKey): a saved profile's by its file, a new profile's by the builder's UUID. */
export const DraftKeySchema = z.union([z.strictObject({ file: profileFile }), z.strictObject({ draftId: z.uuid() })]);
/** A program path or name (PATH_MAX), an environment entry (execve's MAX_ARG_STRLEN). */
const program = z.string().max(4 * KiB);
const envEntry = z.string().max(128 * KiB);
/** A captured stream: "1", "2", ... per child fd (fd 0 is input), or "pty". */
const outputKey = z.string().regex(/^(?:[1-9]\d{0,5}|pty|lab-[12])$/, 'expected an output key such as "1", "pty" or "lab-1"');
/** A shell command line to import: one a person would paste, not blank. */
const shellLine = z.string().max(64 * KiB).refine((line) => line.trim() !== '', 'expected a command line, not a blank one');
/** The kernel's largest pid_max (PID_MAX_LIMIT, 2^22 on 64-bit). */
const PID_MAX_LIMIT = 4_194_304;
/** What one `input` request may carry to a terminal or a pipe. */
const inputData = z.string().max(1 * MiB);
/** struct winsize counts in unsigned shorts. */
const cells = z.int().min(1).max(0xffff);

/** Sandbox mode's lists: at most this many entries, each a descriptor number (files: -1 closed). */
const sandboxFiles = z.array(z.int().min(-1).max(SANDBOX_MAX_FD)).max(SANDBOX_MAX_ENTRIES);
const sandboxHostFds = z
  .array(z.int().min(0).max(SANDBOX_MAX_FD))
  .max(SANDBOX_MAX_ENTRIES)
  .refine((fds) => new Set(fds).size === fds.length, 'expected each host fd once');

/**
 * JSON has no `undefined`: an absent optional argument may arrive as null over the
 * WebSocket. Both mean "not given".
 */
const optionalArg = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => value ?? undefined);

const lessonId = LessonSchema.shape.id;

export const API_PARAMS = {
  listProfiles: z.tuple([]),
  saveProfile: z.tuple([
    z.strictObject({ file: profileFile.optional(), profile: z.unknown(), baseRevision: revision.optional() }),
  ]),
  deleteProfile: z.tuple([profileFile]),
  examplesStatus: z.tuple([]),
  restoreExamples: z.tuple([exampleFiles(z.strictObject({ file: profileFile, revision }))]),
  undoRestoreExamples: z.tuple([
    exampleFiles(z.strictObject({ file: profileFile, revision, previousBase64: profileBytes.nullable() })),
  ]),
  validate: z.tuple([z.unknown()]),
  plan: z.tuple([z.unknown()]),
  execPreview: z.tuple([z.unknown()]),
  sandboxPlan: z.tuple([sandboxFiles, sandboxHostFds]),
  lookPath: z.tuple([program, z.array(envEntry).max(16 * KiB), z.boolean(), z.string().max(4 * KiB)]),
  exportCode: z.tuple([z.unknown(), z.enum(EXPORT_LANGS)]),
  verifyExport: z.tuple([z.unknown(), z.enum(EXPORT_LANGS)]),
  inspect: z.tuple([runId]),
  importShell: z.tuple([shellLine]),
  importProcess: z.tuple([z.int().min(1).max(PID_MAX_LIMIT)]),
  listProcesses: z.tuple([]),
  launch: z.tuple([z.unknown(), optionalArg(z.strictObject({ probe: z.boolean().optional(), labStdioPanes: z.boolean().optional() })).optional()]),
  signal: z.tuple([runId, z.enum(SIGNAL_BUTTONS), z.enum(STOP_SCOPES), z.int().min(0).max(3_600_000).optional()]),
  ptrace: z.tuple([runId, z.enum(PTRACE_ACTIONS)]),
  input: z.tuple([runId, inputData]),
  resize: z.tuple([runId, cells, cells]),
  saveDraft: z.tuple([z.strictObject({ key: DraftKeySchema, baseRevision: revision.optional(), profile: z.record(z.string(), z.unknown()) })]),
  listDrafts: z.tuple([]),
  discardDraft: z.tuple([DraftKeySchema]),
  listRecentRuns: z.tuple([]),
  listSecretKeys: z.tuple([]),
  setSecret: z.tuple([secretKey, z.string().max(128 * KiB)]),
  deleteSecret: z.tuple([secretKey]),
  listLessons: z.tuple([]),
  checkLesson: z.tuple([lessonId, z.unknown()]),
  showLessonHint: z.tuple([lessonId]),
} satisfies Record<ApiMethod, z.ZodType<unknown[]>>;

/** Browser mode's own methods (BrowserSessionApi), answered by its server. */
export const BROWSER_SESSION_PARAMS = {
  newTabLink: z.tuple([]),
  savedOutputDownloadLink: z.tuple([runId, outputKey]),
} satisfies { [M in BrowserSessionMethod]: z.ZodType<Parameters<BrowserSessionApi[M]>> };

/** The desktop-only openSavedOutput (IPC channel IPC_OPEN_SAVED_OUTPUT): a run id and key, never a path. */
export const OPEN_SAVED_OUTPUT_PARAMS = z.tuple([runId, outputKey, z.enum(['open', 'reveal'])]);

export type ApiParams<M extends ApiMethod> = z.output<(typeof API_PARAMS)[M]>;

// Compile-time: each schema takes every call the LabApi types allow, and lets through only
// what the service accepts. saveProfile's profile is the one `unknown` where LabApi says
// Profile: the store checks it in full before writing anything.
type WireParams<M extends ApiMethod> = M extends 'saveProfile'
  ? [Omit<SaveRequest, 'profile'> & { profile: unknown }]
  : Parameters<LabApi[M]>;
type Agrees<M extends ApiMethod> = [Parameters<LabApi[M]>] extends [z.input<(typeof API_PARAMS)[M]>]
  ? [ApiParams<M>] extends [WireParams<M>]
    ? true
    : false
  : false;
type AssertAll<T extends Record<ApiMethod, true>> = T;
export type ParamsAgreeWithApi = AssertAll<{ [M in ApiMethod]: Agrees<M> }>;
type OpenSavedOutputArgs = Parameters<NonNullable<LabApi['openSavedOutput']>>;
type AssertTrue<T extends true> = T;
export type OpenSavedOutputParamsAgree = AssertTrue<
  [OpenSavedOutputArgs] extends [z.input<typeof OPEN_SAVED_OUTPUT_PARAMS>]
    ? [z.output<typeof OPEN_SAVED_OUTPUT_PARAMS>] extends [OpenSavedOutputArgs]
      ? true
      : false
    : false
>;
