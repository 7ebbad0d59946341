// A lesson (issue 16): a goal stated over what the child really got, the text that teaches
// it, a starting profile, and hints shown one at a time. A lesson is a JSON file: the lab
// ships a folder of them (lessons/), and a teacher adds their own in the `lessons` folder
// beside the profiles. README, "Lessons", says how to write one.
import * as z from 'zod';

import { SIGNALS } from './signals';
import { STEPS } from './steps';
import { EXEC_CAUSE_CODES } from './result';
import { NAMESPACES } from './namespaces';

const fd = z.number().int().min(0).max(1023);
const id = z.number().int().min(0).max(0xffffffff);
const signal = z.enum(SIGNALS.map((s) => s.name));

const miss = z.string().min(1).max(600).optional();
/** A condition's own fields, and what to say when it is missed. */
const condition = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, miss });

/**
 * One thing the goal asks of the child, each with what to say when it is missed (`miss`).
 * The words for the condition itself come from lesson-goal.ts, so that every lesson says
 * the same thing the same way.
 */
export const GoalConditionSchema = z.union([
  // The child's fd `fd` refers to the same open file as the lab's own fd `labFd` (by fstat's device and inode).
  condition({ fd, sameAsLabFd: fd }),
  condition({ fd, closed: z.literal(true) }),
  // Open on this path, for this access.
  condition({ fd, path: z.string().min(1), access: z.enum(['r', 'w', 'rw']).optional() }),
  condition({ leadsSession: z.boolean() }),
  condition({ leadsGroup: z.boolean() }),
  condition({ controllingTerminal: z.boolean() }),
  // Its process group is its terminal's foreground group (job control).
  condition({ foreground: z.literal(true) }),
  condition({ uid: id }),
  condition({ gid: id }),
  condition({ groups: z.array(id) }),
  condition({ cwd: z.string().min(1) }),
  // Neither ignored nor caught: the kernel's default action.
  condition({ signalDefault: signal }),
  condition({ blocked: z.array(signal) }),
  condition({ namespace: z.enum(NAMESPACES), origin: z.enum(['new', 'lab']) }),
  // The child's own trace has this step, done.
  condition({ stepDone: z.enum(STEPS) }),
  // The launch fails at this step with this errno name (and, for execve, the cause the lab found).
  condition({ failsAt: z.strictObject({ step: z.enum(STEPS), code: z.string().regex(/^E[A-Z0-9]+$/), cause: z.enum(EXEC_CAUSE_CODES).optional() }) }),
  // Traced, it stopped at its execve (SIGTRAP) before its program ran.
  condition({ stoppedAtExec: z.literal(true) }),
  // golang/go#61751: the seed's order of dup2 calls destroys one of these files' sources.
  condition({ seedClobbers: z.literal(true) }),
]);

/** How a check launches the student's profile. */
export const LESSON_LAUNCHES = {
  /** The probe in the program's place, the setup the same: what the child got. */
  probe: 'launched with the probe in the program’s place',
  /** The program itself: the goal is about how the launch fails. */
  program: 'launched as it is',
  /** Not launched: the goal is about the plan (the sandbox's seed versus corrected). */
  plan: 'planned, not launched',
} as const;

export type LessonLaunch = keyof typeof LESSON_LAUNCHES;

const text = z.union([z.string(), z.array(z.string())]).transform((t) => (Array.isArray(t) ? t.join('\n') : t));

export const LessonSchema = z.strictObject({
  version: z.literal(1),
  /** Lowercase words joined by hyphens; the CLI and the progress name a lesson by it. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase words joined by hyphens, e.g. close-stdin').max(64),
  title: z.string().min(1).max(120),
  /** Where it comes in the course: lessons are listed by it, then by id. */
  order: z.number().int().min(0).max(100_000).default(1000),
  /** Markdown: the concepts, with links to man pages and to Go's and CPython's source. */
  text,
  /** The goal in a sentence, as the list shows it. */
  summary: z.string().min(1).max(300),
  launch: z.enum(Object.keys(LESSON_LAUNCHES) as [LessonLaunch, ...LessonLaunch[]]).default('probe'),
  /** The check is only meaningful for root (credentials, chroot); `rootless` says what to do instead. */
  needsRoot: z.strictObject({ rootless: z.string().min(1).max(600) }).optional(),
  /** The profile the student starts from (any profile; checked when the lesson is checked, not here). */
  start: z.record(z.string(), z.unknown()),
  hints: z.array(z.string().min(1).max(600)).max(10).default([]),
  goal: z.array(GoalConditionSchema).min(1).max(20),
});

export type Lesson = z.output<typeof LessonSchema>;
export type GoalCondition = Lesson['goal'][number];
