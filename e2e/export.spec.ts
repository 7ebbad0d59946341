// As code… (issue 15): the profile in the builder as a program in each language, its gaps
// said, and Verify: the lab runs the export with the probe in the program's place and finds
// the child the same as its own launch's. The proclab exec tab says what exec would do.
import { expect, test } from './fixtures';

test('export to Python, verified: the exported program’s child got what the lab’s did', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'session in /tmp');
  await lab.builder.fill('path', '/bin/true');
  await lab.builder.fill('dir', '/tmp');
  await lab.builder.check('setsid');
  await lab.page.getByTestId('as-code').click();
  const dialog = lab.page.getByTestId('code-dialog');
  await dialog.getByTestId('code-tab-python').click();
  await expect(dialog.getByTestId('code-text')).toContainText('subprocess');
  await expect(dialog.getByTestId('code-text')).toContainText('cwd=b"/tmp", start_new_session=True');
  await dialog.getByTestId('code-verify').click();
  const verification = dialog.getByTestId('code-verification');
  await expect(verification).toHaveAttribute('data-same', 'true', { timeout: 30_000 });
  await expect(verification).toContainText('Verified: the exported program’s child got the same as the lab’s own launch.');
  // Both children's reports, side by side: each leads its own session.
  await dialog.getByTestId('code-reports').locator('> summary').click();
  await expect(dialog.getByTestId('code-reports').getByTestId('probe-report')).toHaveCount(2);

  // Node cannot make a process group without a session: said, not silently dropped.
  await dialog.getByTestId('code-close').click();
  await lab.builder.check('setsid', false);
  await lab.builder.check('setpgid');
  await lab.page.getByTestId('as-code').click();
  await dialog.getByTestId('code-tab-node').click();
  await expect(dialog.getByTestId('code-gap').first()).toContainText('sys.setpgid');

  // proclab exec: pipes on 1 and 2 become the caller's own.
  await dialog.getByTestId('code-tab-exec').click();
  await expect(dialog.getByTestId('code-exec-notes')).toContainText('files[1]');
});

test('a difference is shown, field by field, when the export cannot do what the profile asks', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'umask');
  await lab.builder.fill('path', '/bin/true');
  await lab.builder.openFolded('Limits and scheduling');
  await lab.page.getByTestId('field-umask').fill('077');
  await lab.page.getByTestId('as-code').click();
  const dialog = lab.page.getByTestId('code-dialog');
  await dialog.getByTestId('code-tab-node').click();
  await expect(dialog.getByTestId('code-gap').first()).toContainText('umask');
  await dialog.getByTestId('code-verify').click();
  const verification = dialog.getByTestId('code-verification');
  await expect(verification).toHaveAttribute('data-same', 'false', { timeout: 30_000 });
  await expect(dialog.getByTestId('code-difference').filter({ hasText: 'umask' })).toContainText('0077');
});
