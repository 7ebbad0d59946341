// Nothing the user does is lost (issue 11): unsaved edits are kept by the lab as drafts and
// come back after a reload, marked as restored, until saved or discarded; the page asks
// before it goes while it holds any; the runs of before the reload are listed with how
// they ended.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';

const EXAMPLE = 'swap stdout and stderr';

/** The files the lab keeps drafts in, in this test's home (none before the first). */
const draftFiles = (home: string): string[] => {
  const dir = path.join(home, 'drafts');
  return existsSync(dir) ? readdirSync(dir) : [];
};

test('an edit not saved is back after a reload, marked as a restored draft, until it is discarded', async ({ lab }) => {
  await lab.profiles.open(EXAMPLE);
  const original = await lab.builder.field('description').inputValue();
  await lab.builder.fill('description', 'edited, never saved');
  await expect(lab.profiles.unsavedMarker()).toBeVisible();

  expect(await lab.reload(), 'the page asks before it goes with unsaved work').toBe(true);
  const item = lab.profiles.item(EXAMPLE);
  await expect(item.getByTestId('restored-marker')).toHaveText('restored draft');
  await expect(item.getByTestId('unsaved-marker')).toBeVisible();
  // The newest restored draft is open, with the edit and the banner that says where it came from.
  await expect(lab.builder.field('description')).toHaveValue('edited, never saved');
  await expect(lab.builder.restoredBanner()).toContainText('Restored draft');
  await lab.page.screenshot({ path: test.info().outputPath('restored-draft.png') });

  await lab.profiles.discard(item);
  await expect(lab.profiles.restoredMarker()).toHaveCount(0);
  await expect(lab.profiles.unsavedMarker()).toHaveCount(0);
  await expect(lab.builder.restoredBanner()).toHaveCount(0);
  await expect(lab.builder.field('description')).toHaveValue(original);
  expect(await lab.reload(), 'nothing unsaved: no question').toBe(false);
  await expect(lab.profiles.restoredMarker()).toHaveCount(0);
});

test('a new profile never saved survives a reload; once saved, its draft is gone', async ({ lab, home }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'never saved');
  await lab.builder.fill('path', '/bin/echo');
  await lab.reload();
  const draft = lab.profiles.draft('never saved');
  await expect(draft.getByTestId('restored-marker')).toBeVisible();
  await expect(lab.builder.field('name')).toHaveValue('never saved');
  await expect(lab.builder.field('path')).toHaveValue('/bin/echo');

  await lab.builder.save();
  await expect(lab.profiles.item('never saved')).toBeVisible();
  await expect(lab.profiles.draft('never saved')).toHaveCount(0);
  await expect.poll(() => draftFiles(home)).toEqual([]);
  expect(await lab.reload()).toBe(false);
  await expect(lab.profiles.item('never saved')).toBeVisible();
  await expect(lab.profiles.restoredMarker()).toHaveCount(0);
  await expect(lab.profiles.draft('never saved')).toHaveCount(0);
});

test('a kept draft that cannot be read is listed with why; the other drafts come back all the same', async ({ lab, home }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'still here');
  await expect.poll(() => draftFiles(home).length).toBe(1);
  const corrupt = path.join(home, 'drafts', `${'0'.repeat(32)}.json`);
  writeFileSync(corrupt, '{"version":1,"key":', { mode: 0o600 });

  await lab.reload();
  await expect(lab.profiles.draft('still here').getByTestId('restored-marker')).toBeVisible();
  await expect(lab.profiles.unreadableDrafts()).toContainText(`${corrupt}: not valid JSON`);
  await lab.page.screenshot({ path: test.info().outputPath('unreadable-draft.png') });
});

test('runs of before a reload are listed with how they ended: status, exec error, saved output', async ({ lab }) => {
  // A new profile as it comes: echo, its output captured.
  await lab.profiles.newProfile();
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  await lab.profiles.open('chdir error');
  await lab.run.launch();
  await expect(lab.run.execError().step).toHaveText('chdir');

  await lab.reload();
  const runs = lab.run.history();
  await expect(runs).toHaveCount(2);
  // Newest first, each marked as from before the reload.
  await expect(runs.nth(0)).toContainText('chdir error');
  await expect(runs.nth(0).getByTestId('history-status')).toHaveText('exited with status 253');
  await expect(runs.nth(1)).toContainText('new profile');
  await expect(runs.nth(1).getByTestId('history-status')).toHaveText('exited with status 0');
  for (const run of [runs.nth(0), runs.nth(1)]) expect(await lab.run.from(run)).toBe('before-reload');

  await runs.nth(0).click();
  await expect(lab.run.earlierMarker()).toHaveText('before reload');
  await expect(lab.run.status()).toContainText('exited with status 253');
  await expect(lab.run.execError().step).toHaveText('chdir');
  await expect(lab.run.execError().code).toHaveText('ENOENT');
  await runs.nth(1).click();
  const stdout = lab.run.stream('1');
  await expect(stdout.savedPath()).toHaveText(/fd1\.txt$/);
  await expect(stdout.savedSize()).toContainText('bytes');
  await lab.page.screenshot({ path: test.info().outputPath('earlier-run.png') });
  if (await stdout.offersDownload()) {
    const download = await stdout.download();
    expect(await download.failure()).toBeNull();
  }
});

test('two windows: each keeps its drafts, and saving in one never discards the other’s', async ({ lab, home }) => {
  test.skip(process.env.PROCLAB_E2E_TARGET === 'electron', 'the app has one window: two clients is a browser-mode case');
  const other = await lab.openNewTab();
  await lab.profiles.open(EXAMPLE);
  await lab.builder.fill('description', 'edited in the first window');
  await other.profiles.newProfile();
  await other.builder.fill('name', 'from the second window');
  await expect.poll(() => draftFiles(home).length).toBe(2);

  await other.builder.save();
  await expect(other.profiles.item('from the second window')).toBeVisible();
  await expect.poll(() => draftFiles(home).length).toBe(1);

  await lab.reload();
  await expect(lab.profiles.item(EXAMPLE).getByTestId('restored-marker')).toBeVisible();
  await expect(lab.builder.field('description')).toHaveValue('edited in the first window');
});
