// Every field of a profile, described once: its input kind and default (from which
// profile.ts builds the schema), its label and help (the builder renders simple fields from
// them, and warnings name fields by them), its section in the builder, and the child steps
// it puts in the plan, each with the sentence that describes it (steps.ts).
// No zod here: the renderer reads this without loading the schema.
import type { CHILD_STEPS } from './engine-names';

type ChildStep = (typeof CHILD_STEPS)[number];

/** How a files[] entry of type "file" is opened: read, write, append, read and write. */
export const FILE_MODES = ['r', 'w', 'a', 'rw'] as const;
export type FileMode = (typeof FILE_MODES)[number];

/** The builder's sections for the fields below, in the order they appear after Files. */
export const FIELD_SECTIONS = [
  { id: 'session', title: 'Session and process group' },
  { id: 'terminal', title: 'Controlling terminal' },
  { id: 'credentials', title: 'Credentials' },
  { id: 'root', title: 'Root and tracing' },
  { id: 'engine', title: 'Engine' },
  { id: 'timeout', title: 'Timeout' },
] as const;

export type SectionId = (typeof FIELD_SECTIONS)[number]['id'];

interface Described {
  /** The field's name on screen and in warnings; for sys and engine fields, its JSON key. */
  label: string;
  /** After the label of a checkbox: what turning it on does. */
  summary?: string;
  /** A line under the control. */
  help?: string;
  /** Where the builder shows it; absent: a section of its own (Program, Files...). */
  section?: SectionId;
  /** The child steps it adds to the plan, each with the sentence the plan shows for it. */
  steps?: Partial<Record<ChildStep, string>>;
}

export type FieldDescription =
  | (Described & { input: 'boolean'; default: boolean })
  | (Described & { input: 'integer'; min: number; default?: number; placeholder?: string })
  | (Described & { input: 'text'; placeholder?: string; mono?: boolean })
  | (Described & { input: 'choice'; choices: readonly { value: string; label: string }[]; default: string })
  // A control of its own in the builder, and a schema of its own in profile.ts.
  | (Described & { input: 'custom' });

export type FieldGroup = Readonly<Record<string, FieldDescription>>;

/** The top level of a profile. Only timeoutMs is simple; the rest have sections of their own. */
export const PROFILE_FIELDS = {
  name: { input: 'custom', label: 'Name' },
  description: { input: 'custom', label: 'Description' },
  path: { input: 'custom', label: 'Path' },
  args: { input: 'custom', label: 'Arguments' },
  dir: {
    input: 'custom',
    label: 'Working directory',
    steps: { chdir: 'change the working directory to dir (inside the new root after a chroot)' },
  },
  inheritEnv: { input: 'custom', label: 'Inherit the lab’s environment' },
  env: { input: 'custom', label: 'Environment' },
  secrets: { input: 'custom', label: 'Secrets' },
  files: {
    input: 'custom',
    label: 'Files',
    steps: {
      fd: 'arrange the descriptors: move sources out of the way, dup each files[i] onto fd i, close the slots marked closed',
    },
  },
  stdin: { input: 'custom', label: 'Text for the pipe on fd 0' },
  timeoutMs: {
    input: 'integer',
    min: 1,
    section: 'timeout',
    label: 'Timeout (ms)',
    placeholder: 'none',
    help: 'SIGKILL the child after this long. Empty: no timeout.',
  },
} as const satisfies FieldGroup;

/** Go's SysProcAttr. */
export const SYS_FIELDS = {
  chroot: {
    input: 'text',
    section: 'root',
    label: 'chroot',
    mono: true,
    placeholder: '(empty: no chroot)',
    help: 'Later paths (dir, the program) resolve inside the new root.',
    steps: { chroot: 'change the root directory; every later path (chdir, execve) resolves inside it' },
  },
  credential: {
    input: 'custom',
    section: 'credentials',
    label: 'credential',
    steps: {
      setgroups: 'set the supplementary groups to credential.groups (skipped with noSetGroups)',
      setgid: 'set the real, effective and saved group IDs to credential.gid',
      setuid: 'set the real, effective and saved user IDs to credential.uid; last, because it gives up the right to change the others',
    },
  },
  ptrace: {
    input: 'boolean',
    default: false,
    section: 'root',
    label: 'ptrace',
    summary: 'PTRACE_TRACEME: the child stops with SIGTRAP at execve',
    steps: { ptrace: 'PTRACE_TRACEME: let the lab trace the child, which then stops with SIGTRAP at execve' },
  },
  setsid: {
    input: 'boolean',
    default: false,
    section: 'session',
    label: 'setsid',
    summary: 'a new session, led by the child',
    steps: { setsid: 'create a new session; the child becomes session and group leader, with no controlling terminal' },
  },
  setpgid: {
    input: 'boolean',
    default: false,
    section: 'session',
    label: 'setpgid',
    summary: 'move the child into a process group',
    steps: {
      setpgid: 'move the child into a process group: a new one led by the child when pgid is 0, otherwise the existing group pgid',
    },
  },
  pgid: {
    input: 'integer',
    min: 0,
    default: 0,
    section: 'session',
    label: 'pgid',
    placeholder: '0',
    help: '0: a new group led by the child. Used with setpgid.',
  },
  setctty: {
    input: 'boolean',
    default: false,
    section: 'terminal',
    label: 'setctty',
    summary: 'make fd ctty the controlling terminal',
    steps: { setctty: 'TIOCSCTTY on fd ctty: make that terminal the controlling terminal of the child\'s new session' },
  },
  noctty: {
    input: 'boolean',
    default: false,
    section: 'terminal',
    label: 'noctty',
    summary: 'detach from the controlling terminal on fd 0',
    steps: { noctty: 'TIOCNOTTY on fd 0: give up the controlling terminal, which fd 0 must be' },
  },
  ctty: {
    input: 'integer',
    min: 0,
    default: 0,
    section: 'terminal',
    label: 'ctty',
    placeholder: '0',
    help: 'The child fd that is the terminal (a pty row). Used with setctty.',
  },
} as const satisfies FieldGroup;

/** How the lab itself launches. */
export const ENGINE_FIELDS = {
  method: {
    input: 'choice',
    section: 'engine',
    label: 'Method',
    default: 'vfork',
    choices: [
      { value: 'vfork', label: 'vfork — clone(CLONE_VM|CLONE_VFORK), as posix_spawn' },
      { value: 'fork', label: 'fork — a full copy, as the seed' },
    ],
  },
  closeOtherFds: {
    input: 'boolean',
    default: true,
    section: 'engine',
    label: 'closeOtherFds',
    summary: 'the child keeps only its files',
    steps: { closefds: 'mark every descriptor above the child\'s files close-on-exec, so that the program gets only its files' },
  },
  resetSignals: {
    input: 'boolean',
    default: true,
    section: 'engine',
    label: 'resetSignals',
    summary: 'default dispositions, empty mask',
  },
} as const satisfies FieldGroup;

/** Where each group lives in a profile: '' for the top level. */
export const FIELD_GROUPS = [
  { at: '', fields: PROFILE_FIELDS as FieldGroup },
  { at: 'sys', fields: SYS_FIELDS as FieldGroup },
  { at: 'engine', fields: ENGINE_FIELDS as FieldGroup },
] as const;

type CustomInSection<G, Prefix extends string> = {
  [K in keyof G & string]: G[K] extends { input: 'custom'; section: SectionId } ? `${Prefix}${K}` : never;
}[keyof G & string];

/** The fields in a described section whose control the builder must supply ('sys.credential'). */
export type CustomSectionFieldPath =
  | CustomInSection<typeof PROFILE_FIELDS, ''>
  | CustomInSection<typeof SYS_FIELDS, 'sys.'>
  | CustomInSection<typeof ENGINE_FIELDS, 'engine.'>;

/** A field as the builder and the problems know it: its path (`sys.setsid`, `timeoutMs`) and description. */
export interface PlacedField {
  path: string;
  group: '' | 'sys' | 'engine';
  key: string;
  field: FieldDescription;
}

export const ALL_FIELDS: readonly PlacedField[] = FIELD_GROUPS.flatMap(({ at, fields }) =>
  Object.entries(fields).map(([key, field]) => ({ path: at === '' ? key : `${at}.${key}`, group: at, key, field })),
);

/** The fields the builder draws itself, section by section, in order. */
export function fieldsOfSection(section: SectionId): readonly PlacedField[] {
  return ALL_FIELDS.filter((f) => f.field.section === section);
}

/** The defaults of a group's simple fields: what a profile that leaves them out means. */
export function defaultsOf(fields: FieldGroup): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    if ('default' in field && field.default !== undefined) out[key] = field.default;
  }
  return out;
}

/** The sentence of each step a field puts in the plan. */
export function fieldStepDescriptions(): Partial<Record<ChildStep, string>> {
  return Object.assign({}, ...ALL_FIELDS.map((f) => f.field.steps ?? {}));
}

/** The label of the field at `path` (`sys.setsid` -> "setsid"), for sentences that name it. */
export function fieldLabel(path: string): string {
  return ALL_FIELDS.find((f) => f.path === path)?.field.label ?? path;
}

