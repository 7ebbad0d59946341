// The Lessons panel (issue 16): the lessons and this user's progress (kept by the lab, so a
// reload or a restart keeps it), which lesson is open, and its last check. A lesson's
// starting profile opens as a new unsaved profile in the builder; Check checks the profile
// in the builder, as edited, against the open lesson's goal.
import { create } from 'zustand';

import type { LessonCheckOutcome, LessonEntry, LessonProgress } from '@shared/api';
import type { Lesson } from '@shared/lesson';
import { getLabApi } from '../api';
import { toProfile, uniqueName, type Draft } from '../lib/draft';
import { activeSession, openDraft } from './editor';
import { takenNames } from './profiles';

interface LessonsState {
  /** The sidebar shows the lessons instead of the profiles. */
  open: boolean;
  loaded: boolean;
  lessons: LessonEntry[];
  folderProblem?: string;
  progress: Record<string, LessonProgress>;
  progressProblem?: string;
  loadError?: string;
  selectedId: string | null;
  checking: boolean;
  /** The last check's outcome, for the lesson it checked. */
  checked: { lessonId: string; outcome: LessonCheckOutcome } | null;
}

export const useLessons = create<LessonsState>()(() => ({ open: false, loaded: false, lessons: [], progress: {}, selectedId: null, checking: false, checked: null }));

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Lists them again: a teacher's file dropped in the folder meanwhile appears. */
export async function loadLessons(): Promise<void> {
  try {
    const listed = await getLabApi().listLessons();
    useLessons.setState({ loaded: true, loadError: undefined, ...listed, folderProblem: listed.folderProblem, progressProblem: listed.progressProblem });
  } catch (err) {
    useLessons.setState({ loaded: true, loadError: message(err) });
  }
}

export function toggleLessons(): void {
  const open = !useLessons.getState().open;
  useLessons.setState({ open });
  if (open) void loadLessons();
}

export function selectLesson(id: string | null): void {
  useLessons.setState({ selectedId: id });
}

/** The lesson's starting profile, as a new unsaved profile named after the lesson. */
export function startLesson(lesson: Lesson): void {
  const start = structuredClone(lesson.start) as Draft;
  openDraft({ description: `Lesson ${lesson.id}: ${lesson.summary}`, ...start, name: uniqueName(`lesson: ${lesson.title}`, takenNames()) });
}

/** Checks the profile in the builder against the lesson; the outcome and the progress come back together. */
export async function checkActive(lessonId: string): Promise<void> {
  const session = activeSession();
  if (!session) return;
  useLessons.setState({ checking: true });
  try {
    const outcome = await getLabApi().checkLesson(lessonId, toProfile(session.draft));
    useLessons.setState((s) => ({
      checked: { lessonId, outcome },
      ...(outcome.ok && { progress: { ...s.progress, [lessonId]: outcome.progress } }),
    }));
  } catch (err) {
    useLessons.setState({ checked: { lessonId, outcome: { ok: false, message: message(err) } } });
  } finally {
    useLessons.setState({ checking: false });
  }
}

export async function showNextHint(lessonId: string): Promise<void> {
  try {
    const progress = await getLabApi().showLessonHint(lessonId);
    useLessons.setState((s) => ({ progress: { ...s.progress, [lessonId]: progress } }));
  } catch (err) {
    useLessons.setState({ progressProblem: message(err) });
  }
}
