// proclab import as a user meets it: a profile on stdout, warnings on stderr one a line,
// and exit 2 with the reason for a usage mistake or a process it may not read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

import { cli, isRoot, lines, parseWhole } from '../support/cli-helpers';

test('--shell prints the profile on stdout and each warning on stderr', () => {
  const r = cli(['import', '--shell', 'cd /tmp && FOO=1 env sort 2>&1 <in']);
  assert.equal(r.status, 0, r.stderr);
  const profile = parseWhole(r.stdout);
  assert.equal(profile.path, 'sort');
  assert.deepEqual(profile.args, ['sort']);
  assert.equal(profile.dir, '/tmp');
  assert.deepEqual(profile.env, ['FOO=1']);
  assert.deepEqual(profile.files, [{ type: 'file', path: '/tmp/in', mode: 'r' }, { type: 'pipe' }, { type: 'pipe' }]);
  assert.deepEqual(lines(r.stderr), ['warning: fds 1 and 2 share one pipe in the shell (2>&1); the lab captures each on a pipe of its own, so their output is kept apart (keys "1", "2") rather than interleaved in one stream']);
});

test('--shell with a pipeline prints sh -c and says why', () => {
  const r = cli(['import', '--shell', 'ls | wc -l']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(parseWhole(r.stdout).args, ['sh', '-c', 'ls | wc -l']);
  assert.deepEqual(lines(r.stderr), ['warning: runs as sh -c: a pipeline (|): "ls | wc -l"']);
});

test('--pid prints the profile of a running process', async (t) => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore', cwd: '/tmp' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((resolve) => child.once('spawn', resolve));
  const r = cli(['import', '--pid', String(child.pid)]);
  assert.equal(r.status, 0, r.stderr);
  const profile = parseWhole(r.stdout);
  assert.deepEqual(profile.args, ['sleep', '30']);
  assert.equal(profile.dir, '/tmp');
});

const USAGE: [args: string[], message: RegExp][] = [
  [['import'], /^proclab import: give exactly one of --shell LINE and --pid PID$/],
  [['import', '--shell', 'true', '--pid', '1'], /^proclab import: give exactly one of --shell LINE and --pid PID$/],
  [['import', '--shell', '  '], /^proclab import: --shell: the line is empty$/],
  [['import', '--pid', 'abc'], /--pid <pid>' argument 'abc' is invalid\. expected a process id \(an integer > 0\)/],
  [['import', '--pid', '4194305'], /^proclab import: no process 4194305$/],
];

for (const [args, message] of USAGE) {
  test(`${args.join(' ')}: exit 2, saying why`, () => {
    const r = cli(args);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(lines(r.stderr)[0] ?? '', message);
  });
}

test('a process another user may not read: exit 2 naming what could not be read', { skip: isRoot ? false : 'needs root to run the CLI as another user' }, () => {
  // This test process is root's: run as nobody, the CLI may not read its fds or environment.
  const r = cli(['import', '--pid', String(process.pid)], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^proclab import: cannot read pid ${process.pid} \\(.+\\): its exe \\(the program\\), environ, cwd, root, fds: /proc lets only`));
});
