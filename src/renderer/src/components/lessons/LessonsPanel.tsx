// The Lessons panel, in the sidebar's place: the course with this user's progress, and an
// open lesson beside the builder: its text, its goal, the starting profile, hints one at a
// time, and Check, which launches the profile in the builder as the lesson says and shows
// each condition of the goal held or missed, in words, with what the child got.
import { useEffect } from 'react';
import Markdown from 'react-markdown';

import type { LessonEntry, LessonProgress } from '@shared/api';
import type { Lesson } from '@shared/lesson';
import { LESSON_LAUNCHES } from '@shared/lesson';
import { useEditor } from '../../stores/editor';
import { ProbeReportView } from '../runs/ProbeReport';
import { checkActive, loadLessons, selectLesson, showNextHint, startLesson, useLessons } from '../../stores/lessons';

export function LessonsPanel() {
  const { lessons, progress, selectedId, folderProblem, progressProblem, loadError, loaded } = useLessons();
  useListedAgainOnReturn();
  const selected = lessons.find((e) => e.lesson?.id === selectedId)?.lesson;
  const passed = lessons.filter((e) => e.lesson && progress[e.lesson.id]?.passedAtMs !== undefined).length;
  const total = lessons.filter((e) => e.lesson).length;
  return (
    <aside className="sidebar lessons-sidebar" aria-label="Lessons" data-testid="lessons-panel">
      <div className="sidebar-head">
        <h2>Lessons</h2>
        {total > 0 && (
          <span className="muted" data-testid="lessons-progress">
            {passed} of {total} passed
          </span>
        )}
      </div>
      {[loadError && `The lessons cannot be listed: ${loadError}`, folderProblem, progressProblem].filter(Boolean).map((problem) => (
        <p key={problem as string} className="notice notice-error lessons-problem" role="alert">
          {problem}
        </p>
      ))}
      <div className="lessons-body">
        {selected ? <LessonView lesson={selected} progress={progress[selected.id]} /> : loaded && <LessonList lessons={lessons} progress={progress} />}
      </div>
    </aside>
  );
}

// Progress is the lab's: a check passed in another window, or a teacher's file dropped in
// the folder meanwhile, shows when the user comes back to this one.
function useListedAgainOnReturn(): void {
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void loadLessons();
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, []);
}

function LessonList({ lessons, progress }: { lessons: LessonEntry[]; progress: Record<string, LessonProgress> }) {
  return (
    <>
      <ol className="lesson-list">
        {lessons.map((entry) =>
          entry.lesson ? (
            <li key={entry.lesson.id}>
              <button type="button" className="lesson-item" data-testid="lesson-item" data-lesson-id={entry.lesson.id} onClick={() => selectLesson(entry.lesson!.id)}>
                <span className="lesson-mark" data-passed={progress[entry.lesson.id]?.passedAtMs !== undefined} aria-label={progress[entry.lesson.id]?.passedAtMs !== undefined ? 'passed' : 'not passed yet'}>
                  {progress[entry.lesson.id]?.passedAtMs !== undefined ? '✓' : '○'}
                </span>
                <span className="lesson-item-text">
                  <span className="lesson-title">
                    {entry.lesson.title}
                    {entry.source === 'teacher' && <span className="badge">{entry.replaces ? 'teacher’s version' : 'teacher’s'}</span>}
                  </span>
                  <span className="muted lesson-summary">{entry.lesson.summary}</span>
                </span>
              </button>
            </li>
          ) : (
            <li key={entry.file} className="lesson-broken" data-testid="lesson-broken">
              <span className="mono">{entry.file}</span>: not a lesson: {entry.error}
            </li>
          ),
        )}
      </ol>
      <p className="muted lessons-foot">
        A teacher adds lessons as JSON files in the <span className="mono">lessons</span> folder beside the profiles.{' '}
        <button type="button" className="link-button" onClick={() => void loadLessons()} data-testid="lessons-refresh">
          List again
        </button>
      </p>
    </>
  );
}

function LessonView({ lesson, progress }: { lesson: Lesson; progress: LessonProgress | undefined }) {
  const checking = useLessons((s) => s.checking);
  const checked = useLessons((s) => (s.checked?.lessonId === lesson.id ? s.checked.outcome : null));
  const hasProfile = useEditor((s) => s.activeKey !== null);
  const hintsShown = progress?.hintsShown ?? 0;
  return (
    <article className="lesson" data-testid="lesson" data-lesson-id={lesson.id}>
      <button type="button" className="link-button" onClick={() => selectLesson(null)} data-testid="lesson-back">
        ← All lessons
      </button>
      <h3>{lesson.title}</h3>
      <p className="lesson-goal">
        <strong>Goal:</strong> {lesson.summary}
        {progress?.passedAtMs !== undefined && (
          <span className="tone-ok" data-testid="lesson-passed">
            {' '}
            ✓ passed
          </span>
        )}
      </p>
      <div className="lesson-actions">
        <button type="button" onClick={() => startLesson(lesson)} data-testid="lesson-start">
          Open the starting profile
        </button>
        <button type="button" className="primary" disabled={!hasProfile || checking} onClick={() => void checkActive(lesson.id)} data-testid="lesson-check">
          {checking ? 'Checking…' : 'Check the profile in the builder'}
        </button>
      </div>
      <p className="muted lesson-how">The check: {LESSON_LAUNCHES[lesson.launch]}.</p>
      {checked && <CheckResult outcome={checked} />}
      <div className="lesson-text" data-testid="lesson-text">
        <Markdown components={{ a: ({ href, children }) => <a href={href} target="_blank" rel="noreferrer noopener">{children}</a> }}>{lesson.text}</Markdown>
      </div>
      {lesson.hints.length > 0 && (
        <section className="lesson-hints" aria-label="Hints">
          <ol>
            {lesson.hints.slice(0, hintsShown).map((hint) => (
              <li key={hint} data-testid="lesson-hint">
                {hint}
              </li>
            ))}
          </ol>
          {hintsShown < lesson.hints.length && (
            <button type="button" className="small" onClick={() => void showNextHint(lesson.id)} data-testid="lesson-next-hint">
              Show a hint ({hintsShown + 1} of {lesson.hints.length})
            </button>
          )}
        </section>
      )}
    </article>
  );
}

const MARK = { true: '✓', false: '✗', null: '?' } as const;

function CheckResult({ outcome }: { outcome: NonNullable<ReturnType<typeof useLessons.getState>['checked']>['outcome'] }) {
  if (!outcome.ok) {
    return (
      <div className="notice notice-error lesson-result" role="alert" data-testid="lesson-result" data-passed="false">
        {outcome.message}
        {outcome.problems?.map((p) => (
          <div key={`${p.path}:${p.message}`} className="mono">
            {p.path ? `${p.path}: ` : ''}
            {p.message}
          </div>
        ))}
      </div>
    );
  }
  const { check } = outcome;
  return (
    <div className={`lesson-result ${check.passed ? 'passed' : 'not-yet'}`} role="status" data-testid="lesson-result" data-passed={String(check.passed)}>
      <strong>{check.notChecked ? 'Not checked' : check.passed ? 'Passed: the child got what the goal asks.' : 'Not yet.'}</strong>
      {check.notChecked && <p>{check.notChecked}</p>}
      <ul className="lesson-conditions">
        {check.conditions.map((c) => (
          <li key={c.says} data-testid="lesson-condition" data-holds={String(c.holds)} className={`holds-${String(c.holds)}`}>
            <span className="lesson-condition-mark" aria-hidden="true">
              {MARK[String(c.holds) as keyof typeof MARK]}
            </span>
            <span>
              {c.says}
              {c.holds !== true && <span className="lesson-saw">: {c.saw}</span>}
              {c.miss && <span className="lesson-miss">{c.miss}</span>}
            </span>
          </li>
        ))}
      </ul>
      {check.report && (
        <details className="lesson-observed">
          <summary>What the child got</summary>
          <ProbeReportView report={check.report} />
        </details>
      )}
    </div>
  );
}
