// Build a launch from scratch, run it, watch it: output, exec errors, signals, a pty shell.
import { expect, test } from './fixtures';

test('a profile built from scratch launches and its output streams live', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'hello twice');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', 'echo hello; sleep 1; echo world >&2; echo done']);
  await expect(lab.plan.steps().last()).toContainText('execve');
  await lab.run.launch();
  await expect(lab.run.pid()).toHaveText(/\d+/);
  // The run is brought into view, and stays there while the plan above it settles.
  await expect(lab.run.status()).toBeInViewport({ ratio: 1 });
  // "hello" is on screen while the child still sleeps: nothing waits for the end.
  await expect(lab.run.output('1')).toContainText('hello');
  await expect(lab.run.status()).not.toContainText('exited');
  await expect(lab.run.output('2')).toContainText('world');
  await expect(lab.run.status()).toContainText('exited with status 0');
  await expect(lab.run.output('1')).toContainText('done');
});

test('an exec error names its step and errno, execve versus chdir', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'missing program');
  await lab.builder.fill('path', '/nonexistent/program');
  await lab.run.launch();
  const error = lab.run.execError();
  await expect(error.step).toHaveText('execve');
  await expect(error.code).toHaveText('ENOENT');
  await expect(error.message).toContainText('No such file or directory');
  // The cause the lab found by looking, not the usual causes of ENOENT.
  await expect(error.cause).toHaveAttribute('data-cause', 'program-missing');
  await expect(error.cause).toContainText('/nonexistent/program does not exist');
  await expect(lab.run.traceSteps().last()).toHaveAttribute('data-ok', 'false');
  await expect(lab.run.status()).toContainText('exited with status 253');

  await lab.builder.fill('path', '/bin/true');
  await lab.builder.fill('dir', '/nonexistent/dir');
  await lab.run.launch();
  await expect(lab.run.execError().step).toHaveText('chdir');
  await expect(lab.run.execError().code).toHaveText('ENOENT');
});

test("max RSS says it includes the lab's memory, which the child carried until its execve", async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'true');
  await lab.builder.fill('path', '/bin/true');
  await lab.run.launch();
  await expect(lab.run.status()).toContainText('exited with status 0');
  const maxRss = lab.run.maxRss();
  await expect(maxRss.size).toHaveText(/^[\d.]+ (KiB|MiB)$/);
  await expect(maxRss.note).toHaveText("includes the lab's memory, which the child carried until its execve");
});

test('a long-running child signalled from the run view ends as signalled', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'sleeper');
  await lab.builder.fill('path', '/bin/sleep');
  await lab.builder.fill('argv0', 'sleep');
  await lab.builder.setArgs(['30']);
  await lab.run.launch();
  await expect(lab.run.pid()).toHaveText(/\d+/);
  await lab.run.signal('SIGTERM');
  await expect(lab.run.status()).toContainText('killed by SIGTERM (15)');
});

test('a child that ignores SIGTERM is killed after the grace the user set', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'stubborn');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', "trap '' TERM; echo ready; sleep 30"]);
  await lab.run.launch();
  // Once it says ready its trap is set: a TERM before that would still kill it.
  await expect(lab.run.output('1')).toContainText('ready');
  await lab.run.signal('SIGTERM', { killAfterMs: 500 });
  await expect(lab.run.status()).toContainText('killed by SIGKILL (9)');
});

test('a shell in a pty, with setsid and setctty, answers what is typed', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'pty shell');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-i']);
  for (const fd of [0, 1, 2]) await lab.builder.file(fd).setType('pty');
  await lab.builder.check('setsid');
  await lab.builder.check('setctty');
  await lab.run.launch();
  await expect(lab.run.terminal()).toBeVisible();
  await lab.run.typeInTerminal('echo $((6 * 7))\n');
  await expect(lab.run.terminal()).toContainText('42');
  await lab.run.typeInTerminal('exit\n');
  await expect(lab.run.status()).toContainText('exited with status 0');
});

test('launch the probe instead shows what the child received', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'probe me');
  await lab.builder.fill('path', '/bin/true');
  await lab.builder.check('setsid');
  await lab.run.launchProbe();
  const report = lab.run.probeReport();
  await expect(report).toBeVisible();
  // setsid: the probe leads its own session, so sid and pid are the same number.
  const pid = (await report.getByTestId('probe-pid').textContent())!.trim();
  await expect(report.getByTestId('probe-sid')).toHaveText(pid);
  // The probe's own argv, and beside it the program's, which the probe stood in for.
  await expect(report.getByTestId('probe-profile-argv')).toContainText('"true"');
  // What the profile asked beside what the child got: the new session, as asked.
  await expect(report.locator('[data-testid="asked-row"][data-field="setsid"]')).toHaveAttribute('data-verdict', 'match');
});

test('a traced child stopped at its exec: the stop explained, Continue lets it run', async ({ lab }) => {
  await lab.profiles.open('ptrace stop');
  await lab.run.launch();
  const explanation = lab.page.getByTestId('stop-explanation');
  await expect(explanation).toContainText('Stopped at its execve');
  await expect(lab.page.getByTestId('ptrace-continue-signal')).toHaveCount(0);
  await lab.page.getByTestId('ptrace-continue').click();
  await expect(lab.run.status()).toContainText('exited with status 0');
});
