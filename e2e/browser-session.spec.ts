// Browser mode keeps its token out of URLs (issue 11): the page takes it out of the address
// bar at once and keeps it for itself (a reload stays connected), a download link carries
// none (each download is a one-time link), and another tab gets in by a one-time link too.
import { readFileSync } from 'node:fs';

import { expect, test } from './fixtures';

test.skip(process.env.PROCLAB_E2E_TARGET === 'electron', "the token and the URLs that could carry it are browser mode's");

test('after load the address bar has no token, nor has a download link; a reload stays connected', async ({ lab }) => {
  expect(new URL(lab.page.url()).search, 'the address once the page has loaded').toBe('');

  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'to download');
  await lab.builder.fill('path', '/bin/echo');
  await lab.builder.fill('argv0', 'echo');
  await lab.builder.setArgs(['saved']);
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  const stdout = lab.run.stream('1');
  expect(await stdout.downloadHref()).toMatch(/^\/saved-output\/[\w-]+\/1$/);

  const download = await stdout.download();
  expect(download.url()).not.toContain('token');
  expect(download.url()).toMatch(/\/1\?ticket=[\w-]{43}$/);
  expect(readFileSync(await download.path(), 'utf8')).toBe('saved\n');
  const again = await stdout.download();
  expect(again.url(), 'each download its own ticket').not.toBe(download.url());
  expect(readFileSync(await again.path(), 'utf8')).toBe('saved\n');

  await lab.reload();
  expect(new URL(lab.page.url()).search).toBe('');
  await expect(lab.profiles.items().first()).toBeVisible();
  await expect(lab.disconnected()).toHaveCount(0);
});

test('another tab gets in by a one-time link from the page, without the token', async ({ lab }) => {
  const other = await lab.openNewTab();
  expect(new URL(other.page.url()).search, 'the ticket is out of its address bar too').toBe('');
  await expect(other.profiles.items().first()).toBeVisible();
  await expect(other.disconnected()).toHaveCount(0);
});
