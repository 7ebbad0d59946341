// Validation errors and teaching warnings appear at their field as the user types, and go
// away when the cause does. Every builder field that takes typed input is walked with a bad
// value: its error shows right under it and blocks the launch, and a good value clears it.
// (Checkboxes and menus offer only good values; the CLI and API side is test/bad-input.test.ts.)
import type { Locator } from '@playwright/test';

import { expect, test } from './fixtures';
import type { LabPage } from './pages/lab-page';

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

interface FieldCase {
  /** The control's test id. */
  control: string;
  /** The JSON path the error names. */
  path: string;
  bad: string;
  message: string;
  good: string;
}

const INHERIT_ROW = 3;
const FILE_ROW = 4;
const U32 = 'expected an integer from 0 to 4294967294';

const FIELDS: FieldCase[] = [
  { control: 'field-name', path: 'name', bad: '', message: 'must not be empty', good: 'every field' },
  { control: 'field-description', path: 'description', bad: 'a\0b', message: 'must not contain a NUL byte', good: 'a description' },
  { control: 'field-path', path: 'path', bad: '', message: 'must not be empty', good: '/bin/true' },
  { control: 'field-argv0', path: 'args[0]', bad: 'tr\0ue', message: 'must not contain a NUL byte', good: 'true' },
  { control: 'arg-1', path: 'args[1]', bad: 'a\0b', message: 'must not contain a NUL byte', good: 'hello' },
  { control: 'field-dir', path: 'dir', bad: '/tmp\0', message: 'must not contain a NUL byte', good: '/tmp' },
  { control: 'env-key-1', path: 'env[1]', bad: '', message: 'expected KEY=VALUE', good: 'LANG' },
  { control: 'env-value-1', path: 'env[1]', bad: 'C\0', message: 'must not contain a NUL byte', good: 'C' },
  { control: `file-fd-${INHERIT_ROW}`, path: `files[${INHERIT_ROW}].fd`, bad: '-1', message: 'expected an integer >= 0', good: '1' },
  { control: `file-path-${FILE_ROW}`, path: `files[${FILE_ROW}].path`, bad: '', message: 'must not be empty', good: '/tmp/proclab-e2e-out' },
  { control: 'field-pgid', path: 'sys.pgid', bad: '2147483648', message: 'expected an integer from 0 to 2147483647', good: '0' },
  { control: 'field-ctty', path: 'sys.ctty', bad: 'tty', message: 'expected an integer >= 0', good: '0' },
  { control: 'field-uid', path: 'sys.credential.uid', bad: '-1', message: U32, good: '65534' },
  { control: 'field-gid', path: 'sys.credential.gid', bad: '4294967296', message: U32, good: '65534' },
  { control: 'field-groups', path: 'sys.credential.groups[1]', bad: '27, wheel', message: U32, good: '27, 10' },
  { control: 'field-chroot', path: 'sys.chroot', bad: '/srv\0', message: 'must not contain a NUL byte', good: '' },
  { control: 'field-timeoutMs', path: 'timeoutMs', bad: '0', message: 'expected an integer >= 1', good: '5000' },
  { control: 'field-waitDelayMs', path: 'waitDelayMs', bad: '-1', message: 'expected an integer from 0 to 3600000', good: '100' },
  { control: 'field-ambientCaps', path: 'sys.ambientCaps[0]', bad: 'NET_RAW', message: 'expected one of "CAP_CHOWN"', good: '' },
  { control: 'uidMappings-0-containerId', path: 'sys.uidMappings[0].containerId', bad: '-1', message: U32, good: '0' },
  { control: 'uidMappings-0-hostId', path: 'sys.uidMappings[0].hostId', bad: '4294967295', message: `4294967295 is (uid_t)-1, which no map may name (EINVAL): ${U32}`, good: '0' },
  { control: 'uidMappings-0-size', path: 'sys.uidMappings[0].size', bad: '0', message: 'expected an integer >= 1', good: '1' },
  { control: 'gidMappings-0-containerId', path: 'sys.gidMappings[0].containerId', bad: 'root', message: U32, good: '0' },
  { control: 'gidMappings-0-hostId', path: 'sys.gidMappings[0].hostId', bad: '1.5', message: U32, good: '0' },
  { control: 'gidMappings-0-size', path: 'sys.gidMappings[0].size', bad: '-2', message: 'expected an integer >= 1', good: '1' },
  { control: 'field-umask', path: 'sys.umask', bad: '888', message: 'expected an octal mode from 0 to 777, e.g. "027"', good: '027' },
  { control: 'rlimit-NOFILE-soft', path: 'sys.rlimits.NOFILE.soft', bad: '2048', message: 'soft is above hard: setrlimit refuses it (EINVAL)', good: '1024' },
  { control: 'rlimit-NOFILE-hard', path: 'sys.rlimits.NOFILE.hard', bad: 'lots', message: 'expected an integer >= 0 or "unlimited"', good: 'unlimited' },
  { control: 'field-nice', path: 'sys.nice', bad: '20', message: 'expected an integer from -20 to 19', good: '5' },
  { control: 'field-cpuAffinity', path: 'sys.cpuAffinity[1]', bad: '0, x', message: 'expected an integer from 0 to 1023', good: '0' },
  { control: 'field-oomScoreAdj', path: 'sys.oomScoreAdj', bad: '-1001', message: 'expected an integer from -1000 to 1000', good: '100' },
  { control: 'field-cgroup', path: 'sys.cgroup', bad: '/sys/fs/cgroup/a\0b', message: 'must not contain a NUL byte', good: '' },
];

/**
 * Typed controls with no bad value: stdin is data for a pipe (any text, NUL bytes included);
 * the env paste box is no field (its lines land in the env table).
 */
const ANY_TEXT = ['field-stdin', 'env-paste'];

// A profile that shows every field: a second env row, an inherited fd, a file, fd 0 a pipe
// (its stdin text), and credentials.
async function showEveryField(lab: LabPage): Promise<void> {
  await lab.profiles.newProfile();
  await lab.builder.addEnv('LANG', 'C');
  const inherit = await lab.builder.addFile();
  await inherit.setType('inherit');
  await inherit.setHostFd('1');
  await (await lab.builder.addFile()).setType('file');
  await lab.builder.file(FILE_ROW).setPath('/tmp/proclab-e2e-out');
  await lab.builder.file(0).setType('pipe');
  await lab.builder.check('credential');
  // The folded sections, opened, with a row in each table.
  for (const section of ['Namespaces', 'Limits and scheduling']) await lab.builder.openFolded(section);
  for (const add of ['uidMappings-add', 'gidMappings-add', 'rlimit-add']) await lab.page.getByTestId(add).click();
}

/** The error's top edge is just under the control: at it, not in a list elsewhere. */
async function expectUnder(problem: Locator, control: Locator): Promise<void> {
  const [p, c] = [await problem.boundingBox(), await control.boundingBox()];
  expect(p && c, 'both on screen').toBeTruthy();
  const gap = p!.y - (c!.y + c!.height);
  expect(gap, `the error is ${gap}px under its field`).toBeGreaterThanOrEqual(0);
  expect(gap, `the error is ${gap}px under its field`).toBeLessThan(80);
}

test('every typed field: a bad value is an error under it that blocks the launch, a good one clears it', async ({ lab }) => {
  // Seventeen fields, each checked twice after the builder's debounce: more than one spec's worth.
  test.setTimeout(90_000);
  await showEveryField(lab);
  const launch = lab.page.getByTestId('launch');
  await expect(launch).toBeEnabled();
  // A kind of field added to the builder without a case here fails this.
  const kinds = (ids: string[]) => [...new Set(ids.map((id) => id.replace(/-\d+$/, '-N')))].sort();
  expect(kinds(await lab.builder.typedFieldIds())).toEqual(kinds([...FIELDS.map((f) => f.control), ...ANY_TEXT]));

  for (const f of FIELDS) {
    await test.step(`${f.control}: ${JSON.stringify(f.bad)}`, async () => {
      const control = lab.page.getByTestId(f.control);
      await control.fill(f.bad);
      const error = lab.builder.problems(f.path, 'error');
      await expect(error).toHaveCount(1);
      await expect(error).toContainText(f.message);
      await expectUnder(error, control);
      await expect(launch).toBeDisabled();
      await control.fill(f.good);
      await expect(lab.builder.problems(f.path)).toHaveCount(0);
      await expect(launch).toBeEnabled();
    });
  }
});

test('"=" typed into an env name is an error under the name; the value stays as typed', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.addEnv('LANG', 'C');
  const name = lab.page.getByTestId('env-key-1');
  const value = lab.page.getByTestId('env-value-1');
  const launch = lab.page.getByTestId('launch');
  await name.press('End');
  await name.pressSequentially('=X');
  await expect(name).toHaveValue('LANG=X');
  await expect(value).toHaveValue('C');
  const error = lab.builder.problems('env[1]', 'error');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('a name cannot contain "="');
  await expectUnder(error, name);
  await expect(launch).toBeDisabled();
  // The "=" taken out again: the same row, valid.
  await name.fill('LANG');
  await expect(value).toHaveValue('C');
  await expect(lab.builder.problems('env[1]')).toHaveCount(0);
  await expect(launch).toBeEnabled();
});

test('pasted env lines: what a shell would set is appended, each other line is named with why', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.page.getByTestId('env-paste').fill('TRAIL=x # comment\nSPACE KEY=1\nexport V="v" # c');
  await lab.page.getByTestId('env-paste-apply').click();
  await expect(lab.page.getByTestId('env-key-1')).toHaveValue('TRAIL');
  await expect(lab.page.getByTestId('env-value-1')).toHaveValue('x');
  await expect(lab.page.getByTestId('env-key-2')).toHaveValue('V');
  await expect(lab.page.getByTestId('env-value-2')).toHaveValue('v');
  await expect(lab.page.getByTestId('env-key-3')).toHaveCount(0);
  await expect(lab.page.getByTestId('env-paste-problem')).toHaveText([/line 2 not taken \(SPACE KEY=1\): "SPACE" is not NAME=value/]);
});
