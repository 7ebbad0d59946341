// The lessons (issue 16): the lab's own (lessons/ in the package) and a teacher's, in the
// `lessons` folder beside the profiles, read anew each time they are listed so that a file
// dropped there appears. A teacher's folder is used only when it is the lab user's and not
// writable by others (private-folder.ts): a lesson opens a profile and runs a check. A file
// that is not a lesson is listed with why; a teacher's lesson with the id of one of the lab's
// replaces it (and says so), so a course can be adapted.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import type { LessonEntry } from '../../shared/api';
import { LessonSchema, type Lesson } from '../../shared/lesson';
import { formatProblem, parseOrProblems } from '../../shared/problems';
import { explainIoError } from './io-error';
import { packageRoot } from './package-root';
import { openPrivateFolder, pinnedPath } from './private-folder';
import { parseJson, readOwnFile } from './read-own-file';

/** A lesson is text and a small profile. */
const MAX_LESSON_BYTES = 256 * 1024;
const LESSON_FILE = /^[^.].*\.json$/;

export const builtInLessonsDir = (): string => path.join(packageRoot(), 'lessons');

export interface LessonsRead {
  lessons: LessonEntry[];
  /** The teacher's folder could not be used: why (a missing folder is no problem). */
  folderProblem?: string;
}

async function readFolder(dir: string, source: LessonEntry['source']): Promise<LessonEntry[]> {
  const names = (await readdir(dir)).filter((name) => LESSON_FILE.test(name)).sort();
  return Promise.all(
    names.map(async (file): Promise<LessonEntry> => {
      const read = await readOwnFile(path.join(dir, file), MAX_LESSON_BYTES);
      const json = read.ok ? parseJson(read.content) : read;
      if (!json.ok) return { file, source, error: json.error };
      const parsed = parseOrProblems(LessonSchema, json.value);
      if (!parsed.ok) return { file, source, error: parsed.problems.map(formatProblem).join('; ') };
      return { file, source, lesson: parsed.value };
    }),
  );
}

async function readTeacherFolder(dir: string): Promise<{ lessons: LessonEntry[]; problem?: string }> {
  let folder;
  try {
    folder = await openPrivateFolder(dir, 'lessons folder');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lessons: [] };
    return { lessons: [], problem: err instanceof Error && !('code' in err) ? err.message : `the lessons folder ${dir}: ${explainIoError(err)}` };
  }
  try {
    return { lessons: await readFolder(pinnedPath(folder), 'teacher') };
  } finally {
    await folder.close();
  }
}

const order = (a: LessonEntry, b: LessonEntry) =>
  (a.lesson?.order ?? Infinity) - (b.lesson?.order ?? Infinity) || (a.lesson?.id ?? a.file).localeCompare(b.lesson?.id ?? b.file);

/** Every lesson in course order, the lab's and the teacher's, a broken file listed last with why. */
export async function readLessons(teacherDir: string, builtInDir = builtInLessonsDir()): Promise<LessonsRead> {
  const [own, teacher] = await Promise.all([readFolder(builtInDir, 'lab'), readTeacherFolder(teacherDir)]);
  const teacherIds = new Set(teacher.lessons.flatMap((e) => (e.lesson ? [e.lesson.id] : [])));
  const kept = own.filter((e) => !e.lesson || !teacherIds.has(e.lesson.id));
  const replacing = teacher.lessons.map((e) => (e.lesson && own.some((o) => o.lesson?.id === e.lesson!.id) ? { ...e, replaces: true } : e));
  return { lessons: [...kept, ...replacing].sort(order), ...(teacher.problem && { folderProblem: teacher.problem }) };
}

/** One lesson by id, or null. */
export async function findLesson(id: string, teacherDir: string): Promise<Lesson | null> {
  const { lessons } = await readLessons(teacherDir);
  return lessons.find((e) => e.lesson?.id === id)?.lesson ?? null;
}
