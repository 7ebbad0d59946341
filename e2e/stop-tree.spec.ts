// Stopping a whole tree from the app: the profile's Stop choice in the builder (an error at
// the field until the child has a group of its own), the run view's signals aimed at the
// group by default, and a kill that leaves nothing holding the output.
import { expect, test } from './fixtures';

test('stop the process group: chosen in the builder, aimed at by default, nothing left holding the pipe', async ({ lab }) => {
  const page = lab.page;
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'tree');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'sleep 30 | cat']);
  await lab.builder.field('stopScope').selectOption('group');
  // In the lab's own group, kill(-pgid) would reach the lab: an error at the field.
  await expect(page.getByText("the child stays in the lab's own process group: turn on setsid or setpgid")).toBeVisible();
  await lab.builder.check('setsid');
  await expect(page.getByText('turn on setsid or setpgid')).toHaveCount(0);

  await lab.run.launch();
  await expect(page.getByTestId('signal-scope')).toHaveValue('group');
  const panel = page.getByTestId('inspect-panel');
  await panel.locator('summary').click();
  await expect(panel.getByTestId('inspect-process')).toHaveCount(3);
  await page.getByTestId('signal-SIGKILL').click();
  // The shell, sleep and cat all died together: the run ends without a held pipe.
  await expect(page.getByTestId('status-card')).toContainText('SIGKILL', { timeout: 5000 });
  await expect(page.getByTestId('status-held-open')).toHaveCount(0);
});
