// import --shell, field by field: what each construct of a line becomes in the profile
// (the round-trip test launches the common ones; these are read without launching), and
// which wrappers stay the program, or which lines run as sh -c, and why.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importShell } from '../../src/main/lab/import/import-shell';
import { validate } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';

const HOST = { uid: 1000, gid: 1000, nice: 0 };

const PIPES: Profile['files'] = [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }];

const CASES: [line: string, fields: Partial<Profile>][] = [
  [`prog $'a\\tb\\xff' "x\\"\\$y" 'q\\' a\\ b`, { path: 'prog', args: ['prog', { hex: '610962ff' }, 'x"$y', 'q\\', 'a b'] }],
  ['prog >out arg 2>err more', { args: ['prog', 'arg', 'more'], files: [{ type: 'pipe' }, { type: 'file', path: 'out', mode: 'w', create: true, truncate: true }, { type: 'file', path: 'err', mode: 'w', create: true, truncate: true }] }],
  ['cd a && cd b && prog <>rw', { dir: 'a/b', files: [{ type: 'file', path: 'a/b/rw', mode: 'rw', create: true }, { type: 'pipe' }, { type: 'pipe' }] }],
  ['prog &>all 5<&0', { files: [{ type: 'pipe' }, { type: 'file', path: 'all', mode: 'w', create: true, truncate: true }, { type: 'file', path: 'all', mode: 'w', create: true, truncate: true }, { type: 'closed' }, { type: 'closed' }, { type: 'pipe' }] }],
  ['env -C /srv -i A=1 PATH=/bin prog', { dir: '/srv', inheritEnv: false, env: ['A=1', 'PATH=/bin'] }],
  ['A=1 env -i B=2 prog', { inheritEnv: false, env: ['B=2'] }],
  ['exec -l -a sh prog', { path: 'prog', args: ['-sh'] }],
  ['unshare -r prog', { sys: { unshareflags: ['CLONE_NEWUSER'], uidMappings: [{ containerId: 0, hostId: 1000, size: 1 }], gidMappings: [{ containerId: 0, hostId: 1000, size: 1 }] } }],
  ['unshare --fork --pid --mount-proc=x prog', { path: 'unshare' }],
  ['unshare -fpn prog', { sys: { cloneflags: ['CLONE_NEWNET', 'CLONE_NEWPID'] } }],
  ['chroot --userspec=33:34 --groups=5,6 /jail /bin/app', { path: '/bin/app', dir: '/', sys: { chroot: '/jail', credential: { uid: 33, gid: 34, noSetGroups: false, groups: [5, 6] } } }],
  ['setpriv --reuid=7 --keep-groups prog', { sys: { credential: { uid: 7, gid: 1000, noSetGroups: true } } }],
  ['setpriv --inh-caps=+net_bind_service --ambient-caps=+net_bind_service --nnp --pdeathsig=TERM prog', { sys: { ambientCaps: ['CAP_NET_BIND_SERVICE'], noNewPrivs: true, pdeathsig: 'SIGTERM' } }],
  ['prlimit --core=0:unlimited -n64 prog', { sys: { rlimits: { CORE: { soft: 0, hard: 'unlimited' }, NOFILE: { soft: 64, hard: 64 } } } }],
  ['nice -5 taskset 0x5 prog', { sys: { nice: 5, cpuAffinity: [0, 2] } }],
  ['timeout -s KILL 1.5m prog', { timeoutMs: 90_000 }],
];

for (const [line, fields] of CASES) {
  test(`${line}`, async () => {
    const { profile } = await importShell(line, HOST);
    const picked = Object.fromEntries(Object.keys(fields).map((key) => [key, profile[key as keyof Profile]]));
    assert.deepEqual(picked, fields);
    if (!('files' in fields)) assert.deepEqual(profile.files, PIPES);
    assert.deepEqual(validate(profile).errors, [], 'a valid profile');
  });
}

// A kept wrapper's other options are not fields as well: it does all of them itself.
const KEPT: [line: string, program: string, warning: string][] = [
  ['env -u HOME prog', 'env', "env -u HOME: the profile inherits the lab's environment whole (inheritEnv) and cannot leave one variable out, so env stays the program and does it itself"],
  ['setpriv --init-groups prog', 'setpriv', 'setpriv --init-groups: the profile has no field for it, so setpriv stays the program and does it itself'],
  ['setpriv --regid=5 prog', 'setpriv', 'setpriv --regid=5 without --clear-groups, --keep-groups or --groups: setpriv refuses it, so it stays the program'],
  ['prlimit --core=0 --nofile=:10 prog', 'prlimit', 'prlimit --nofile=:10: the profile sets both limits, as numbers or "unlimited", so prlimit stays the program'],
];

for (const [line, program, warning] of KEPT) {
  test(`${line}: ${program} stays the program, saying why`, async () => {
    const { profile, warnings } = await importShell(line, HOST);
    assert.equal(profile.path, program);
    assert.deepEqual(profile.args, line.split(' '));
    assert.equal(profile.sys, undefined, 'what the wrapper does itself is not also a field');
    assert.deepEqual(validate(profile).errors, [], 'a valid profile');
    assert.deepEqual(warnings, [warning]);
  });
}

const FALLBACKS: [line: string, warning: string][] = [
  ['exec 3>x', 'runs as sh -c: exec without a command: it changes the shell itself'],
  ['A=1', 'runs as sh -c: an assignment with no command: it sets a shell variable'],
  ['prog &', 'runs as sh -c: a background job (&)'],
  ['prog "$HOME"', 'runs as sh -c: a parameter expansion ($NAME): "$HOME"'],
  ['prog ~/x', 'runs as sh -c: a ~ the shell expands to a home directory: "~/x"'],
  ['prog {a,b}', 'runs as sh -c: a brace expansion, which the shell expands to several words: "{a,b}"'],
  ['cd /x || prog', 'runs as sh -c: a list (||): "cd /x || prog"'],
  ['export A=1', 'runs as sh -c: a declaration (export, declare, local, readonly): "export A=1"'],
  ['read x', 'runs as sh -c: read is a shell builtin: it runs inside the shell, with no program of its own'],
];

for (const [line, warning] of FALLBACKS) {
  test(`${line}: sh -c, naming why`, async () => {
    const { profile, warnings } = await importShell(line, HOST);
    assert.deepEqual([profile.path, profile.args], ['/bin/sh', ['sh', '-c', line]]);
    assert.deepEqual(warnings, [warning]);
  });
}

test('env -i without PATH: the warning names the program the lab will look up, and exec -c gives none', async () => {
  const warningsOf = async (line: string) => (await importShell(line, HOST)).warnings;
  assert.deepEqual(await warningsOf('env -i setsid prog'), ["env -i leaves no PATH: prog is looked up in execvp's default (/bin:/usr/bin) there, and in the lab's own PATH by the lab"]);
  assert.deepEqual(await warningsOf('env -i setsid ./prog'), []);
  assert.deepEqual(await warningsOf('env -i PATH=/bin prog'), []);
  // bash looks the program up in its own PATH before exec -c empties the environment, as the lab does.
  assert.deepEqual(await warningsOf('exec -c prog'), []);
});
