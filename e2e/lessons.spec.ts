// Lessons (issue 16): a student opens a lesson, checks the starting profile and sees which
// condition of the goal it misses and why, fixes it in the builder, passes; the progress is
// kept by the lab across a reload; a teacher's lesson dropped in the folder appears.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';

test('a student fails a check, reads why, fixes the profile and passes; the pass survives a reload', async ({ lab }) => {
  await lab.lessons.open();
  await expect(lab.lessons.item('close-stdin')).toHaveAttribute('data-lesson-id', 'close-stdin');
  await expect(lab.lessons.progress()).toHaveText(/^0 of \d+ passed$/);
  await lab.lessons.openLesson('new-session');
  await expect(lab.lessons.text().locator('h1')).toHaveText('Sessions and process groups');
  await lab.lessons.start();
  await expect(lab.builder.field('setpgid')).toBeChecked();

  await lab.lessons.check();
  await expect(lab.lessons.result()).toHaveAttribute('data-passed', 'false');
  const session = lab.lessons.condition('it leads a new session (its sid is its pid)');
  await expect(session).toHaveAttribute('data-holds', 'false');
  await expect(session).toContainText(/: pid \d+, sid \d+/);
  await expect(session).toContainText('setpgid gives the program its own group, in the lab\'s session');
  await expect(lab.lessons.condition('it has no controlling terminal')).toHaveAttribute('data-holds', 'true');

  // A hint, then the fix.
  await lab.page.getByTestId('lesson-next-hint').click();
  await expect(lab.page.getByTestId('lesson-hint')).toHaveText(['setpgid and setsid are different calls.']);
  await lab.builder.field('setpgid').uncheck();
  await lab.builder.check('setsid');
  await lab.lessons.check();
  await expect(lab.lessons.result()).toHaveAttribute('data-passed', 'true');
  await expect(lab.page.getByTestId('lesson-passed')).toBeVisible();

  await lab.reload();
  await lab.lessons.open();
  await expect(lab.lessons.item('new-session').locator('.lesson-mark')).toHaveAttribute('data-passed', 'true');
  await expect(lab.lessons.progress()).toHaveText(/^1 of \d+ passed$/);
  await lab.lessons.openLesson('new-session');
  // The hint shown before the reload is still shown.
  await expect(lab.page.getByTestId('lesson-hint')).toHaveCount(1);
});

test('a pass in another window shows in this one when the user comes back to it', async ({ lab }) => {
  await lab.lessons.open();
  await expect(lab.lessons.progress()).toHaveText(/^0 of \d+ passed$/);
  const other = await lab.openNewTab();
  await other.lessons.open();
  await other.lessons.openLesson('close-stdin');
  await other.lessons.start();
  await other.builder.file(0).reveal();
  await other.builder.file(0).setType('closed');
  await other.lessons.check();
  await expect(other.lessons.result()).toHaveAttribute('data-passed', 'true');

  // Coming back to the first window: Playwright keeps every page focused and visible, so
  // the focus event a browser fires then is fired here.
  await expect(lab.lessons.progress()).toHaveText(/^0 of \d+ passed$/);
  await lab.page.evaluate(() => (globalThis as unknown as EventTarget).dispatchEvent(new Event('focus')));
  await expect(lab.lessons.progress()).toHaveText(/^1 of \d+ passed$/);
  await expect(lab.lessons.item('close-stdin').locator('.lesson-mark')).toHaveAttribute('data-passed', 'true');
});

test("a teacher's lesson dropped in the lessons folder appears, and a broken one says why", async ({ lab, home }) => {
  await lab.lessons.open();
  const folder = path.join(home, 'lessons');
  mkdirSync(folder, { mode: 0o700 });
  writeFileSync(
    path.join(folder, 'umask.json'),
    JSON.stringify({
      version: 1,
      id: 'private-umask',
      title: 'A private umask',
      order: 5,
      summary: 'The program starts in /tmp.',
      text: ['# Where it starts', '', 'Set **dir**.'],
      start: { version: 1, name: 'x', path: '/bin/true', args: ['true'] },
      goal: [{ cwd: '/tmp', miss: 'Set dir to /tmp.' }],
    }),
  );
  writeFileSync(path.join(folder, 'broken.json'), '{ "version": 1 }');
  await lab.page.getByTestId('lessons-refresh').click();
  await expect(lab.lessons.item('private-umask').locator('.lesson-title')).toHaveText('A private umaskteacher’s');
  // Course order: order 5 comes before the lab's first lesson.
  await expect(lab.page.getByTestId('lesson-item').first()).toHaveAttribute('data-lesson-id', 'private-umask');
  await expect(lab.page.getByTestId('lesson-broken')).toContainText('broken.json: not a lesson: id:');
  await lab.lessons.openLesson('private-umask');
  await expect(lab.lessons.text().locator('strong')).toHaveText('dir');
  await lab.lessons.start();
  await lab.lessons.check();
  await expect(lab.lessons.condition('its working directory is /tmp')).toHaveAttribute('data-holds', 'false');
  await lab.builder.fill('dir', '/tmp');
  await lab.lessons.check();
  await expect(lab.lessons.result()).toHaveAttribute('data-passed', 'true');
});

test("a teacher shows a swap: the lab's fd 1 and fd 2 as panes of the run", async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  const option = lab.page.getByTestId('lab-stdio-panes');
  await option.check();
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  // What the program wrote to its fd 1 went to the lab's fd 2, and the other way round.
  await expect(lab.run.output('lab-2')).toContainText('this line was written to fd 1 (stdout)');
  await expect(lab.run.output('lab-1')).toContainText('this line was written to fd 2 (stderr)');
  await expect(lab.run.panel()).toContainText('the lab’s fd 1 (stdout)');
  // A profile that inherits neither offers nothing.
  await lab.builder.file(1).setType('pipe');
  await lab.builder.file(2).setType('pipe');
  await expect(option).toHaveCount(0);
});

test('every lesson in the list can be read whole: long titles and summaries wrap inside the sidebar', async ({ lab }) => {
  await lab.page.setViewportSize({ width: 1280, height: 900 });
  await lab.lessons.open();
  await expect(lab.lessons.item('close-stdin')).toBeVisible();
  // Long titles and summaries wrap inside the sidebar instead of being cut at its edge.
  const list = (await lab.page.locator('.lesson-list').boundingBox())!;
  const cut = await lab.page
    .locator('.lesson-title, .lesson-summary')
    .evaluateAll((texts, right) => texts.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > right + 1).map((e) => e.textContent), list.x + list.width);
  expect(cut).toEqual([]);
});
