// Profiles on disk: saved ones survive a reload, a corrupt file is shown as one without
// stopping the others, unsaved edits are marked; a save refused (stale, full disk) keeps
// the edit and says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('two windows save the same profile: the second is refused as stale and keeps its edit', async ({ lab, profilesDir }) => {
  test.skip(process.env.PROCLAB_E2E_TARGET === 'electron', 'the app has one window: two clients is a browser-mode case');
  const file = path.join(profilesDir, 'shared.json');
  writeFileSync(file, JSON.stringify({ version: 1, name: 'shared', path: '/bin/echo', args: ['echo', 'as loaded'] }));
  await lab.reload();
  const other = await lab.openNewTab();
  const description = () => (JSON.parse(readFileSync(file, 'utf8')) as { description?: string }).description;

  await lab.profiles.open('shared');
  await other.profiles.open('shared');
  await other.builder.fill('description', 'edited in the other window');
  await lab.builder.fill('description', 'edited here');
  await lab.builder.save();
  await expect(lab.profiles.unsavedMarker()).toHaveCount(0);
  expect(description()).toBe('edited here');

  await other.builder.save();
  await expect(other.page.getByTestId('stale-banner')).toContainText('changed on disk');
  await expect(other.builder.field('description')).toHaveValue('edited in the other window');
  await expect(other.profiles.unsavedMarker()).toBeVisible();
  expect(description()).toBe('edited here');

  // Its edit was kept: written over the file on purpose, it reaches the first window too.
  await other.page.getByTestId('overwrite-profile').click();
  await expect(other.page.getByTestId('stale-banner')).toHaveCount(0);
  await expect(other.profiles.unsavedMarker()).toHaveCount(0);
  expect(description()).toBe('edited in the other window');
  await expect(lab.builder.field('description')).toHaveValue('edited in the other window');
});

test('a full disk: the save says so at the editor, the edit is kept, and saving works once there is room', async ({ lab, profilesDir }) => {
  test.skip(process.getuid?.() !== 0, 'mounting a small tmpfs as the profiles folder needs root');
  // mode=0700: a tmpfs root is 1777 by default, which the lab refuses as a profiles folder.
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', profilesDir], { encoding: 'utf8' });
  test.skip(mounted.status !== 0, `mount -t tmpfs failed: ${mounted.stderr}`);
  try {
    const filler = path.join(profilesDir, '.filler');
    try {
      writeFileSync(filler, Buffer.alloc(128 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    await lab.profiles.newProfile();
    await lab.builder.fill('name', 'no room');
    await lab.builder.save();
    const error = lab.page.getByTestId('save-error');
    await expect(error).toHaveText(
      `Not saved: cannot save no-room.json in ${profilesDir}: No space left on device (ENOSPC): the disk is full. Nothing was changed.`,
    );
    await expect(lab.profiles.unsavedMarker()).toBeVisible();
    await expect(lab.builder.field('name')).toHaveValue('no room');
    expect(readdirSync(profilesDir)).toEqual(['.filler']);

    rmSync(filler);
    await lab.builder.save();
    await expect(error).toHaveCount(0);
    await expect(lab.profiles.unsavedMarker()).toHaveCount(0);
    expect(readdirSync(profilesDir)).toEqual(['no-room.json']);
  } finally {
    spawnSync('umount', ['--lazy', profilesDir]);
  }
});

test('"Restore examples" asks first, keeps an edited example unless ticked, and can be undone', async ({ lab, profilesDir }) => {
  const chdirFile = path.join(profilesDir, 'chdir-error.json');
  const ptraceFile = path.join(profilesDir, 'ptrace-stop.json');
  const shipped = readFileSync(chdirFile);
  await lab.profiles.open('chdir error');
  await lab.builder.fill('description', 'my own notes on chdir');
  await lab.builder.save();
  await expect(lab.profiles.unsavedMarker()).toHaveCount(0);
  const edited = readFileSync(chdirFile);
  rmSync(ptraceFile);

  // The dialog names the edited example as changed and the deleted one as missing; by
  // default only the missing one is written.
  let dialog = await lab.profiles.openRestoreExamples();
  expect(await dialog.state('chdir-error.json')).toBe('changed');
  expect(await dialog.state('ptrace-stop.json')).toBe('missing');
  expect(await dialog.state('drop-to-nobody.json')).toBe('same');
  await expect(dialog.overwrite('chdir-error.json')).not.toBeChecked();
  await dialog.restore();
  await expect(dialog.root()).toHaveCount(0);
  await expect(lab.profiles.item('ptrace stop')).toBeVisible();
  expect(readFileSync(chdirFile)).toEqual(edited);

  // Ticked, it is overwritten; Undo puts the edit back, byte for byte, and the builder shows it.
  dialog = await lab.profiles.openRestoreExamples();
  expect(await dialog.state('ptrace-stop.json')).toBe('same');
  await dialog.overwrite('chdir-error.json').check();
  await dialog.restore();
  await expect(lab.builder.field('description')).not.toHaveValue('my own notes on chdir');
  expect(readFileSync(chdirFile)).toEqual(shipped);
  await lab.profiles.undoRestoreExamples();
  await expect(lab.builder.field('description')).toHaveValue('my own notes on chdir');
  expect(readFileSync(chdirFile)).toEqual(edited);
});
