// The screenshots in docs/ (shown in the README): `npm run screenshots` retakes them
// from the real app in browser mode.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test } from './fixtures';

const shot = (name: string) => path.join(__dirname, '..', 'docs', 'screenshots', `${name}.png`);

test('the builder, with its live plan', async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  await expect(lab.plan.steps().last()).toContainText('execve');
  await lab.page.screenshot({ path: shot('builder') });
});

test('a finished run', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'list fds');
  await lab.builder.fill('path', '/bin/ls');
  await lab.builder.fill('argv0', 'ls');
  await lab.builder.setArgs(['-l', '/proc/self/fd']);
  await lab.builder.check('setsid');
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await expect(lab.run.status()).toBeInViewport({ ratio: 1 });
  await lab.page.screenshot({ path: shot('finished-run') });
});

test('a run with more output than the view keeps', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'lots of output');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'seq 1 3000000']);
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await expect(lab.run.stream('1').savedSize()).toBeVisible();
  await lab.page.screenshot({ path: shot('large-output') });
});

test('an exec error', async ({ lab }) => {
  await lab.profiles.open('chdir error');
  await lab.run.launch();
  await expect(lab.run.execError().step).toHaveText('chdir');
  // The right column scrolls to the run smoothly: shot once the card is in view.
  await expect(lab.run.execError().card).toBeInViewport({ ratio: 1 });
  await lab.page.screenshot({ path: shot('exec-error') });
});

test('a pty session', async ({ lab }) => {
  await lab.profiles.open('shell in a new session');
  await lab.run.launch();
  await expect(lab.run.terminal()).toBeVisible();
  await lab.run.typeInTerminal('ps -o pid,pgid,sid,tty,stat,comm\n');
  await lab.run.typeInTerminal('sleep 100 &\n');
  await lab.run.typeInTerminal('jobs\n');
  await expect(lab.run.terminal()).toContainText('Running');
  await lab.page.screenshot({ path: shot('pty-session') });
  await lab.run.signal('SIGKILL');
});

test('the fd view: the sandbox, stepped through a rotation', async ({ lab }) => {
  await lab.plan.toggleWide();
  await lab.plan.sandbox.open();
  await lab.plan.sandbox.setFiles('2 0 1');
  const walk = lab.plan.sandbox.view().walk();
  await walk.scrubTo(3);
  await expect(walk.why()).not.toBeEmpty();
  await lab.page.screenshot({ path: shot('fd-sandbox') });
});

test('the fd view: seed versus corrected (golang/go#61751)', async ({ lab }) => {
  await lab.plan.toggleWide();
  await lab.plan.sandbox.open();
  await lab.plan.sandbox.setFiles('1 3 0');
  const seed = lab.plan.sandbox.view().seedWalk();
  await seed.stepToDestroyingOp();
  await lab.plan.sandbox.view().correctedWalk().stepForward();
  await expect(seed.why()).toContainText('golang/go#61751');
  await lab.page.screenshot({ path: shot('fd-seed-vs-corrected') });
});

test('the fd view: a probe run with its observed table', async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  await lab.run.launchProbe();
  const fds = lab.run.fds();
  await expect(fds.observedVerdict()).toContainText('exactly the predicted table');
  await lab.plan.toggleWide();
  await fds.walk().stepLast();
  await fds.root.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await lab.page.screenshot({ path: shot('fd-observed-run') });
});

test('the modern fields: a user namespace the lab maps, planned in Go\'s order', async ({ lab }) => {
  const page = lab.page;
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'root in a user namespace');
  await lab.builder.openFolded('Namespaces');
  await page.getByTestId('field-cloneflags-CLONE_NEWUSER').check();
  await page.getByTestId('field-cloneflags-CLONE_NEWPID').check();
  for (const maps of ['uidMappings', 'gidMappings']) {
    await page.getByTestId(`${maps}-add`).click();
    await page.getByTestId(`${maps}-0-hostId`).fill('1000');
  }
  await lab.builder.check('ptrace');
  await page.getByTestId('plan-order-go').click();
  await expect(page.getByTestId('plan-order-moved')).toContainText('ptrace');
  await page.locator('.builder-body details.folded-section').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('modern-fields') });
});

test('a probe run: what the profile asked, and what the child got', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'limits');
  await lab.builder.fill('path', '/bin/true');
  await lab.builder.check('setsid');
  await lab.builder.check('noNewPrivs');
  await lab.builder.openFolded('Limits and scheduling');
  await lab.page.getByTestId('field-umask').fill('027');
  await lab.page.getByTestId('field-nice').fill('5');
  await lab.run.launchProbe();
  const report = lab.run.probeReport();
  await expect(report).toBeVisible();
  await report.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await lab.page.screenshot({ path: shot('probe-asked-vs-got') });
});

test('an exec error with the cause the lab found: a script saved with Windows line ends', async ({ lab }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'proclab-shot-'));
  const script = path.join(dir, 'deploy.sh');
  writeFileSync(script, '#!/bin/sh\r\necho deploying\r\n', { mode: 0o755 });
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'deploy');
  await lab.builder.fill('path', script);
  await lab.run.launch();
  await expect(lab.run.execError().cause).toHaveAttribute('data-cause', 'interpreter-crlf');
  await expect(lab.run.execError().card).toBeInViewport({ ratio: 1 });
  await lab.page.screenshot({ path: shot('exec-error-cause') });
  rmSync(dir, { recursive: true, force: true });
});

test('the inspector: a running pipeline, live from /proc', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'pipeline');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'sleep 3 | cat']);
  await lab.run.launch();
  const panel = lab.page.getByTestId('inspect-panel');
  await panel.locator('summary').click();
  await expect(panel.getByTestId('inspect-process')).toHaveCount(3);
  await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await lab.page.screenshot({ path: shot('inspector') });
  await lab.page.getByTestId('signal-SIGKILL').click();
});

test('two probe runs compared: a field changed, and what the child got because of it', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'session');
  await lab.builder.fill('path', '/bin/true');
  await lab.run.launchProbe();
  await expect(lab.run.probeReport()).toBeVisible();
  await lab.builder.check('setsid');
  await lab.builder.openFolded('Limits and scheduling');
  await lab.page.getByTestId('field-umask').fill('077');
  await lab.run.launchProbe();
  await expect(lab.run.probeReport()).toBeVisible();
  await lab.compare.pick(1);
  await lab.compare.pick(0);
  await expect(lab.compare.summary()).toContainText('2 profile fields');
  await lab.compare.root().evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
  await lab.page.screenshot({ path: shot('run-comparison') });
});

test('the lessons: a check that misses, said in words beside the builder', async ({ lab }) => {
  await lab.lessons.open();
  await lab.lessons.openLesson('new-session');
  await lab.lessons.start();
  await lab.lessons.check();
  await expect(lab.lessons.result()).toHaveAttribute('data-passed', 'false');
  await lab.page.getByTestId('lesson-next-hint').click();
  await lab.page.screenshot({ path: shot('lessons') });
});

test('as code: the launch in Python, verified against the lab’s own', async ({ lab }) => {
  await lab.profiles.open('drop to nobody');
  await lab.page.getByTestId('as-code').click();
  const dialog = lab.page.getByTestId('code-dialog');
  await dialog.getByTestId('code-tab-python').click();
  await dialog.getByTestId('code-verify').click();
  await expect(dialog.getByTestId('code-verification')).toBeVisible({ timeout: 60_000 });
  await lab.page.screenshot({ path: shot('export') });
});
