// Every field of a profile, described once: its input kind and default (from which
// profile.ts builds the schema), its label and help (the builder renders simple fields from
// them, and warnings name fields by them), its section in the builder, and the child steps
// it puts in the plan, each with the sentence that describes it (steps.ts).
// No zod here: the renderer reads this without loading the schema.
import { CAPABILITIES, NAMESPACE_FLAGS, type CHILD_STEPS } from './engine-names';

type ChildStep = (typeof CHILD_STEPS)[number];

/** How a files[] entry of type "file" is opened: read, write, append, read and write. */
export const FILE_MODES = ['r', 'w', 'a', 'rw'] as const;
export type FileMode = (typeof FILE_MODES)[number];

/** The builder's sections for the fields below, in the order they appear after Files. */
// `advanced`: folded until opened or until one of its fields is set, so that a newcomer
// sees the seed's fields first.
export const FIELD_SECTIONS = [
  { id: 'session', title: 'Session, process group and parent' },
  { id: 'terminal', title: 'Controlling terminal' },
  { id: 'credentials', title: 'Credentials and privileges' },
  { id: 'root', title: 'Root and tracing' },
  { id: 'namespaces', title: 'Namespaces', advanced: true },
  { id: 'limits', title: 'Limits and scheduling', advanced: true },
  { id: 'engine', title: 'Engine' },
  { id: 'timeout', title: 'Timeout and stopping' },
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
  | (Described & { input: 'integer'; min: number; max?: number; default?: number; placeholder?: string })
  // `pattern`: what the text must match, and what to say when it does not.
  | (Described & { input: 'text'; placeholder?: string; mono?: boolean; pattern?: { regex: RegExp; message: string } })
  | (Described & { input: 'choice'; choices: readonly { value: string; label: string }[]; default: string })
  // A signal name (signals.ts), or none.
  | (Described & { input: 'signal' })
  // A set of names from `choices` (each once), empty by default.
  | (Described & { input: 'names'; choices: readonly string[] })
  // A list of integers, empty by default.
  | (Described & { input: 'integers'; min: number; max: number; placeholder?: string })
  // A control of its own in the builder, and a schema of its own in profile.ts.
  | (Described & { input: 'custom' });

export type FieldGroup = Readonly<Record<string, FieldDescription>>;

/** Whom a timeout, and by default the run view's signals, reach. */
export const STOP_SCOPES = ['child', 'group', 'cgroup'] as const;
export type StopScope = (typeof STOP_SCOPES)[number];

/** The top level of a profile. The stopping fields are simple; the rest have sections of their own. */
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
    help: 'SIGKILL the child (or what Stop reaches) after this long. Empty: no timeout.',
  },
  stopScope: {
    input: 'choice',
    section: 'timeout',
    label: 'Stop',
    default: 'child',
    choices: [
      { value: 'child', label: 'the child — kill(pid)' },
      { value: 'group', label: 'its process group — kill(-pgid)' },
      { value: 'cgroup', label: 'its cgroup — cgroup.kill (SIGKILL only)' },
    ],
    help: 'What the timeout kills, and what the run view’s signals reach at first. The child alone leaves what it started running; its group (needs setsid or setpgid) takes all it started there; its cgroup (needs cgroup) takes every process in it, even a daemon that called setsid and left the group.',
  },
  waitDelayMs: {
    input: 'integer',
    min: 0,
    max: 3_600_000,
    section: 'timeout',
    label: 'Wait for output after exit (ms)',
    placeholder: '500',
    help: 'After the child exits, how long the lab still reads a pipe or terminal something else holds open (Go’s WaitDelay, go#23019); then it stops and names the holders. Empty: 500.',
  },
} as const satisfies FieldGroup;

/** Go's SysProcAttr, and what CPython and systemd add. */
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
  ambientCaps: {
    input: 'names',
    choices: CAPABILITIES,
    section: 'credentials',
    label: 'ambientCaps',
    help: 'Capabilities the program keeps across execve even without file capabilities (capabilities(7)). The lab must hold each in its permitted and bounding sets.',
    steps: {
      keepcaps: 'PR_SET_KEEPCAPS before the credential drop: without it setuid to a non-zero uid clears the permitted set, and no capability could be made ambient after it',
      ambientCaps: 'add each capability to the permitted and inheritable sets (capset), then raise it in the ambient set (PR_CAP_AMBIENT_RAISE): the program keeps it across execve',
    },
  },
  noNewPrivs: {
    input: 'boolean',
    default: false,
    section: 'credentials',
    label: 'noNewPrivs',
    summary: 'execve can never grant privileges (setuid bits, file capabilities)',
    steps: { noNewPrivs: 'PR_SET_NO_NEW_PRIVS: from here on execve cannot raise privileges, for the program and everything it runs; it is never undone' },
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
    help: '0: a new group led by the child. Used with setpgid and foreground.',
  },
  pdeathsig: {
    input: 'signal',
    section: 'session',
    label: 'pdeathsig',
    help: 'Sent to the child when the thread that created it ends (go#27505): here the lab’s spawner thread, which lives as long as the lab.',
    steps: {
      pdeathsig: 'PR_SET_PDEATHSIG: the kernel sends this signal when the parent thread ends; if the parent is gone already, the child signals itself, as Go does',
    },
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
  foreground: {
    input: 'boolean',
    default: false,
    section: 'terminal',
    label: 'foreground',
    summary: 'make the child’s process group the terminal’s foreground group (implies setpgid)',
    help: 'TIOCSPGRP on the terminal at child fd ctty, which must be the lab’s own controlling terminal (a new pty is not one: use setsid and setctty there).',
    steps: {
      foreground: 'TIOCSPGRP: make the child\'s process group the foreground group of the lab\'s controlling terminal, reached through the lab\'s fd for child slot ctty (Go takes that parent fd here, and a child fd for Setctty: go#29458)',
    },
  },
  ctty: {
    input: 'integer',
    min: 0,
    default: 0,
    section: 'terminal',
    label: 'ctty',
    placeholder: '0',
    help: 'The child fd that is the terminal (a pty row for setctty; the lab’s terminal for foreground).',
  },
  cloneflags: {
    input: 'names',
    choices: NAMESPACE_FLAGS,
    section: 'namespaces',
    label: 'cloneflags',
    help: 'New namespaces made by clone itself. A new user namespace with ID maps needs the lab to write them while the child waits, which vfork cannot do.',
    steps: {
      userns: 'wait until the lab has written the ID maps of the child\'s new user namespace (uid_map, setgroups, gid_map in /proc/PID), as Go does',
    },
  },
  unshareflags: {
    input: 'names',
    choices: NAMESPACE_FLAGS,
    section: 'namespaces',
    label: 'unshareflags',
    help: 'New namespaces made by the child with unshare(2). CLONE_NEWPID here puts only the program’s children in the new namespace (go#19716).',
    steps: {
      unshare: 'unshare(2): move the child into new namespaces; with CLONE_NEWNS, / is then made private (MS_REC|MS_PRIVATE) so that mounts stop propagating, as Go and unshare(1) do',
    },
  },
  uidMappings: {
    input: 'custom',
    section: 'namespaces',
    label: 'uidMappings',
    steps: { uidMappings: 'write uid_map of the new user namespace from unshareflags: the child maps itself, so it may map only its own uid (user_namespaces(7))' },
  },
  gidMappings: {
    input: 'custom',
    section: 'namespaces',
    label: 'gidMappings',
    steps: {
      gidMappings: 'write gid_map of the new user namespace from unshareflags, after "deny" to setgroups unless gidMappingsEnableSetgroups (an unprivileged writer must deny setgroups first: go#10626)',
    },
  },
  gidMappingsEnableSetgroups: {
    input: 'boolean',
    default: false,
    section: 'namespaces',
    label: 'gidMappingsEnableSetgroups',
    summary: 'leave setgroups allowed in the new user namespace (only a privileged lab can then write gid_map)',
  },
  umask: {
    input: 'text',
    section: 'limits',
    label: 'umask',
    mono: true,
    placeholder: '(empty: the lab’s)',
    help: 'Octal, as CPython’s umask=: e.g. 027.',
    pattern: { regex: /^0?[0-7]{1,3}$/, message: 'expected an octal mode from 0 to 777, e.g. "027"' },
    steps: { umask: 'set the file mode creation mask the program starts with' },
  },
  rlimits: {
    input: 'custom',
    section: 'limits',
    label: 'rlimits',
    steps: {
      rlimits: 'set each resource limit (prlimit64); raising a hard limit needs CAP_SYS_RESOURCE, which root lacks on some machines (this one)',
    },
  },
  nice: {
    input: 'integer',
    min: -20,
    max: 19,
    section: 'limits',
    label: 'nice',
    placeholder: '(the lab’s)',
    help: '-20 (most favoured) to 19. Below the lab’s own needs CAP_SYS_NICE.',
    steps: { nice: 'setpriority(PRIO_PROCESS): the nice value the program starts with' },
  },
  cpuAffinity: {
    input: 'integers',
    min: 0,
    max: 1023,
    section: 'limits',
    label: 'cpuAffinity',
    placeholder: 'comma-separated CPU numbers, e.g. 0, 1',
    help: 'The CPUs the program may run on (sched_setaffinity).',
    steps: { cpuAffinity: 'sched_setaffinity: the CPUs the program may run on' },
  },
  oomScoreAdj: {
    input: 'integer',
    min: -1000,
    max: 1000,
    section: 'limits',
    label: 'oomScoreAdj',
    placeholder: '(the lab’s)',
    help: '-1000 (never killed for memory) to 1000. Below the lab’s own needs CAP_SYS_RESOURCE; after a chroot, /proc must exist inside.',
    steps: { oomScoreAdj: 'write oom_score_adj in /proc/self: how readily the kernel kills the program when memory runs out' },
  },
  cgroup: {
    input: 'text',
    section: 'limits',
    label: 'cgroup',
    mono: true,
    placeholder: '(empty: the lab’s cgroup)',
    help: 'A cgroup v2 directory the child is created in (clone3 with CLONE_INTO_CGROUP, Go’s UseCgroupFD).',
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
  order: {
    input: 'choice',
    section: 'engine',
    label: 'Step order',
    default: 'seed',
    choices: [
      { value: 'seed', label: 'seed — the 2014 ForkExec this lab reproduces' },
      { value: 'go', label: 'go — Go’s exec_linux.go today (ptrace last)' },
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
    if (field.input === 'names' || field.input === 'integers') out[key] = [];
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

