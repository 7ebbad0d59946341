// A lesson's check (issue 16): the student's profile launched as the lesson says (with the
// probe in the program's place, as it is, or only planned), what the child got gathered,
// and the goal judged against it (shared/lesson-goal.ts). A traced child is let go at its
// exec stop, so the probe runs and reports. The lab's own descriptors a goal compares with
// are read (fstat) just before the launch, in the process that launches.
import { fstatSync } from 'node:fs';

import type { LessonCheck } from '../../shared/api';
import type { Lesson } from '../../shared/lesson';
import { checkGoal, labFdsNamed, type LessonObservation } from '../../shared/lesson-goal';
import type { FdIdentity } from '../../shared/result';
import type { NormalizedProfile } from '../../shared/profile';
import { checkProfile } from '../../shared/validate';
import { hostFacts } from './host';
import { InvalidProfileError, launch, launchProbe, type LaunchHandlers } from './index';
import { labNamespaceIds } from './namespaces';
import { parseProbeReport } from './probe-report';
import { sandboxPlan } from './sandbox';

/** A check that hangs (a FIFO, a child that waits for input) ends here unless the profile says sooner. */
const CHECK_TIMEOUT_MS = 10_000;

function labFdIdentity(fd: number): FdIdentity | null {
  try {
    const { dev, ino } = fstatSync(fd);
    return { dev, ino };
  } catch {
    return null;
  }
}

/** golang/go#61751 for these files: whether the seed's dup2 order destroys a source, and where. */
function seedOf(profile: NormalizedProfile): LessonObservation['seed'] {
  const slots = profile.files.map((f) => (f.type === 'inherit' ? f.fd : f.type === 'closed' ? -1 : null));
  if (slots.some((fd) => fd === null)) return { clobbers: false, detail: 'every slot must inherit a lab descriptor (or be closed) for the sandbox to plan it' };
  const fds = slots as number[];
  const plan = sandboxPlan(fds, [...new Set(fds.filter((fd) => fd >= 0))]);
  const op = plan.seedPlan.find((o) => o.clobbers && o.clobbers.length > 0);
  return op
    ? { clobbers: true, detail: `the seed's ${op.call} destroys the source of ${op.clobbers!.map((slot) => (slot === -2 ? 'the status pipe' : `files[${slot}]`)).join(' and ')} before it is used` }
    : { clobbers: false, detail: "the seed's plan destroys no source for these files" };
}

/**
 * Launches (or plans) the profile for the lesson and judges its goal. Throws
 * InvalidProfileError for a profile that cannot be launched.
 */
export async function checkLesson(lesson: Lesson, profile: unknown, handlers: Pick<LaunchHandlers, 'secretValues'> = {}): Promise<LessonCheck> {
  const checked = checkProfile(profile, hostFacts(), { warnings: false });
  if (!checked.profile) throw new InvalidProfileError(checked.errors);
  const p = checked.profile;
  if (lesson.needsRoot && process.geteuid?.() !== 0) {
    return { lessonId: lesson.id, passed: false, conditions: [], notChecked: `This lesson needs the lab to run as root. ${lesson.needsRoot.rootless}` };
  }
  const labFds = Object.fromEntries(labFdsNamed(lesson).map((fd) => [fd, labFdIdentity(fd)]));
  const base = { launch: lesson.launch, labFds, labNamespaces: null, report: null, seed: null, result: null };
  if (lesson.launch === 'plan') {
    const verdict = checkGoal(lesson, { ...base, seed: seedOf(p) });
    return { lessonId: lesson.id, ...verdict };
  }

  const timed = { ...p, timeoutMs: Math.min(p.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS) };
  const run = (lesson.launch === 'probe' ? launchProbe : launch)(timed, {
    ...handlers,
    onEvent: (event) => {
      // Traced: stopped at its exec (or by a signal before it); let it go to report.
      if (event.kind === 'stopped') void run.detach();
    },
  });
  const result = await run.result;
  const report = parseProbeReport(run)?.report ?? null;
  const observation: LessonObservation = {
    ...base,
    result,
    report,
    labNamespaces: labNamespaceIds(),
  };
  return { lessonId: lesson.id, ...checkGoal(lesson, observation), status: result.status, execError: result.execError, ...(report && { report }) };
}
