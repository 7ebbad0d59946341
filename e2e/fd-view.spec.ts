// The descriptor view: step through a plan's fd ops, see why each is there, compare the
// seed's plan with the corrected one, and check what a child really got.
import { expect, test } from './fixtures';

test("golang/go#61751 in the sandbox: the seed destroys fd 3, the corrected plan does not", async ({ lab }) => {
  const { sandbox } = lab.plan;
  await sandbox.open();
  await sandbox.setFiles('1 3 0');
  const seed = sandbox.view().seedWalk();
  const corrected = sandbox.view().correctedWalk();
  await expect(seed.position()).toHaveText('0/6');

  await seed.stepToDestroyingOp();
  await expect(seed.currentOp()).toContainText('dup2(0, 3)');
  await expect(seed.why()).toContainText('golang/go#61751');
  await expect(seed.why()).toContainText("destroys the lab's fd 3, which child fd 1 still needs");
  await expect(seed.destroyingOps()).toHaveCount(1);
  await expect(seed.hostRow(3)).toHaveAttribute('data-lost', 'true');
  // Child fd 3 now holds the lab's fd 0: the source child fd 1 needs is gone.
  await expect(seed.childRow(3)).toHaveAttribute('data-host-fd', '0');

  await expect(seed.wrongRows()).toHaveCount(1);
  await expect(seed.wrongRows().first()).toHaveAttribute('data-fd', '1');
  await expect(corrected.wrongRows()).toHaveCount(0);
  await expect(corrected.destroyingOps()).toHaveCount(0);
  await corrected.stepLast();
  await expect(corrected.childRow(1)).toHaveAttribute('data-host-fd', '3');
});

test('a stdout/stderr swap in the sandbox, stepped to the end', async ({ lab }) => {
  const { sandbox } = lab.plan;
  await sandbox.open();
  await sandbox.setFiles('0 2 1');
  const walk = sandbox.view().walk();
  await expect(walk.position()).toHaveText('0/6');
  await expect(walk.childRow(1)).toHaveAttribute('data-host-fd', '1');

  await walk.stepForward();
  await expect(walk.why()).toContainText('fd 1 moves up to 5');
  await expect(walk.childRow(5)).toHaveAttribute('data-changed', 'true');
  await walk.stepLast();
  await expect(walk.position()).toHaveText('6/6');
  await expect(walk.childRow(1)).toHaveAttribute('data-host-fd', '2');
  await expect(walk.childRow(2)).toHaveAttribute('data-host-fd', '1');
  await expect(walk.childRow(1)).toHaveAttribute('data-cloexec', 'false');
  // The temporary copy of fd 1 is close-on-exec: execve closes it.
  await expect(walk.childRow(5)).toHaveAttribute('data-cloexec', 'true');
  await expect(walk.wrongRows()).toHaveCount(0);
});

test("the builder's swap profile: child fd 1 gets the lab's fd 2 and fd 2 the lab's fd 1", async ({ lab }) => {
  await lab.profiles.open('swap stdout and stderr');
  const walk = lab.plan.fds().walk();
  await walk.stepLast();
  await expect(walk.childRow(1)).toHaveAttribute('data-host-fd', '2');
  await expect(walk.childRow(2)).toHaveAttribute('data-host-fd', '1');
  await expect(walk.childRow(1)).toContainText("the lab's fd 2");
});

test('keyboard: arrows, Home and End step the walk; the scrubber takes its own arrows', async ({ lab }) => {
  const { sandbox } = lab.plan;
  await sandbox.open();
  await sandbox.setFiles('0 2 1');
  const walk = sandbox.view().walk();
  await walk.stepForward();
  await expect(walk.position()).toHaveText('1/6');
  await lab.page.keyboard.press('ArrowRight');
  await lab.page.keyboard.press('ArrowRight');
  await expect(walk.position()).toHaveText('3/6');
  await lab.page.keyboard.press('ArrowLeft');
  await expect(walk.position()).toHaveText('2/6');
  await lab.page.keyboard.press('End');
  await expect(walk.position()).toHaveText('6/6');
  // At the end the forward button keeps focus, so the keys keep working.
  await lab.page.keyboard.press('Home');
  await expect(walk.position()).toHaveText('0/6');
  await walk.scrubber().focus();
  await lab.page.keyboard.press('ArrowRight');
  await expect(walk.position()).toHaveText('1/6');
});

test('bad sandbox input is an inline error; a source missing from the sketch fails with EBADF', async ({ lab }) => {
  const { sandbox } = lab.plan;
  await sandbox.open();
  await sandbox.setFiles('1 x 2');
  await expect(sandbox.errors()).toHaveText('files[1]: “x” is not a whole number');
  await sandbox.setFiles('0 7');
  await expect(sandbox.errors()).toHaveCount(0);
  await sandbox.setHostFds('0 1 1');
  await expect(sandbox.errors()).toHaveText('fd 1 is listed twice');
  await sandbox.setHostFds('0 1 2');
  await expect(sandbox.problems()).toContainText('files[1]');
  const walk = sandbox.view().walk();
  await expect(walk.ops().filter({ hasText: 'EBADF' })).toHaveCount(1);
  await expect(walk.wrongRows()).toHaveCount(1);
});

test('1,000 entries: only the rows in view are drawn, and stepping reaches every op', async ({ lab }) => {
  const { sandbox } = lab.plan;
  await sandbox.open();
  await sandbox.setFiles(Array.from({ length: 1000 }, (_, i) => 999 - i).join(' '));
  const walk = sandbox.view().walk();
  await expect(walk.position()).toHaveText('0/2001', { timeout: 15_000 });
  expect(Number(await walk.childTable().getAttribute('aria-rowcount'))).toBeGreaterThan(1000);
  expect(await walk.childRows().count()).toBeLessThan(60);
  await walk.stepLast();
  await expect(walk.position()).toHaveText('2001/2001');
  await expect(walk.wrongRows()).toHaveCount(0);
  await walk.scrubTo(1001);
  await expect(walk.currentOp()).toContainText('pass 2');
  // The changed row is brought into view even a thousand rows down.
  await expect(walk.childRow(0)).toHaveAttribute('data-changed', 'true');
  await walk.scrubTo(2000);
  await expect(walk.childRow(999)).toHaveAttribute('data-host-fd', '0');
});

test('after a probe run the observed table is the predicted one, and every op has its ✓', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'observed');
  await lab.builder.fill('path', '/bin/true');
  await lab.run.launchProbe();
  const fds = lab.run.fds();
  await expect(fds.observedVerdict()).toContainText('exactly the predicted table');
  await expect(fds.diffRows()).toHaveCount(0);
  await expect(fds.matchRows()).toHaveCount(3);
  const marks = fds.walk().traceMarks();
  await expect(marks.first()).toBeVisible();
  for (const mark of await marks.all()) await expect(mark).toHaveAttribute('data-ok', 'true');
});
