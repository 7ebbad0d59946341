// `proclab lesson list` and `proclab lesson check ID FILE` (contract section 4): the lessons,
// the lab's and those in the lessons folder beside the profiles, and a check of a profile
// against a lesson's goal. Exit status of check: 0 the goal holds · 1 not yet (what differs,
// in words) · 2 unknown lesson or invalid profile. The command line keeps no progress: that
// is the app's, for a student; a grader's script runs checks as often as it likes.
import path from 'node:path';
import type { Command } from 'commander';

import type { LessonCheck } from '../shared/api';
import { defaultProfilesDir } from '../main/lab/default-profiles-dir';
import { InvalidProfileError } from '../main/lab/index';
import { formatProblems } from './format';
import { readProfileFile } from './profile-file';

const NOT_YET = 1;
const INVALID = 2;

const teacherDir = (): string => path.join(path.dirname(defaultProfilesDir()), 'lessons');

// The lessons and their schema load with a lesson command: the others start without them (issue 17).
const lessonsModule = () => import('../main/lab/lessons');

async function listCommand(options: { json?: boolean }): Promise<void> {
  const { readLessons } = await lessonsModule();
  const { lessons, folderProblem } = await readLessons(teacherDir());
  if (folderProblem) console.error(`proclab: ${folderProblem}`);
  if (options.json) {
    const listed = lessons.map((e) => (e.lesson ? { ...e.lesson, source: e.source, file: e.file } : { file: e.file, source: e.source, error: e.error }));
    process.stdout.write(`${JSON.stringify(listed)}\n`);
    return;
  }
  for (const e of lessons) {
    if (!e.lesson) console.log(`  (${e.file}: not a lesson: ${e.error})`);
    else console.log(`${e.lesson.id.padEnd(24)} ${e.lesson.title}${e.source === 'teacher' ? ` (teacher's${e.replaces ? ', replaces the lab’s' : ''})` : ''}`);
  }
}

/** The check in words: each condition with ✓ or ✗ (or ? when it cannot be told), what was seen, and the lesson's advice. */
export function formatCheck(check: LessonCheck, title: string): string[] {
  if (check.notChecked) return [`${title}: not checked. ${check.notChecked}`];
  const lines = [`${title}: ${check.passed ? 'passed' : 'not yet'}`];
  for (const c of check.conditions) {
    lines.push(`  ${c.holds === true ? '✓' : c.holds === false ? '✗' : '?'} ${c.says}${c.holds === true ? '' : `: ${c.saw}`}`);
    if (c.miss) lines.push(`      ${c.miss}`);
  }
  return lines;
}

async function checkCommand(id: string, file: string, options: { json?: boolean }): Promise<void> {
  const [{ findLesson }, { checkLesson }] = await Promise.all([lessonsModule(), import('../main/lab/lesson-check')]);
  const lesson = await findLesson(id, teacherDir());
  if (!lesson) {
    console.error(`proclab: no lesson ${JSON.stringify(id)} (proclab lesson list names them)`);
    process.exit(INVALID);
  }
  const read = readProfileFile(file);
  if (!read.ok) {
    console.error(read.message);
    process.exit(INVALID);
  }
  let check: LessonCheck;
  try {
    check = await checkLesson(lesson, read.profile);
  } catch (err) {
    if (!(err instanceof InvalidProfileError)) throw err;
    for (const line of formatProblems('error', err.problems)) console.error(line);
    process.exit(INVALID);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(check)}\n`);
  else console.log(formatCheck(check, `${lesson.id} (${lesson.title})`).join('\n'));
  process.exit(check.passed ? 0 : NOT_YET);
}

export function registerLessonCommand(program: Command): void {
  const lesson = program.command('lesson').description('the lessons: a goal over what the child got, checked by launching with the probe');
  lesson
    .command('list')
    .option('--json', 'print an array of the lessons ({id, title, summary, ...})')
    .description("the lessons in course order: the lab's and those in the lessons folder beside the profiles")
    .action(listCommand);
  lesson
    .command('check')
    .argument('<id>', 'a lesson id (proclab lesson list)')
    .argument('<file>', 'a launch profile (JSON)')
    .option('--json', 'print the check as one JSON object')
    .description("launch the profile as the lesson says and compare what the child got with its goal; exit 0 passed, 1 not yet, 2 unknown lesson or invalid profile")
    .action(checkCommand);
}
