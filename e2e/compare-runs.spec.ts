// Two runs compared (issue 14): picked in the history, shown side by side with what differs
// marked: the profile field that changed, the ending, the exec error, the step where the
// traces part, the output line that differs; a run from before a reload says what it did
// not keep rather than look the same.
import { expect, test } from './fixtures';

test('the run that worked beside the one that did not: what changed, and where they part', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'where am i');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'echo one; pwd; echo three']);
  await lab.builder.fill('dir', '/tmp');
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await lab.builder.fill('dir', '/usr');
  await lab.run.launch();
  await expect(lab.run.output('1')).toContainText('/usr');
  await expect(lab.run.status()).toContainText('exited with status 0');
  await lab.builder.fill('dir', '/nonexistent/dir');
  await lab.run.launch();
  await expect(lab.run.execError().step).toHaveText('chdir');

  // The history lists the newest first: the failed run, /usr, /tmp.
  await lab.compare.pick(2);
  await expect(lab.page.getByTestId('compare-prompt')).toContainText('Tick another run');
  await lab.compare.pick(1);
  await expect(lab.compare.root()).toBeVisible();
  // The step's call names the folder, so the traces part there too; the endings are the same.
  await expect(lab.compare.summary()).toContainText('Differs: 1 profile field: dir · trace, from its chdir step · output on fd 1 (stdout)');
  await expect(lab.compare.summary()).not.toContainText('status');
  await expect(lab.compare.row('profile.dir').a).toHaveText('"/tmp"');
  await expect(lab.compare.row('profile.dir').b).toHaveText('"/usr"');
  // Only the line that differs is marked in the two excerpts.
  const output = lab.compare.row('output.1').row;
  await expect(output).toHaveAttribute('data-verdict', 'differs');
  await expect(lab.compare.root().locator('.compare-line.differs')).toHaveText(['2/tmp', '2/usr']);
  await expect(lab.compare.root().locator('.compare-why').filter({ has: lab.page.locator('.compare-output') }).getByTestId('compare-note')).toHaveText('first differs at line 2');
  // Equal rows are folded until asked for.
  await expect(lab.compare.row('status').row).toHaveCount(0);
  await lab.compare.showAll();
  await expect(lab.compare.row('status').row).toHaveAttribute('data-verdict', 'same');
  await expect(lab.compare.row('profile.path').a).toHaveText('"/bin/sh"');

  // Ticking a third run takes B's place: the failed one.
  await lab.compare.pick(0);
  await expect(lab.compare.summary()).toContainText('status');
  await expect(lab.compare.summary()).toContainText('exec error');
  await expect(lab.compare.row('status').b).toHaveText('exited with status 253');
  await expect(lab.compare.row('exec-error').b).toHaveText('chdir · ENOENT (errno 2): No such file or directory');
  await expect(lab.compare.row('cause').b).toHaveText('not looked for: chdir failed, not execve');
  const divergence = lab.compare.root().locator('.compare-divergence');
  await expect(divergence.locator('th')).toHaveText('chdir');
  await expect(divergence.getByTestId('compare-a')).toHaveText('chdir("/tmp") · ok');
  await expect(divergence.getByTestId('compare-b')).toContainText('failed ENOENT');
  // B never reached execve: the step stands on A's side alone.
  const execve = lab.compare.root().getByTestId('compare-section-trace').getByTestId('compare-row').filter({ hasText: 'execve' });
  await expect(execve.getByTestId('compare-b')).toHaveText('not taken');
  await expect(execve.locator('th')).toContainText('only A');

  await lab.compare.swap();
  await expect(lab.compare.row('status').a).toHaveText('exited with status 253');
  // Choosing a run in the history leaves the comparison for that run.
  await lab.run.history().nth(1).click();
  await expect(lab.compare.root()).toHaveCount(0);
  await expect(lab.run.output('1')).toContainText('/usr');
});

test('a run from before a reload: what it did not keep is unknown, never the same', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'echo');
  await lab.builder.fill('path', '/bin/echo');
  await lab.builder.fill('argv0', 'echo');
  await lab.builder.setArgs(['hello']);
  await lab.builder.save();
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await lab.reload();
  await lab.profiles.open('echo');
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');

  await lab.compare.pick(0);
  await lab.compare.pick(1);
  await expect(lab.compare.row('status').row).toHaveCount(0);
  await expect(lab.compare.summary()).toContainText('Nothing differs in what both runs have.');
  await expect(lab.compare.summary()).toContainText('Not comparable (one side does not have it): profile, trace, descriptors, fd 1 (stdout)');
  await expect(lab.compare.row('trace').b).toHaveText('trace not kept for runs from before this page loaded');
  await expect(lab.compare.row('trace').row).toHaveAttribute('data-verdict', 'unknown');
});
