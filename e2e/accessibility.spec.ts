// Issue 11: students who use a keyboard or a screen reader get through every screen. axe
// runs over each one, in the light and the dark color scheme; a serious or critical
// violation fails the test, listed (rule, impact, elements), and the test goes on to the
// next screen so that one run lists them all. The lesser ones are printed, to be fixed
// where cheap.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';
import { auditAccessibility, describeViolation, isBlocking } from './pages/accessibility';
import type { LabPage } from './pages/lab-page';

async function expectAccessible(lab: LabPage, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await lab.page.emulateMedia({ colorScheme });
    const violations = await auditAccessibility(lab.page);
    const lesser = violations.filter((v) => !isBlocking(v));
    if (lesser.length > 0) console.log(`${screen} (${colorScheme}), minor and moderate:\n  ${lesser.map(describeViolation).join('\n  ')}`);
    expect.soft(violations.filter(isBlocking).map(describeViolation), `${screen} (${colorScheme}): serious or critical accessibility violations`).toEqual([]);
  }
  await lab.page.emulateMedia({ colorScheme: null });
}

test('the builder and its plan, narrow and wide', async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  await expect(lab.plan.steps().last()).toContainText('execve');
  await expectAccessible(lab, 'the builder and its plan');
  await lab.plan.toggleWide();
  await lab.plan.fds().walk().stepForward();
  await expectAccessible(lab, 'the plan, wide');
});

test('the builder with errors at its fields', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('path', '');
  await lab.builder.addEnv('BAD=NAME', 'x');
  await lab.builder.fill('timeoutMs', 'soon');
  await expect(lab.builder.problems('timeoutMs', 'error')).toHaveCount(1);
  await expectAccessible(lab, 'the builder with errors');
});

test('the sandbox, seed versus corrected, on a laptop screen', async ({ lab }) => {
  // 1280x720: the seed's destroying op says more than its box holds, so the box scrolls.
  await lab.page.setViewportSize({ width: 1280, height: 720 });
  await lab.plan.sandbox.open();
  await lab.plan.sandbox.setFiles('1 3 0');
  const seed = lab.plan.sandbox.view().seedWalk();
  await seed.stepToDestroyingOp();
  expect(await seed.currentOpOverflow(), 'the current op box scrolls here').toBeGreaterThan(0);
  await expectAccessible(lab, 'the sandbox');
});

test('a finished run', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('path', '/bin/ls');
  await lab.builder.fill('argv0', 'ls');
  await lab.builder.setArgs(['-l', '/proc/self/fd']);
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await expectAccessible(lab, 'a finished run');
});

test('an exec error', async ({ lab }) => {
  await lab.profiles.open('chdir error');
  await lab.run.launch();
  await expect(lab.run.execError().step).toHaveText('chdir');
  await expectAccessible(lab, 'an exec error');
});

test('a pty session', async ({ lab }) => {
  await lab.profiles.open('shell in a new session');
  await lab.run.launch();
  await expect(lab.run.terminal()).toBeVisible();
  await lab.run.typeInTerminal('echo ready\n');
  await expect(lab.run.terminal()).toContainText('ready');
  await expectAccessible(lab, 'a pty session');
  await lab.run.signal('SIGKILL');
});

test('a probe run with its observed table', async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  await lab.run.launchProbe();
  await expect(lab.run.fds().observedVerdict()).toContainText('exactly the predicted table');
  await expect(lab.run.probeReport()).toBeVisible();
  await expectAccessible(lab, 'a probe run');
});

test('two runs compared, with an output excerpt', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'echo one; echo two']);
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited');
  await lab.builder.setArgs(['-c', 'echo one; echo 2']);
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited');
  await lab.compare.pick(1);
  await lab.compare.pick(0);
  await expect(lab.compare.row('output.1').row).toHaveAttribute('data-verdict', 'differs');
  await expectAccessible(lab, 'a comparison of two runs');
});

test('the lessons: the list, and a lesson with a check that misses', async ({ lab }) => {
  await lab.lessons.open();
  await expectAccessible(lab, 'the lessons list');
  await lab.lessons.openLesson('close-stdin');
  await lab.lessons.start();
  await lab.lessons.check();
  await expect(lab.lessons.result()).toHaveAttribute('data-passed', 'false');
  await expectAccessible(lab, 'a lesson with its check');
});

test('the profile dialogs: restore examples, rename, a file changed on disk while edited', async ({ lab, profilesDir }) => {
  await lab.profiles.openRestoreExamples();
  await expectAccessible(lab, 'the restore examples dialog');
  await lab.page.keyboard.press('Escape');

  await lab.profiles.open('chdir error');
  await expect(await lab.profiles.startRename()).toBeFocused();
  await expectAccessible(lab, 'the rename form');
  await lab.page.keyboard.press('Escape');

  await lab.builder.fill('description', 'edited here');
  const file = readdirSync(profilesDir).find((name) => readFileSync(path.join(profilesDir, name), 'utf8').includes('"chdir error"'))!;
  const onDisk = JSON.parse(readFileSync(path.join(profilesDir, file), 'utf8')) as { description?: string };
  writeFileSync(path.join(profilesDir, file), JSON.stringify({ ...onDisk, description: 'edited on disk' }, null, 2));
  await expect(lab.page.getByTestId('stale-banner')).toContainText('changed on disk');
  await expectAccessible(lab, 'the changed-on-disk banner');
});
