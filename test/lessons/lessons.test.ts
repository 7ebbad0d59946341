// The lessons (issue 16): each built-in lesson passes with a right answer and fails, in
// words, with a near miss, checked by launching the student's profile (with the probe in
// the program's place) and watching what the child got. Through the service (as the app
// checks, progress kept) and through `proclab lesson check` (exit 0 · 1 · 2).
// Run: node --import tsx --test test/lessons/lessons.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { LessonCheck } from '../../src/shared/api';
import { LabService } from '../../src/main/lab/service';
import { readLessons, builtInLessonsDir } from '../../src/main/lab/lessons';
import { isRoot, scratchDir } from '../support/probe';
import { CLI, cli } from '../support/cli-helpers';

type Loose = Record<string, unknown>;
const CAPTURED = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }];
const profile = (over: Loose = {}): Loose => ({ version: 1, name: 'answer', path: '/bin/true', args: ['true'], files: CAPTURED, ...over });

interface Case {
  id: string;
  right: Loose;
  nearMiss: Loose;
  /** The condition the near miss fails, as the check says it, and a word of the lesson's advice. */
  fails: string;
  advice: RegExp;
  root?: boolean;
}

/** The cases, in `dir`: where makeScripts put the script with a missing interpreter. */
const CASES = (dir: string): Case[] => [
  { id: 'close-stdin', right: profile({ files: [{ type: 'closed' }, { type: 'pipe' }, { type: 'pipe' }] }), nearMiss: profile(), fails: 'fd 0 is closed', advice: /closed/ },
  {
    id: 'extra-fd',
    right: profile({ files: [...CAPTURED, { type: 'file', path: '/etc/passwd', mode: 'r' }] }),
    nearMiss: profile({ files: [...CAPTURED, { type: 'file', path: '/etc/passwd', mode: 'rw' }] }),
    fails: 'fd 3 is open on /etc/passwd for reading',
    advice: /mode r/,
  },
  {
    id: 'seed-descriptor-bug',
    right: profile({ files: [{ type: 'inherit', fd: 3 }, { type: 'inherit', fd: 4 }, { type: 'inherit', fd: 5 }] }),
    nearMiss: profile({ files: [{ type: 'inherit', fd: 0 }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }] }),
    fails: 'the seed’s order of dup2 calls destroys one of the files’ sources (golang/go#61751)',
    advice: /len\(files\)/,
  },
  { id: 'chdir-error', right: profile({ dir: path.join(dir, 'missing') }), nearMiss: profile({ dir }), fails: 'the launch fails at its chdir step with ENOENT, before execve', advice: /does not exist/ },
  {
    id: 'script-interpreter',
    right: profile({ path: path.join(dir, 'no-interpreter.sh'), args: ['no-interpreter.sh'] }),
    nearMiss: profile({ path: path.join(dir, 'not-there.sh'), args: ['not-there.sh'] }),
    fails: 'the launch fails at its execve step with ENOENT (the cause the lab finds: interpreter-missing)',
    advice: /interpreter is missing/,
  },
  { id: 'sigpipe-default', right: profile(), nearMiss: profile({ engine: { resetSignals: false } }), fails: 'SIGPIPE has its default action (neither ignored nor caught)', advice: /resetSignals/ },
  { id: 'new-session', right: profile({ sys: { setsid: true } }), nearMiss: profile({ sys: { setpgid: true } }), fails: 'it leads a new session (its sid is its pid)', advice: /setsid/ },
  {
    id: 'terminal-job-control',
    right: profile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true } }),
    nearMiss: profile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true } }),
    fails: 'it has a controlling terminal',
    advice: /setctty/,
  },
  {
    id: 'drop-privileges',
    right: profile({ sys: { credential: { uid: 65534, gid: 65534, groups: [] } } }),
    nearMiss: profile({ sys: { credential: { uid: 65534, gid: 65534, groups: [4] } } }),
    fails: 'it has no supplementary groups',
    advice: /setgroups/,
    root: true,
  },
  {
    id: 'root-in-user-namespace',
    right: profile({
      sys: {
        cloneflags: ['CLONE_NEWUSER'],
        uidMappings: [{ containerId: 0, hostId: process.getuid!(), size: 1 }],
        gidMappings: [{ containerId: 0, hostId: process.getgid!(), size: 1 }],
        credential: { uid: 0, gid: 0, noSetGroups: true },
      },
    }),
    nearMiss: profile(),
    fails: 'its user namespace is a new one',
    advice: /CLONE_NEWUSER/,
  },
  { id: 'chroot', right: profile({ sys: { chroot: dir }, dir: '/' }), nearMiss: profile({ sys: { chroot: dir } }), fails: 'its working directory is /', advice: /set dir to \// , root: true },
  { id: 'ptrace-stop', right: profile({ sys: { ptrace: true } }), nearMiss: profile(), fails: 'traced, it stops with SIGTRAP at its execve, before its program runs', advice: /ptrace on/ },
];

function makeScripts(dir: string): void {
  const script = path.join(dir, 'no-interpreter.sh');
  writeFileSync(script, '#!/nonexistent/interpreter\necho hi\n');
  chmodSync(script, 0o755);
}

async function labIn(dir: string): Promise<LabService> {
  return LabService.open({ profilesDir: path.join(dir, 'profiles'), lessonsDir: path.join(dir, 'lessons'), progressDir: path.join(dir, 'progress') });
}

async function check(lab: LabService, id: string, p: Loose): Promise<LessonCheck> {
  const outcome = await lab.checkLesson(id, p);
  assert.ok(outcome.ok, `${id}: ${JSON.stringify(outcome)}`);
  return outcome.check;
}

describe('the built-in lessons', () => {
  test('thirteen, in course order, every file a lesson; the six of the contract among them', async () => {
    const { lessons } = await readLessons('/nonexistent/teacher-lessons');
    assert.deepEqual(lessons.filter((e) => e.error), []);
    const ids = lessons.map((e) => e.lesson!.id);
    assert.ok(ids.length >= 12, `${ids.length} lessons`);
    for (const id of ['swap-stdout-stderr', 'close-stdin', 'new-session', 'drop-privileges', 'sigpipe-default', 'chdir-error']) assert.ok(ids.includes(id), id);
    assert.equal(ids[0], 'close-stdin');
  });

  test('each passes with a right answer and fails with a near miss, saying which condition and what to do', async (t) => {
    const dir = scratchDir(t);
    makeScripts(dir);
    const lab = await labIn(dir);
    t.after(() => lab.dispose());
    for (const c of CASES(dir)) {
      if (c.root && !isRoot) continue;
      const right = await check(lab, c.id, c.right);
      assert.equal(right.passed, true, `${c.id}, right answer: ${JSON.stringify(right.conditions)}`);
      const miss = await check(lab, c.id, c.nearMiss);
      assert.equal(miss.passed, false, `${c.id}, near miss passed`);
      const failed = miss.conditions.find((v) => v.holds === false);
      assert.equal(failed?.says, c.fails, `${c.id}: ${JSON.stringify(miss.conditions)}`);
      assert.match(failed!.miss ?? '', c.advice, c.id);
    }
  });

  test('a lesson for root, checked by a lab that is not root, says so and offers the way without it', { skip: !isRoot && 'needs root to run a lab as uid 65534' }, () => {
    // A folder uid 65534 can read, made by mkdtemp (no predictable name in /tmp).
    const dir = mkdtempSync(path.join(tmpdir(), 'proclab-lesson-'));
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'drop.json');
    writeFileSync(file, JSON.stringify(profile({ sys: { credential: { uid: 65534, gid: 65534, groups: [] } } })), { mode: 0o644 });
    try {
      const run = cli(['lesson', 'check', 'drop-privileges', file], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /not checked\. This lesson needs the lab to run as root\. .*root-in-user-namespace/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('progress: a pass is kept with its time, a failed check only counted; hints one at a time, at most as many as there are', async (t) => {
    const dir = scratchDir(t);
    const lab = await labIn(dir);
    t.after(() => lab.dispose());
    const failed = await lab.checkLesson('close-stdin', profile());
    assert.ok(failed.ok && !failed.check.passed);
    assert.deepEqual(failed.progress, { checks: 1, hintsShown: 0 });
    const passed = await lab.checkLesson('close-stdin', profile({ files: [{ type: 'closed' }] }));
    assert.ok(passed.ok && passed.check.passed);
    assert.equal(passed.progress.checks, 2);
    assert.ok(typeof passed.progress.passedAtMs === 'number');
    for (let i = 0; i < 5; i++) await lab.showLessonHint('close-stdin');
    const hints = JSON.parse(readFileSync(path.join(builtInLessonsDir(), '010-close-stdin.json'), 'utf8')).hints.length as number;
    // Kept by the lab: another service over the same folders (a restart) sees it.
    const again = await labIn(dir);
    t.after(() => again.dispose());
    const listed = await again.listLessons();
    assert.deepEqual(listed.progress['close-stdin'], { checks: 2, hintsShown: hints, passedAtMs: passed.progress.passedAtMs });
    assert.equal(statSync(path.join(dir, 'progress')).mode & 0o777, 0o700);
  });

  test('bad input: an unknown lesson, an invalid profile (named at its field)', async (t) => {
    const lab = await labIn(scratchDir(t));
    t.after(() => lab.dispose());
    assert.deepEqual(await lab.checkLesson('no-such-lesson', profile()), { ok: false, message: 'no lesson no-such-lesson' });
    const invalid = await lab.checkLesson('close-stdin', profile({ files: [{ type: 'closed' }, { type: 'file' }] }));
    assert.equal(invalid.ok, false);
    assert.ok(!invalid.ok && invalid.problems?.some((p) => p.path === 'files[1].path'), JSON.stringify(invalid));
  });
});

describe('a teacher’s lessons folder', () => {
  test('a lesson dropped in appears; one with a lab id replaces it; a broken file is listed with why; an unsafe folder is refused', async (t) => {
    const dir = scratchDir(t);
    const lessons = path.join(dir, 'lessons');
    mkdirSync(lessons, { mode: 0o700 });
    const lab = await labIn(dir);
    t.after(() => lab.dispose());
    const own = { version: 1, id: 'umask-027', title: 'A private umask', summary: 'umask 027', text: ['# umask'], start: profile(), goal: [{ cwd: '/' }] };
    writeFileSync(path.join(lessons, 'umask.json'), JSON.stringify(own));
    writeFileSync(path.join(lessons, 'close.json'), JSON.stringify({ ...own, id: 'close-stdin', title: 'Close stdin, our way' }));
    writeFileSync(path.join(lessons, 'broken.json'), '{"version": 1, "id": "Bad Id"}');
    const listed = await lab.listLessons();
    const byId = new Map(listed.lessons.filter((e) => e.lesson).map((e) => [e.lesson!.id, e]));
    assert.equal(byId.get('umask-027')?.source, 'teacher');
    assert.equal(byId.get('close-stdin')?.lesson?.title, 'Close stdin, our way');
    assert.equal(byId.get('close-stdin')?.replaces, true);
    const broken = listed.lessons.find((e) => e.file === 'broken.json');
    assert.match(broken?.error ?? '', /id: lowercase words joined by hyphens/);
    // A folder others may write to could have a lesson planted: refused, the lab's lessons still listed.
    chmodSync(lessons, 0o777);
    const refused = await lab.listLessons();
    assert.match(refused.folderProblem ?? '', /writable by its group and everyone/);
    assert.ok(refused.lessons.some((e) => e.lesson?.id === 'swap-stdout-stderr'));
  });
});

describe('proclab lesson', () => {
  test('check: 0 passed, 1 not yet with the words, 2 unknown lesson or invalid profile', (t) => {
    const dir = scratchDir(t);
    const file = (name: string, p: Loose) => {
      const f = path.join(dir, name);
      writeFileSync(f, JSON.stringify(p));
      return f;
    };
    const right = cli(['lesson', 'check', 'new-session', file('right.json', profile({ sys: { setsid: true } }))]);
    assert.equal(right.status, 0, right.stderr);
    assert.equal(right.stdout, 'new-session (A new session, without a terminal): passed\n  ✓ it leads a new session (its sid is its pid)\n  ✓ it has no controlling terminal\n');
    const miss = cli(['lesson', 'check', 'new-session', file('miss.json', profile({ sys: { setpgid: true } }))]);
    assert.equal(miss.status, 1);
    assert.match(miss.stdout, /not yet\n {2}✗ it leads a new session \(its sid is its pid\): pid (\d+), sid \d+\n {6}setpgid gives the program its own group/);
    const json = cli(['lesson', 'check', 'new-session', path.join(dir, 'miss.json'), '--json']);
    assert.equal(json.status, 1);
    const parsed = JSON.parse(json.stdout) as LessonCheck;
    assert.equal(parsed.passed, false);
    assert.equal(parsed.report?.sid === parsed.report?.pid, false);
    assert.equal(cli(['lesson', 'check', 'nope', path.join(dir, 'right.json')]).status, 2);
    const invalid = cli(['lesson', 'check', 'new-session', file('bad.json', profile({ files: [{ type: 'file' }] }))]);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /files\[0\]\.path/);
  });

  test('the contract’s lessons through the CLI: 0 with a right answer, 1 with the near miss and its words', (t) => {
    const dir = scratchDir(t);
    makeScripts(dir);
    const contract = ['close-stdin', 'new-session', 'drop-privileges', 'sigpipe-default', 'chdir-error'];
    for (const c of CASES(dir).filter((c) => contract.includes(c.id) && (!c.root || isRoot))) {
      const file = (kind: string, p: Loose) => {
        const f = path.join(dir, `${c.id}-${kind}.json`);
        writeFileSync(f, JSON.stringify(p));
        return f;
      };
      const right = cli(['lesson', 'check', c.id, file('right', c.right)]);
      assert.equal(right.status, 0, `${c.id}: ${right.stdout}${right.stderr}`);
      assert.match(right.stdout, /: passed\n/);
      const miss = cli(['lesson', 'check', c.id, file('miss', c.nearMiss)]);
      assert.equal(miss.status, 1, `${c.id}: ${miss.stdout}${miss.stderr}`);
      assert.ok(miss.stdout.includes(`✗ ${c.fails}: `), `${c.id}: ${miss.stdout}`);
      assert.match(miss.stdout, c.advice, c.id);
    }
  });

  test('swap-stdout-stderr: passes with the lab’s fd 1 and 2 on two files; with them on one file it cannot be told, and does not pass', (t) => {
    const dir = scratchDir(t);
    const answer = path.join(dir, 'swap.json');
    writeFileSync(answer, JSON.stringify(profile({ files: [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }] })));
    const miss = path.join(dir, 'same.json');
    writeFileSync(miss, JSON.stringify(profile({ files: [{ type: 'null' }, { type: 'inherit', fd: 1 }, { type: 'inherit', fd: 2 }] })));
    const withOutputs = (profileFile: string, same: boolean) => {
      const out = openSync(path.join(dir, 'out.txt'), 'w');
      const err = same ? out : openSync(path.join(dir, 'err.txt'), 'w');
      try {
        const run = spawnSync(process.execPath, [CLI, 'lesson', 'check', 'swap-stdout-stderr', profileFile], { stdio: ['ignore', out, err] });
        return { status: run.status, text: readFileSync(path.join(dir, 'out.txt'), 'utf8') };
      } finally {
        closeSync(out);
        if (err !== out) closeSync(err);
      }
    };
    assert.equal(withOutputs(answer, false).status, 0);
    const swappedNot = withOutputs(miss, false);
    assert.equal(swappedNot.status, 1);
    assert.match(swappedNot.text, /✗ fd 1 refers to what the lab’s fd 2 refers to: fd 1 is .*out\.txt, which is the lab’s fd 1\n {6}files\[1\] should inherit the lab's fd 2\./);
    const oneFile = withOutputs(answer, true);
    assert.equal(oneFile.status, 1);
    assert.match(oneFile.text, /\? fd 1 refers to what the lab’s fd 2 refers to: the lab’s fd 2 and fd 1 are the same file, so which one the child got cannot be told/);
  });

  test('swap-stdout-stderr through the service, as the app checks: the same verdicts', (t) => {
    const dir = scratchDir(t);
    const service = (files: Loose[], same: boolean) => {
      const out = openSync(path.join(dir, 'service-out.txt'), 'w');
      const err = same ? out : openSync(path.join(dir, 'service-err.txt'), 'w');
      try {
        const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'support', 'check-lesson-cli.ts'), dir, 'swap-stdout-stderr', JSON.stringify(profile({ files }))], {
          stdio: ['ignore', out, err, 'pipe'],
          encoding: 'utf8',
        });
        return JSON.parse(String(run.output[3])) as { ok: true; check: LessonCheck };
      } finally {
        closeSync(out);
        if (err !== out) closeSync(err);
      }
    };
    const swapped = [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }];
    assert.equal(service(swapped, false).check.passed, true);
    const kept = service([{ type: 'null' }, { type: 'inherit', fd: 1 }, { type: 'inherit', fd: 2 }], false).check;
    assert.deepEqual(kept.conditions.map((c) => c.holds), [false, false]);
    const oneFile = service(swapped, true).check;
    assert.deepEqual([oneFile.passed, oneFile.conditions.map((c) => c.holds)], [false, [null, null]]);
  });

  test('list --json: every lesson with its id and title', () => {
    const run = cli(['lesson', 'list', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as { id: string; title: string; source: string }[];
    assert.ok(listed.find((l) => l.id === 'chdir-error' && l.title && l.source === 'lab'));
  });
});
