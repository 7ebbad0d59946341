// Import… (issue 15): a shell line and a running process become a new unsaved profile in
// the builder, with what could not be carried over said; the imported launch runs.
import { spawn } from 'node:child_process';

import { expect, test } from './fixtures';

test('a shell line: its directory, environment and redirections become fields; 2>&1 is said; it runs', async ({ lab }) => {
  await lab.importing.shellLine("cd /tmp && env -i GREETING=hello /bin/sh -c 'echo $GREETING from $(pwd); echo oops >&2' 2>&1");
  await expect(lab.importing.done()).toContainText("Opened imported: cd /tmp && env -i GREETING=hello /bin/sh -c 'ec… in the builder");
  await expect(lab.importing.warnings().first()).toContainText('2>&1');
  await lab.importing.close();
  await expect(lab.builder.field('path')).toHaveValue('/bin/sh');
  await expect(lab.builder.field('dir')).toHaveValue('/tmp');
  await expect(lab.builder.envValue(0)).toHaveValue('hello');
  await lab.run.launch();
  await expect(lab.run.output('1')).toContainText('hello from /tmp');
  await expect(lab.run.output('2')).toContainText('oops');
});

test('a line the profile cannot express falls back to sh -c, and says which construct', async ({ lab }) => {
  await lab.importing.shellLine('ls /etc | wc -l');
  await expect(lab.importing.warnings()).toContainText([/pipeline/]);
  await lab.importing.close();
  await expect(lab.builder.field('path')).toHaveValue('/bin/sh');
  await lab.run.launch();
  await expect(lab.run.output('1')).toHaveText(/^\s*\d+\s*$/);
});

test('a running process, picked by its pid: its argv, directory and environment; one gone meanwhile is said', async ({ lab }) => {
  const sleeper = spawn('/bin/sleep', ['307'], { cwd: '/usr', env: { PATH: '/usr/bin:/bin', PROCLAB_E2E_MARK: 'imported' }, stdio: 'ignore' });
  try {
    await lab.importing.process(sleeper.pid!);
    await expect(lab.importing.done()).toContainText(`Opened imported: pid ${sleeper.pid}`);
    await lab.importing.close();
    await expect(lab.builder.field('path')).toHaveValue(/\/sleep$/);
    await expect(lab.builder.arg(1)).toHaveValue('307');
    await expect(lab.builder.field('dir')).toHaveValue('/usr');
    await expect(lab.builder.envName(1)).toHaveValue('PROCLAB_E2E_MARK');
    // Listed, then gone by the time it is picked: the lab says so.
    await lab.page.getByTestId('profile-import').click();
    await lab.importing.root().getByTestId('import-process-filter').fill(String(sleeper.pid));
    const row = lab.importing.root().locator(`[data-testid="import-process-row"][data-pid="${sleeper.pid}"]`);
    await expect(row).toBeVisible();
    sleeper.kill('SIGKILL');
    await new Promise((resolve) => sleeper.once('exit', resolve));
    await row.getByRole('button').click();
    await expect(lab.importing.root().getByTestId('import-dialog-error')).toContainText(`no process ${sleeper.pid}`);
  } finally {
    sleeper.kill();
  }
});
