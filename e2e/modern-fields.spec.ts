// The modern fields from the builder: a user namespace the lab maps (the child is root
// inside, its map as asked, its user namespace new), and foreground job control, with the
// lab (`proclab serve`) running in a terminal of its own whose foreground group the child
// takes. Both through "Launch the probe instead", read off the probe report.
import { expect, test } from './fixtures';

test('a user namespace from clone: root inside, mapped by the lab to 1000 outside', async ({ lab }) => {
  test.skip(process.getuid?.() !== 0, 'mapping uid 1000 needs a root lab');
  const page = lab.page;
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'user namespace');
  await lab.builder.openFolded('Namespaces');
  await page.getByTestId('field-cloneflags-CLONE_NEWUSER').check();
  for (const maps of ['uidMappings', 'gidMappings']) {
    await page.getByTestId(`${maps}-add`).click();
    await page.getByTestId(`${maps}-0-hostId`).fill('1000');
  }
  // Root inside: setuid(0) and setgid(0) there are host 1000 (no setgroups: it is denied).
  await lab.builder.check('credential');
  await page.getByTestId('field-uid').fill('0');
  await page.getByTestId('field-gid').fill('0');
  await lab.builder.check('noSetGroups');
  // The plan says the lab writes the maps while the child waits, and why it is no vfork.
  await expect(page.getByTestId('plan-clone-why')).toContainText('ID maps written by the lab while the child waits');
  await expect(page.locator('[data-testid="plan-step"][data-step="userns"]').first()).toContainText('uid_map');

  await lab.run.launchProbe();
  const report = lab.run.probeReport();
  await expect(report).toBeVisible();
  await expect(report.getByTestId('probe-uid')).toHaveText('0');
  await expect(report.getByTestId('probe-uid-map')).toContainText('1000');
  await expect(report.getByTestId('probe-ns-user-origin')).toHaveText('new');
});

test.describe('with the lab in a terminal', () => {
  test.use({ serveInTerminal: true });

  test("foreground: the child's group becomes the terminal's foreground group", async ({ lab }) => {
    const page = lab.page;
    await lab.profiles.newProfile();
    await lab.builder.fill('name', 'foreground job');
    // The lab's own terminal on the child's fds 0-2.
    for (const fd of [0, 1, 2]) {
      await lab.builder.file(fd).setType('inherit');
      await lab.builder.file(fd).setHostFd(String(fd));
    }
    await lab.builder.check('foreground');
    await expect(page.getByTestId('check-summary')).toContainText('valid');
    await lab.run.launchProbe();
    const report = lab.run.probeReport();
    await expect(report).toBeVisible();
    const pgid = (await report.getByTestId('probe-pgid').textContent())!.trim();
    await expect(report.getByTestId('probe-pid')).toHaveText(pgid);
    await expect(report.getByTestId('probe-foreground')).toHaveText(pgid);
  });
});
