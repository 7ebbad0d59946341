// The Inspect panel on a running child, live: a `sleep | cat` pipeline, its tree and the
// pipe between the two; then, the shell killed, the run names who still holds its output.
import { expect, test } from './fixtures';

test('inspect a running pipeline, then see who holds its output after the shell is killed', async ({ lab }) => {
  const page = lab.page;
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'pipeline');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'sleep 4 | cat']);
  await lab.run.launch();
  const panel = page.getByTestId('inspect-panel');
  await panel.locator('summary').click();
  // The shell and its two children, refreshed live.
  await expect(panel.getByTestId('inspect-process')).toHaveCount(3);
  const sleep = panel.locator('[data-testid="inspect-process"][data-comm="sleep"]');
  await expect(sleep.locator('[data-testid="inspect-fd"][data-fd="1"] [data-testid="inspect-fd-peers"]')).toContainText('(cat) fd 0');

  await page.getByTestId('signal-SIGKILL').click();
  // The shell is gone, its children are not: they hold the output pipes, and the run says who.
  const held = page.getByTestId('status-held-open').first();
  await expect(held).toContainText('(cat)', { timeout: 5000 });
  await expect(held).toContainText('still hold');
});
