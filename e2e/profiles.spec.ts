// Profiles on disk: saved ones survive a reload, a corrupt file is shown as one without
// stopping the others, unsaved edits are marked.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';

test('a saved profile is still there after a reload', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'kept across reloads');
  await lab.builder.fill('path', '/bin/echo');
  await expect(lab.profiles.unsavedMarker()).toBeVisible();
  await lab.builder.save();
  await expect(lab.profiles.unsavedMarker()).toHaveCount(0);
  await lab.reload();
  await expect(lab.profiles.item('kept across reloads')).toBeVisible();
  await lab.profiles.open('kept across reloads');
  await expect(lab.builder.field('path')).toHaveValue('/bin/echo');
});

test('a corrupt profile file is listed with its error while the others load', async ({ lab, profilesDir }) => {
  mkdirSync(profilesDir, { recursive: true });
  writeFileSync(path.join(profilesDir, 'broken.json'), '{ "version": 1, "name": ');
  writeFileSync(
    path.join(profilesDir, 'fine.json'),
    JSON.stringify({ version: 1, name: 'fine', path: '/bin/true', args: ['true'] }),
  );
  await lab.reload();
  await expect(lab.profiles.item('fine')).toBeVisible();
  const broken = lab.profiles.brokenItem('broken.json');
  await expect(broken).toBeVisible();
  await expect(broken.getByTestId('profile-item-error')).not.toBeEmpty();
});
