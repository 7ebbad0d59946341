// Validation errors and teaching warnings appear at their field as the user types, and go
// away when the cause does.
import { expect, test } from './fixtures';

test('setctty without setsid warns at the field until setsid is on', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'terminal');
  await lab.builder.fill('path', '/bin/true');
  for (const fd of [0, 1, 2]) await lab.builder.file(fd).setType('pty');
  await lab.builder.check('setctty');
  const warning = lab.builder.problems('sys.setctty', 'warning');
  await expect(warning).toContainText('setsid');
  await lab.builder.check('setsid');
  await expect(warning).toHaveCount(0);
});

test('a bad inherited fd is an error at its row, and blocks the launch', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'bad fd');
  await lab.builder.fill('path', '/bin/true');
  const row = await lab.builder.addFile();
  await row.setType('inherit');
  await row.setHostFd('-1');
  await expect(lab.builder.problems(`files[${row.fd}].fd`, 'error')).toContainText('expected an integer >= 0');
  await expect(lab.page.getByTestId('launch')).toBeDisabled();
  await row.setHostFd('1');
  await expect(lab.builder.problems(`files[${row.fd}].fd`)).toHaveCount(0);
  await expect(lab.page.getByTestId('launch')).toBeEnabled();
});
