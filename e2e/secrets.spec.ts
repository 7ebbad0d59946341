// Secret variables from the builder (issue 11): the value typed once goes to the lab's
// secret store, the child gets it, and neither the saved profile, its draft, nor the page
// ever holds it again.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';

const SECRET = 'hunter2-from-the-store';

test('a secret variable kept in the store reaches the child and nothing else', async ({ lab, home, profilesDir }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'uses a token');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'printf %s "$TOKEN" | sha256sum']);
  const page = lab.page;
  await page.getByTestId('secret-add').click();
  await page.getByTestId('secret-name-0').fill('TOKEN');
  await page.getByTestId('secret-ref-0').fill('api-token');
  await expect(page.getByTestId('secret-value-0')).toHaveAttribute('type', 'password');
  await page.getByTestId('secret-value-0').fill(SECRET);
  await page.getByTestId('secret-keep-0').click();
  await expect(page.getByText('Kept a value under "api-token"')).toBeVisible();
  await expect(page.getByTestId('secret-value-0')).toHaveValue('');

  await lab.run.launch();
  const digest = createHash('sha256').update(SECRET).digest('hex');
  await expect(lab.run.output('1')).toContainText(digest);
  await lab.builder.save();
  await expect(lab.profiles.item('uses a token')).toBeVisible();

  // On disk: the key in the profile, the value only in the store, 0600.
  const saved = readdirSync(profilesDir).map((f) => readFileSync(path.join(profilesDir, f), 'utf8')).join('\n');
  expect(saved).toContain('"fromStore": "api-token"');
  expect(saved).not.toContain(SECRET);
  for (const folder of ['drafts', 'runs']) {
    const dir = path.join(home, folder);
    const all = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const file of all) expect(readFileSync(path.join(file.parentPath, file.name), 'utf8')).not.toContain(SECRET);
  }
  expect(await page.content()).not.toContain(SECRET);
});

test('a secret named in the profile but missing from the store refuses the launch at its field', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'missing secret');
  await lab.builder.fill('path', '/bin/true');
  await lab.page.getByTestId('secret-add').click();
  await lab.page.getByTestId('secret-name-0').fill('TOKEN');
  await lab.page.getByTestId('secret-ref-0').fill('never-kept');
  await lab.run.launch();
  await expect(lab.page.getByTestId('secret-0')).toContainText("never-kept: the lab's secret store has no such key");
});
