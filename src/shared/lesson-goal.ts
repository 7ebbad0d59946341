// A lesson's goal checked against what the lab observed (issue 16): each condition in words,
// whether it holds, and what was seen instead. A condition the observation cannot decide
// (the lab's fd 1 and fd 2 are one file, so a swap cannot be told apart) holds neither
// way: the check says why and does not pass. Pure: the lab gathers the observation.
import type { ProbeReport } from './api';
import type { GoalCondition, Lesson, LessonLaunch } from './lesson';
import { namespaceOrigins, NAMESPACE_FILES, type NamespaceIds } from './namespaces';
import type { FdIdentity, RunEvent, RunResult } from './result';

/** What a check saw of one launch of the student's profile (or of its plan alone). */
export interface LessonObservation {
  launch: LessonLaunch;
  /** The run's ending; null when the check only planned. */
  result: Pick<RunResult, 'execError' | 'trace' | 'status'> & { events: readonly RunEvent[] } | null;
  /** The probe's report; null when it did not run (or the check launched the program itself). */
  report: ProbeReport | null;
  labNamespaces: NamespaceIds | null;
  /** fstat of the lab's own descriptors that the goal names, as the check saw them; null: not open. */
  labFds: Readonly<Record<number, FdIdentity | null>>;
  /** Whether the seed's plan of the profile's files destroys a source, with the op that does. */
  seed: { clobbers: boolean; detail: string } | null;
}

export interface ConditionVerdict {
  /** The condition in words: "fd 0 is closed". */
  says: string;
  /** true · false · null: the observation cannot tell (`saw` says why). */
  holds: boolean | null;
  /** What the lab saw, in words. */
  saw: string;
  /** The lesson's words for this miss, when it did not hold (not when it could not be told). */
  miss?: string;
}

export interface GoalVerdict {
  passed: boolean;
  conditions: ConditionVerdict[];
}

const ACCESS_WORDS = { r: 'for reading', w: 'for writing', rw: 'for reading and writing' } as const;
const listed = (items: readonly (string | number)[]) => (items.length === 0 ? 'none' : items.join(', '));
type MaybeIdentity = { dev: number | null; ino: number | null } | null | undefined;
const sameFile = (a: MaybeIdentity, b: MaybeIdentity) => !!a && !!b && a.dev !== null && a.ino !== null && a.dev === b.dev && a.ino === b.ino;

/** Why a condition about the child's state cannot be seen: the probe did not report. */
function noReport(o: LessonObservation): string {
  const error = o.result?.execError;
  if (error) return `the launch failed at ${error.step} with ${error.code} before the program ran`;
  if (o.launch !== 'probe') return 'this lesson does not launch the probe, so the child’s state is not seen';
  return 'the probe wrote no report';
}

type Judged = Omit<ConditionVerdict, 'miss'>;
type Judge<C> = (c: C, o: LessonObservation, goal: readonly GoalCondition[]) => Judged;

/** A condition on the probe's report: judged by `fn`, or false with why there is none. */
const onReport =
  <C,>(says: (c: C) => string, fn: (c: C, r: ProbeReport, o: LessonObservation, goal: readonly GoalCondition[]) => { holds: boolean | null; saw: string }): Judge<C> =>
  (c, o, goal) => (o.report ? { says: says(c), ...fn(c, o.report, o, goal) } : { says: says(c), holds: false, saw: noReport(o) });

const fdOf = (r: ProbeReport, fd: number) => r.fds.find((f) => f.fd === fd);
const fdWords = (r: ProbeReport, fd: number) => {
  const f = fdOf(r, fd);
  return f ? `fd ${fd} is ${f.target ?? 'open'}` : `fd ${fd} is not open`;
};

const sameAsLabFd = onReport<{ fd: number; sameAsLabFd: number }>(
  (c) => `fd ${c.fd} refers to what the lab’s fd ${c.sameAsLabFd} refers to`,
  (c, r, o, goal) => {
    const lab = o.labFds[c.sameAsLabFd];
    if (!lab) return { holds: null, saw: `the lab’s fd ${c.sameAsLabFd} is not open, so there is nothing to compare with` };
    // The other lab fds this goal names: if one is the same file, the two cannot be told apart.
    const twins = goal.flatMap((g) => ('sameAsLabFd' in g && g.sameAsLabFd !== c.sameAsLabFd && sameFile(o.labFds[g.sameAsLabFd], lab) ? [g.sameAsLabFd] : []));
    if (twins.length > 0) {
      return { holds: null, saw: `the lab’s fd ${c.sameAsLabFd} and fd ${twins[0]} are the same file, so which one the child got cannot be told: check with them on different files` };
    }
    const f = fdOf(r, c.fd);
    if (!f) return { holds: false, saw: `fd ${c.fd} is not open` };
    const names = Object.entries(o.labFds).filter(([, id]) => sameFile(id, f)).map(([n]) => `the lab’s fd ${n}`);
    return { holds: sameFile(f, lab), saw: `fd ${c.fd} is ${f.target ?? 'open'}${names.length > 0 ? `, which is ${names.join(' and ')}` : ''}` };
  },
);

const ids = (real: number, effective: number, word: string) => (real === effective ? `${word} ${real}` : `${word} ${real}, effective ${effective}`);

const JUDGES = {
  sameAsLabFd,
  closed: onReport<{ fd: number }>((c) => `fd ${c.fd} is closed`, (c, r) => ({ holds: !fdOf(r, c.fd), saw: fdWords(r, c.fd) })),
  path: onReport<{ fd: number; path: string; access?: 'r' | 'w' | 'rw' }>(
    (c) => `fd ${c.fd} is open on ${c.path}${c.access ? ` ${ACCESS_WORDS[c.access]}` : ''}`,
    (c, r) => {
      const f = fdOf(r, c.fd);
      if (!f) return { holds: false, saw: `fd ${c.fd} is not open` };
      const access = f.access in ACCESS_WORDS ? ` ${ACCESS_WORDS[f.access as keyof typeof ACCESS_WORDS]}` : '';
      return { holds: f.target === c.path && (!c.access || f.access === c.access), saw: `fd ${c.fd} is ${f.target ?? 'open'}${access}` };
    },
  ),
  leadsSession: onReport<{ leadsSession: boolean }>(
    (c) => (c.leadsSession ? 'it leads a new session (its sid is its pid)' : 'it stays in the lab’s session'),
    (c, r) => ({ holds: (r.sid === r.pid) === c.leadsSession, saw: `pid ${r.pid}, sid ${r.sid}` }),
  ),
  leadsGroup: onReport<{ leadsGroup: boolean }>(
    (c) => (c.leadsGroup ? 'it leads its own process group (its pgid is its pid)' : 'it stays in the lab’s process group'),
    (c, r) => ({ holds: (r.pgid === r.pid) === c.leadsGroup, saw: `pid ${r.pid}, pgid ${r.pgid}` }),
  ),
  controllingTerminal: onReport<{ controllingTerminal: boolean }>(
    (c) => (c.controllingTerminal ? 'it has a controlling terminal' : 'it has no controlling terminal'),
    (c, r) => ({ holds: (r.tty.ctty !== null) === c.controllingTerminal, saw: r.tty.ctty ? `its controlling terminal is ${r.tty.ctty}` : 'no controlling terminal' }),
  ),
  foreground: onReport<object>(
    () => 'its process group is its terminal’s foreground group',
    (_c, r) => ({
      holds: r.tty.foregroundPgid !== null && r.tty.foregroundPgid === r.pgid,
      saw: r.tty.foregroundPgid === null ? 'no terminal foreground group' : `pgid ${r.pgid}, the terminal’s foreground group ${r.tty.foregroundPgid}`,
    }),
  ),
  uid: onReport<{ uid: number }>((c) => `its uid is ${c.uid}`, (c, r) => ({ holds: r.uid === c.uid && r.euid === c.uid, saw: ids(r.uid, r.euid, 'uid') })),
  gid: onReport<{ gid: number }>((c) => `its gid is ${c.gid}`, (c, r) => ({ holds: r.gid === c.gid && r.egid === c.gid, saw: ids(r.gid, r.egid, 'gid') })),
  groups: onReport<{ groups: number[] }>(
    (c) => (c.groups.length === 0 ? 'it has no supplementary groups' : `its supplementary groups are exactly ${listed(c.groups)}`),
    (c, r) => {
      const sorted = (g: readonly number[]) => [...new Set(g)].sort((a, b) => a - b).join(',');
      return { holds: sorted(r.groups) === sorted(c.groups), saw: `supplementary groups: ${listed(r.groups)}` };
    },
  ),
  cwd: onReport<{ cwd: string }>((c) => `its working directory is ${c.cwd}`, (c, r) => ({ holds: r.cwd === c.cwd, saw: `working directory ${r.cwd ?? 'unknown'}` })),
  signalDefault: onReport<{ signalDefault: string }>(
    (c) => `${c.signalDefault} has its default action (neither ignored nor caught)`,
    (c, r) => {
      const how = r.signals.ignored.includes(c.signalDefault) ? 'ignored' : r.signals.caught.includes(c.signalDefault) ? 'caught' : null;
      return { holds: how === null, saw: how ? `${c.signalDefault} is ${how}` : `${c.signalDefault} is at its default` };
    },
  ),
  blocked: onReport<{ blocked: string[] }>(
    (c) => (c.blocked.length === 0 ? 'no signal is blocked' : `exactly ${listed(c.blocked)} blocked`),
    (c, r) => ({ holds: [...r.signals.blocked].sort().join() === [...c.blocked].sort().join(), saw: `blocked: ${listed(r.signals.blocked)}` }),
  ),
  namespace: onReport<{ namespace: keyof NamespaceIds; origin: 'new' | 'lab' }>(
    (c) => `its ${NAMESPACE_FILES[c.namespace]} namespace is ${c.origin === 'new' ? 'a new one' : 'the lab’s'}`,
    (c, r, o) => {
      if (!o.labNamespaces) return { holds: null, saw: 'the lab’s own namespaces could not be read' };
      const origin = namespaceOrigins(r.namespaces, o.labNamespaces)[c.namespace];
      if (origin === 'unknown') return { holds: null, saw: `its ${NAMESPACE_FILES[c.namespace]} namespace could not be read` };
      return { holds: origin === c.origin, saw: origin === 'new' ? 'a new one' : 'the lab’s' };
    },
  ),
} satisfies Record<string, Judge<never>>;

function stepDone(c: { stepDone: string }, o: LessonObservation): Judged {
  const says = `its trace has the ${c.stepDone} step, done`;
  if (!o.result) return { says, holds: false, saw: 'not launched' };
  const step = o.result.trace.find((t) => t.step === c.stepDone);
  return { says, holds: step?.state === 'done', saw: step ? `${step.call}: ${step.state === 'done' ? 'done' : step.code ?? step.state}` : `no ${c.stepDone} step in its trace` };
}

function failsAt(c: { failsAt: { step: string; code: string; cause?: string } }, o: LessonObservation): Judged {
  const { step, code, cause } = c.failsAt;
  const says = `the launch fails at its ${step} step with ${code}${cause ? ` (the cause the lab finds: ${cause})` : ''}${step === 'execve' ? '' : ', before execve'}`;
  const error = o.result?.execError;
  if (!o.result) return { says, holds: false, saw: 'not launched' };
  if (!error) return { says, holds: false, saw: 'the launch did not fail: the program ran' };
  const found = error.cause ? `, cause ${error.cause.code}` : '';
  return { says, holds: error.step === step && error.code === code && (!cause || error.cause?.code === cause), saw: `it failed at ${error.step} with ${error.code}${found}` };
}

function stoppedAtExec(_c: object, o: LessonObservation): Judged {
  const says = 'traced, it stops with SIGTRAP at its execve, before its program runs';
  const stop = o.result?.events.find((e) => e.kind === 'stopped');
  const saw = !o.result ? 'not launched' : stop && stop.kind === 'stopped' ? `it stopped with ${stop.signal}` : 'it never stopped';
  return { says, holds: stop?.kind === 'stopped' && stop.signal === 'SIGTRAP', saw };
}

function seedClobbers(_c: object, o: LessonObservation): Judged {
  const says = 'the seed’s order of dup2 calls destroys one of the files’ sources (golang/go#61751)';
  if (!o.seed) return { says, holds: false, saw: 'the files were not planned' };
  return { says, holds: o.seed.clobbers, saw: o.seed.detail };
}

function judge(c: GoalCondition, o: LessonObservation, goal: readonly GoalCondition[]): Judged {
  if ('sameAsLabFd' in c) return JUDGES.sameAsLabFd(c, o, goal);
  if ('closed' in c) return JUDGES.closed(c, o, goal);
  if ('path' in c) return JUDGES.path(c, o, goal);
  if ('leadsSession' in c) return JUDGES.leadsSession(c, o, goal);
  if ('leadsGroup' in c) return JUDGES.leadsGroup(c, o, goal);
  if ('controllingTerminal' in c) return JUDGES.controllingTerminal(c, o, goal);
  if ('foreground' in c) return JUDGES.foreground(c, o, goal);
  if ('uid' in c) return JUDGES.uid(c, o, goal);
  if ('gid' in c) return JUDGES.gid(c, o, goal);
  if ('groups' in c) return JUDGES.groups(c, o, goal);
  if ('cwd' in c) return JUDGES.cwd(c, o, goal);
  if ('signalDefault' in c) return JUDGES.signalDefault(c, o, goal);
  if ('blocked' in c) return JUDGES.blocked(c, o, goal);
  if ('namespace' in c) return JUDGES.namespace(c, o, goal);
  if ('stepDone' in c) return stepDone(c, o);
  if ('failsAt' in c) return failsAt(c, o);
  if ('stoppedAtExec' in c) return stoppedAtExec(c, o);
  return seedClobbers(c, o);
}

/** Every condition of the goal, judged; the lesson passes when each one holds. */
export function checkGoal(lesson: Pick<Lesson, 'goal'>, o: LessonObservation): GoalVerdict {
  const conditions = lesson.goal.map((c): ConditionVerdict => {
    const verdict = judge(c, o, lesson.goal);
    return verdict.holds === false && c.miss ? { ...verdict, miss: c.miss } : verdict;
  });
  return { passed: conditions.every((c) => c.holds === true), conditions };
}

/** The lab fds a goal compares the child's with. */
export function labFdsNamed(lesson: Pick<Lesson, 'goal'>): number[] {
  return [...new Set(lesson.goal.flatMap((c) => ('sameAsLabFd' in c ? [c.sameAsLabFd] : [])))];
}
