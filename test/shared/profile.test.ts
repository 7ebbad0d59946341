// The launch profile: schema errors as printed, defaults, host errors and teaching warnings.
// Run: node --import tsx --test test/shared/profile.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkProfile, formatProblem, type HostFacts } from '../../src/shared';

interface FdState {
  open: boolean;
  terminal: boolean;
}

/** A host where fds 0..2 are open (not terminals) and every other fd is closed, unless told otherwise. */
function fakeHost({ isRoot = true, fds = {} }: { isRoot?: boolean; fds?: Record<number, FdState> } = {}): HostFacts {
  return {
    isRoot,
    uid: isRoot ? 0 : 1000,
    gid: isRoot ? 0 : 1000,
    execCause: () => null,
    hostFd: (fd) => fds[fd] ?? { open: fd <= 2, terminal: false },
  };
}

/** What a profile that leaves the namespace and limit fields out means. */
const MODERN_DEFAULTS = {
  cloneflags: [],
  unshareflags: [],
  uidMappings: [],
  gidMappings: [],
  gidMappingsEnableSetgroups: false,
  rlimits: {},
  cpuAffinity: [],
};

/** A profile that is valid and gives no warning on the default host. */
const base = () => ({
  version: 1,
  name: 'list fds',
  path: '/bin/ls',
  args: ['ls', '-l', '/proc/self/fd'],
  files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }] as unknown[],
});

const errorLines = (input: unknown, host = fakeHost()) => checkProfile(input, host).errors.map(formatProblem);
const warningPaths = (input: unknown, host = fakeHost()) => checkProfile(input, host).warnings.map((w) => w.path);
const warningText = (input: unknown, host = fakeHost()) =>
  checkProfile(input, host).warnings.map((w) => w.message).join('\n');

describe('the base profile', () => {
  test('is valid and gives no warning', () => {
    const check = checkProfile(base(), fakeHost());
    assert.deepEqual(check.errors, []);
    assert.deepEqual(check.warnings, []);
    assert.equal(check.profile?.name, 'list fds');
  });
});

describe('bad input: one line per problem, named by its JSON path', () => {
  test('a NUL byte in an argument', () => {
    assert.deepEqual(errorLines({ ...base(), args: ['ls', 'a\0b'] }), ['args[1]: must not contain a NUL byte']);
  });

  test('a NUL byte in any string of the profile', () => {
    const withNul: Array<[string, Record<string, unknown>]> = [
      ['name', { name: 'a\0' }],
      ['description', { description: 'a\0' }],
      ['path', { path: '/bin/l\0s' }],
      ['args[0]', { args: ['\0'] }],
      ['dir', { dir: '/tmp\0' }],
      ['env[0]', { env: ['A=\0'] }],
      ['files[0].path', { files: [{ type: 'file', path: '/tmp/\0', mode: 'r' }, { type: 'pipe' }, { type: 'pipe' }] }],
      ['sys.chroot', { sys: { chroot: '/srv\0' } }],
    ];
    for (const [path, fields] of withNul) {
      assert.deepEqual(errorLines({ ...base(), ...fields }), [`${path}: must not contain a NUL byte`], path);
    }
  });

  test('stdin is data for a pipe, not a C string: NUL bytes pass', () => {
    assert.deepEqual(errorLines({ ...base(), stdin: 'a\0b\0' }), []);
  });

  test('an unknown field, at its own path, one problem per field', () => {
    assert.deepEqual(errorLines({ ...base(), sys: { foo: 1 } }), ['sys.foo: unknown field "foo"']);
    assert.deepEqual(errorLines({ ...base(), colour: 'red', sys: { foo: 1, bar: 2 } }), [
      'sys.foo: unknown field "foo"',
      'sys.bar: unknown field "bar"',
      'colour: unknown field "colour"',
    ]);
    assert.deepEqual(errorLines({ ...base(), files: [{ type: 'pty', fd: 3 }] }), ['files[0].fd: unknown field "fd"']);
  });

  test('files[3].fd negative, fractional or not a number', () => {
    for (const fd of [-1, 1.5, '3', null]) {
      const files = [...base().files, { type: 'inherit', fd }];
      assert.deepEqual(errorLines({ ...base(), files }), ['files[3].fd: expected an integer >= 0'], String(fd));
    }
  });

  test('a missing field is "required"', () => {
    const { path: _path, ...withoutPath } = base();
    assert.deepEqual(errorLines(withoutPath), ['path: required']);
    const files = [...base().files, { type: 'inherit' }];
    assert.deepEqual(errorLines({ ...base(), files }), ['files[3].fd: required']);
  });

  test('an empty path', () => {
    assert.deepEqual(errorLines({ ...base(), path: '' }), ['path: must not be empty']);
    assert.deepEqual(errorLines({ ...base(), name: '' }), ['name: must not be empty']);
  });

  test('args that are not strings', () => {
    assert.deepEqual(errorLines({ ...base(), args: ['ls', 7, true] }), [
      'args[1]: expected a string, or {"hex": "..."} for bytes that are not UTF-8',
      'args[2]: expected a string, or {"hex": "..."} for bytes that are not UTF-8',
    ]);
    assert.deepEqual(errorLines({ ...base(), args: 'ls -l' }), ['args: expected an array']);
  });

  test('inherit of a host fd that is not open', () => {
    const files = [...base().files, { type: 'inherit', fd: 9 }];
    const check = checkProfile({ ...base(), files }, fakeHost());
    assert.deepEqual(check.errors.map(formatProblem), ['files[3].fd: host fd 9 is not open']);
    assert.equal(check.profile, undefined);
  });

  test('inherit of a host fd that is open', () => {
    const files = [...base().files, { type: 'inherit', fd: 9 }];
    const host = fakeHost({ fds: { 9: { open: true, terminal: false } } });
    assert.deepEqual(errorLines({ ...base(), files }, host), []);
  });

  test('env entries that are not KEY=VALUE', () => {
    assert.deepEqual(errorLines({ ...base(), env: ['A=1', 'NOEQUALS', '=value', 'B=', 'C=x=y', 3, ''] }), [
      'env[1]: expected KEY=VALUE: there is no "="',
      'env[2]: expected KEY=VALUE: the name before "=" is empty',
      'env[5]: expected a string, or {"hex": "..."} for bytes that are not UTF-8',
      'env[6]: expected KEY=VALUE: the variable needs a name',
    ]);
  });

  test('an env row whose name holds "=" (the builder sends it as typed): an error at the row, not a valid entry', () => {
    const nameWithEquals = 'a name cannot contain "=": the child would read everything after the first "=" as the value';
    assert.deepEqual(errorLines({ ...base(), env: ['A=1', { name: 'LANG=X', value: 'C' }] }), [`env[1]: ${nameWithEquals}`]);
    assert.deepEqual(errorLines({ ...base(), env: [{ name: '=X', value: '' }] }), [`env[0]: ${nameWithEquals}`]);
    // Anything else in an entry's place is neither text nor bytes.
    assert.deepEqual(errorLines({ ...base(), env: [{ name: 'A', value: 1 }, { name: 'A', value: 'x' }] }), [
      'env[0]: expected a string, or {"hex": "..."} for bytes that are not UTF-8',
      'env[1]: expected a string, or {"hex": "..."} for bytes that are not UTF-8',
    ]);
  });

  test('wrong version, mode, file type, engine method and booleans', () => {
    assert.deepEqual(errorLines({ ...base(), version: 2 }), ['version: expected 1']);
    assert.deepEqual(
      errorLines({ ...base(), files: [{ type: 'file', path: '/tmp/x', mode: 'x' }, { type: 'socket' }, {}] }),
      [
        'files[0].mode: expected one of "r", "w", "a", "rw"',
        'files[1].type: expected one of "null", "pipe", "inherit", "file", "closed", "pty"',
        'files[2].type: required',
      ],
    );
    assert.deepEqual(errorLines({ ...base(), engine: { method: 'spawn' } }), ['engine.method: expected one of "vfork", "fork"']);
    assert.deepEqual(errorLines({ ...base(), sys: { setsid: 'yes' } }), ['sys.setsid: expected a boolean']);
  });

  test('credential IDs outside uid_t and timeoutMs below 1', () => {
    assert.deepEqual(errorLines({ ...base(), sys: { credential: { uid: -1, gid: 2 ** 32 } } }), [
      'sys.credential.uid: expected an integer from 0 to 4294967294',
      'sys.credential.gid: expected an integer from 0 to 4294967294',
    ]);
    assert.deepEqual(errorLines({ ...base(), timeoutMs: 0 }), ['timeoutMs: expected an integer >= 1']);
  });

  test('a huge number, past what a double holds exactly: one clear problem, not one per bound', () => {
    const tooBig = 'expected an integer from 1 to 2147483647';
    for (const timeoutMs of [99999999999999, 99999999999999999999, Number.MAX_VALUE]) {
      assert.deepEqual(errorLines({ ...base(), timeoutMs }), [`timeoutMs: ${tooBig}`], String(timeoutMs));
    }
    assert.deepEqual(errorLines({ ...base(), timeoutMs: -99999999999999999999 }), ['timeoutMs: expected an integer >= 1']);
    assert.deepEqual(errorLines({ ...base(), files: [{ type: 'inherit', fd: 2 ** 60 }] }), [
      'files[0].fd: expected an integer from 0 to 2147483647',
    ]);
    assert.deepEqual(errorLines({ ...base(), sys: { credential: { uid: 2 ** 60, gid: -(2 ** 60) } } }), [
      'sys.credential.uid: expected an integer from 0 to 4294967294',
      'sys.credential.gid: expected an integer from 0 to 4294967294',
    ]);
  });

  test('a uid or gid of 4294967295, (uid_t)-1: setuid, setgid and setgroups refuse it with EINVAL', () => {
    const credential = { uid: 4294967295, gid: 4294967295, groups: [10, 4294967295] };
    assert.deepEqual(errorLines({ ...base(), sys: { credential } }), [
      'sys.credential.uid: 4294967295 is (uid_t)-1, which setuid refuses (EINVAL; -1 means "unchanged" only to setresuid): expected an integer from 0 to 4294967294',
      'sys.credential.gid: 4294967295 is (gid_t)-1, which setgid refuses (EINVAL; -1 means "unchanged" only to setresgid): expected an integer from 0 to 4294967294',
      'sys.credential.groups[1]: 4294967295 is (gid_t)-1, which setgroups refuses (EINVAL): expected an integer from 0 to 4294967294',
    ]);
    assert.deepEqual(errorLines({ ...base(), sys: { credential: { uid: 4294967294, gid: 4294967294, groups: [4294967294] } } }), []);
  });

  test('not an object at all', () => {
    assert.deepEqual(errorLines(null), ['expected an object']);
    assert.deepEqual(errorLines([]), ['expected an object']);
  });

  test('with schema errors there is no profile and no warning', () => {
    const check = checkProfile({ ...base(), args: [], path: '' }, fakeHost());
    assert.deepEqual(check.errors.map(formatProblem), ['path: must not be empty']);
    assert.equal(check.profile, undefined);
    assert.deepEqual(check.warnings, []);
  });

  test('with host errors there is no profile, but the warnings are computed', () => {
    const check = checkProfile({ ...base(), args: [], files: [{ type: 'inherit', fd: 9 }] }, fakeHost());
    assert.deepEqual(check.errors.map(formatProblem), ['files[0].fd: host fd 9 is not open']);
    assert.equal(check.profile, undefined);
    assert.deepEqual(check.warnings.map((w) => w.path), ['args', 'files']);
  });
});

describe('defaults', () => {
  test('a minimal profile gets every default', () => {
    const check = checkProfile({ version: 1, name: 'min', path: 'true', args: ['true'] }, fakeHost());
    assert.deepEqual(check.errors, []);
    assert.deepEqual(check.profile, {
      version: 1,
      name: 'min',
      path: 'true',
      args: ['true'],
      inheritEnv: false,
      env: [],
      secrets: [],
      files: [],
      stopScope: 'child',
      sys: {
        ambientCaps: [],
        noNewPrivs: false,
        ptrace: false,
        setsid: false,
        setpgid: false,
        pgid: 0,
        setctty: false,
        noctty: false,
        foreground: false,
        ctty: 0,
        ...MODERN_DEFAULTS,
      },
      engine: { method: 'vfork', order: 'seed', closeOtherFds: true, resetSignals: true },
    });
  });

  test('ctty past the files with setctty or foreground: an error at the field, as Go refuses it before the clone', () => {
    const pty = { type: 'pty' };
    assert.deepEqual(errorLines({ ...base(), files: [pty, pty, pty], sys: { setsid: true, setctty: true, ctty: 3 } }), [
      'sys.setctty: ctty is child fd 3, but files has 3 entries (fds 0 to 2): Go refuses this before it creates the child ("Setctty set but Ctty not valid in child"), and so does the lab',
    ]);
    assert.deepEqual(errorLines({ ...base(), files: [], sys: { foreground: true } }), [
      "sys.foreground: ctty is child fd 0, but files is empty: foreground needs the terminal among the child's files",
    ]);
    assert.deepEqual(errorLines({ ...base(), files: [pty], sys: { ctty: 7 } }), [], 'ctty alone asks for nothing');
    assert.match(errorLines({ ...base(), files: [pty], sys: { setsid: true, setctty: true, foreground: true } }).join(), /^sys\.foreground: foreground and setctty together cannot work.*both Setctty and Foreground set in SysProcAttr/);
  });

  test('the modern fields: each bad value named at its path', () => {
    const sys = (s: object) => errorLines({ ...base(), sys: s });
    assert.deepEqual(sys({ umask: '0999' }), ['sys.umask: expected an octal mode from 0 to 777, e.g. "027"']);
    assert.deepEqual(sys({ nice: 20, oomScoreAdj: -1001 }), ['sys.nice: expected an integer from -20 to 19', 'sys.oomScoreAdj: expected an integer from -1000 to 1000']);
    assert.deepEqual(sys({ pdeathsig: 'SIGNOPE' }).length, 1);
    assert.match(sys({ pdeathsig: 'SIGNOPE' })[0]!, /^sys\.pdeathsig: expected one of "SIGHUP", /);
    assert.match(sys({ cloneflags: ['CLONE_NEWUSER', 'CLONE_NEWFOO'] })[0]!, /^sys\.cloneflags\[1\]: expected one of "CLONE_NEWUSER", /);
    assert.deepEqual(sys({ unshareflags: ['CLONE_NEWNS', 'CLONE_NEWNS'] }), ['sys.unshareflags: names one twice']);
    assert.match(sys({ ambientCaps: ['CAP_NET_BIND'] })[0]!, /^sys\.ambientCaps\[0\]: expected one of "CAP_CHOWN", /);
    assert.deepEqual(sys({ uidMappings: [{ containerId: 0, hostId: 1000, size: 0 }] }), ['sys.uidMappings[0].size: expected an integer >= 1']);
    assert.deepEqual(sys({ gidMappings: [{ containerId: 0, hostId: 1000 }] }), ['sys.gidMappings[0].size: required']);
    assert.deepEqual(sys({ rlimits: { NOFILE: { soft: 128, hard: 64 } } }), ['sys.rlimits.NOFILE.soft: soft is above hard: setrlimit refuses it (EINVAL)']);
    assert.deepEqual(sys({ rlimits: { NOFILE: { soft: 'unlimited', hard: 64 } } }), ['sys.rlimits.NOFILE.soft: soft is above hard: setrlimit refuses it (EINVAL)']);
    assert.deepEqual(sys({ rlimits: { CORE: { soft: 0, hard: 'unlimited' } } }), []);
    assert.deepEqual(sys({ rlimits: { CORE: { soft: -1, hard: 'infinity' } } }), [
      'sys.rlimits.CORE.soft: expected an integer >= 0 or "unlimited"',
      'sys.rlimits.CORE.hard: expected an integer >= 0 or "unlimited"',
    ]);
    assert.match(sys({ rlimits: { FILES: { soft: 1, hard: 1 } } })[0]!, /^sys\.rlimits\.FILES: unknown resource: expected one of "CPU", /);
    assert.deepEqual(sys({ cpuAffinity: [0, -1, 1024] }), ['sys.cpuAffinity[1]: expected an integer from 0 to 1023', 'sys.cpuAffinity[2]: expected an integer from 0 to 1023']);
    assert.match(errorLines({ ...base(), engine: { order: 'posix' } })[0]!, /^engine\.order: expected one of "seed", "go"/);
  });

  test('nested defaults: file flags, the rest of sys and engine, credential groups', () => {
    const profile = checkProfile(
      {
        ...base(),
        files: [{ type: 'file', path: '/tmp/x', mode: 'a' }, { type: 'pipe' }, { type: 'pipe' }],
        sys: { setsid: true, credential: { uid: 65534, gid: 65534 } },
        engine: { method: 'fork' },
      },
      fakeHost(),
    ).profile;
    assert.deepEqual(profile?.files[0], { type: 'file', path: '/tmp/x', mode: 'a', create: false, truncate: false });
    assert.deepEqual(profile?.sys, {
      setsid: true,
      credential: { uid: 65534, gid: 65534, groups: [], noSetGroups: false },
      ambientCaps: [],
      noNewPrivs: false,
      ptrace: false,
      setpgid: false,
      pgid: 0,
      setctty: false,
      noctty: false,
      foreground: false,
      ctty: 0,
      ...MODERN_DEFAULTS,
    });
    assert.deepEqual(profile?.engine, { method: 'fork', order: 'seed', closeOtherFds: true, resetSignals: true });
  });

  test('a checked profile cannot be changed, so no caller changes what another gets', () => {
    const first = checkProfile({ ...base() }, fakeHost()).profile!;
    assert.throws(() => first.env.push('LEAK=1'), TypeError);
    assert.throws(() => Object.assign(first.engine, { method: 'fork' }), TypeError);
    assert.deepEqual(checkProfile({ ...base() }, fakeHost()).profile?.env, []);
  });
});

describe('teaching warnings', () => {
  const pty = { type: 'pty' };
  const ptyOnStdio = () => ({ ...base(), files: [pty, pty, pty] });

  test('setctty without setsid', () => {
    const input = { ...ptyOnStdio(), sys: { setctty: true } };
    assert.deepEqual(warningPaths(input), ['sys.setctty']);
    assert.match(warningText(input), /session leader.*EPERM/);
  });

  test('setctty with setsid and a pty on fd 0: no warning', () => {
    assert.deepEqual(warningPaths({ ...ptyOnStdio(), sys: { setsid: true, setctty: true } }), []);
  });

  test('setctty on an fd that is not a terminal', () => {
    const devNull = { ...base(), sys: { setsid: true, setctty: true } };
    assert.deepEqual(warningPaths(devNull), ['sys.setctty']);
    assert.match(warningText(devNull), /fd 0 is \/dev\/null.*ENOTTY/);


    const closed = { ...ptyOnStdio(), files: [pty, pty, pty, { type: 'closed' }], sys: { setsid: true, setctty: true, ctty: 3 } };
    assert.match(warningText(closed), /fd 3 is closed.*EBADF/);
  });

  test('setctty on an inherited host fd: a warning unless the host fd is a terminal', () => {
    const input = { ...ptyOnStdio(), files: [pty, pty, pty, { type: 'inherit', fd: 7 }], sys: { setsid: true, setctty: true, ctty: 3 } };
    const terminal = fakeHost({ fds: { 7: { open: true, terminal: true } } });
    const notTerminal = fakeHost({ fds: { 7: { open: true, terminal: false } } });
    assert.deepEqual(warningPaths(input, terminal), []);
    assert.deepEqual(warningPaths(input, notTerminal), ['sys.setctty']);
    assert.match(warningText(input, notTerminal), /fd 3 inherits the lab.s fd 7, which is not a terminal/);
  });

  test('noctty without a terminal on fd 0', () => {
    const input = { ...base(), sys: { noctty: true } };
    assert.deepEqual(warningPaths(input), ['sys.noctty']);
    assert.match(warningText(input), /ENOTTY/);
  });

  test('noctty with the host terminal on fd 0: no warning', () => {
    const host = fakeHost({ fds: { 0: { open: true, terminal: true } } });
    const input = { ...base(), files: [{ type: 'inherit', fd: 0 }, { type: 'pipe' }, { type: 'pipe' }], sys: { noctty: true } };
    assert.deepEqual(warningPaths(input, host), []);
  });

  test('noctty when the child has no controlling terminal to give up', () => {
    // The run's own pty is a terminal, but not the child's controlling one.
    assert.deepEqual(warningPaths({ ...ptyOnStdio(), sys: { noctty: true } }), ['sys.noctty']);
    const afterSetsid = { ...ptyOnStdio(), sys: { setsid: true, noctty: true } };
    assert.deepEqual(warningPaths(afterSetsid), ['sys.noctty']);
    assert.match(warningText(afterSetsid), /setsid.*ENOTTY/);
  });

  test('setsid with setpgid', () => {
    const input = { ...base(), sys: { setsid: true, setpgid: true } };
    assert.deepEqual(warningPaths(input), ['sys.setpgid']);
    assert.match(warningText(input), /setpgid\(0, 0\): expect EPERM/);
    assert.deepEqual(warningPaths({ ...base(), sys: { setpgid: true } }), []);
    assert.deepEqual(warningPaths({ ...base(), sys: { setsid: true } }), []);
  });

  test('credential when not root', () => {
    const input = { ...base(), sys: { credential: { uid: 65534, gid: 65534 } } };
    assert.deepEqual(warningPaths(input, fakeHost({ isRoot: false })), ['sys.credential']);
    assert.match(warningText(input, fakeHost({ isRoot: false })), /CAP_SETUID.*EPERM at setgroups/);
    assert.deepEqual(warningPaths(input, fakeHost({ isRoot: true })), []);
    const noSetGroups = { ...base(), sys: { credential: { uid: 1, gid: 1, noSetGroups: true } } };
    assert.match(warningText(noSetGroups, fakeHost({ isRoot: false })), /EPERM at setgid or setuid/);
  });

  test('chroot when not root', () => {
    const input = { ...base(), sys: { chroot: '/srv/jail' } };
    assert.deepEqual(warningPaths(input, fakeHost({ isRoot: false })), ['sys.chroot']);
    assert.match(warningText(input, fakeHost({ isRoot: false })), /CAP_SYS_CHROOT.*EPERM/);
    assert.deepEqual(warningPaths(input, fakeHost({ isRoot: true })), []);
    // As in Go, an empty chroot means no chroot.
    assert.deepEqual(warningPaths({ ...base(), sys: { chroot: '' } }, fakeHost({ isRoot: false })), []);
  });

  test('a relative program path after chroot', () => {
    const byName = { ...base(), path: 'ls', sys: { chroot: '/srv/jail' } };
    assert.deepEqual(warningPaths(byName), ['path']);
    assert.match(warningText(byName), /PATH on the host.*inside \/srv\/jail/);
    const relative = { ...base(), path: 'bin/ls', sys: { chroot: '/srv/jail' } };
    assert.deepEqual(warningPaths(relative), ['path']);
    assert.match(warningText(relative), /chroot does not change/);
    assert.deepEqual(warningPaths({ ...base(), path: '/bin/ls', sys: { chroot: '/srv/jail' } }), []);
    assert.deepEqual(warningPaths({ ...base(), path: 'ls' }), []);
  });

  test('empty argv', () => {
    const input = { ...base(), args: [] };
    assert.deepEqual(warningPaths(input), ['args']);
    assert.match(warningText(input), /argv\[0\]/);
  });

  test('fewer than 3 files: the child closes the missing standard fds', () => {
    assert.deepEqual(warningPaths({ ...base(), files: [] }), ['files']);
    assert.match(warningText({ ...base(), files: [] }), /closes fds 0, 1 and 2 .*lands on fd 0/);
    const two = { ...base(), files: [{ type: 'null' }, { type: 'pipe' }] };
    assert.match(warningText(two), /closes fd 2 .*standard error/);
  });

  test('fd 0, 1 or 2 marked closed', () => {
    const input = { ...base(), files: [{ type: 'null' }, { type: 'closed' }, { type: 'pipe' }, { type: 'closed' }] };
    assert.deepEqual(warningPaths(input), ['files[1]']);
    assert.match(warningText(input), /standard output/);
  });

  test('the modern fields: the pitfalls people hit, each at its field', () => {
    const nobody = fakeHost({ isRoot: false });
    const sys = (s: object, host = fakeHost()) => checkProfile({ ...base(), sys: s }, host).warnings;
    const only = (s: object, host = fakeHost()) => sys(s, host).map((w) => `${w.path}: ${w.message}`);
    const map = (hostId: number) => [{ containerId: 0, hostId, size: 1 }];

    assert.match(only({ pdeathsig: 'SIGKILL' }).join(), /^sys\.pdeathsig: SIGKILL is sent when the thread that created the child ends, not the process .*go#27505.*LockOSThread/);
    assert.match(only({ unshareflags: ['CLONE_NEWPID'] }).join(), /^sys\.unshareflags: unshare\(CLONE_NEWPID\) does not move the caller.*go#19716/);
    assert.match(only({ cloneflags: ['CLONE_NEWNS'] }).join(), /^sys\.cloneflags: A mount namespace made by clone still shares/);
    assert.deepEqual(sys({ unshareflags: ['CLONE_NEWNS'] }), [], 'unshare makes / private');
    assert.match(only({ uidMappings: map(0) }).join(), /^sys\.uidMappings: uidMappings are written only for a new user namespace/);

    // Through unshare the child maps itself: only its own ids, root included.
    assert.match(only({ unshareflags: ['CLONE_NEWUSER'], uidMappings: map(1000) }).join(), /^sys\.uidMappings: The child writes its own uid_map after unshare, and may then map only its own uid \(0\)/);
    assert.deepEqual(sys({ unshareflags: ['CLONE_NEWUSER'], uidMappings: map(0), gidMappings: map(0) }), []);
    assert.match(only({ unshareflags: ['CLONE_NEWUSER'], gidMappings: map(0), gidMappingsEnableSetgroups: true }).join(), /^sys\.gidMappings: .*only after denying setgroups.*go#10626/);

    // Through clone the lab maps: anything as root, its own ids otherwise.
    assert.deepEqual(sys({ cloneflags: ['CLONE_NEWUSER'], uidMappings: map(1000), gidMappings: map(1000) }), []);
    assert.deepEqual(only({ cloneflags: ['CLONE_NEWUSER'], uidMappings: map(0), gidMappings: map(1000) }, nobody), [
      'sys.uidMappings: A lab that is not root may map only its own uid (1000), with size 1: expect EPERM at userns.',
    ]);
    assert.match(only({ ambientCaps: ['CAP_NET_RAW'] }, nobody).join(), /^sys\.ambientCaps: .*expect EPERM at ambientCaps/);
    // setgroups is denied in the new namespace: a credential must skip it.
    const inNamespace = { cloneflags: ['CLONE_NEWUSER'], uidMappings: map(1000), gidMappings: map(1000) };
    assert.match(only({ ...inNamespace, credential: { uid: 0, gid: 0, groups: [10] } }).join(), /^sys\.credential: The credential sets supplementary groups, which the new user namespace denies.*EPERM at setgroups/);
    assert.deepEqual(sys({ ...inNamespace, credential: { uid: 0, gid: 0 } }), [], 'no groups: setgroups is skipped, as Go skips it');
    assert.deepEqual(sys({ ...inNamespace, credential: { uid: 0, gid: 0, groups: [10], noSetGroups: true } }), []);
    assert.deepEqual(sys({ ambientCaps: ['CAP_NET_RAW'] }), []);
  });

  test('foreground: the lab\'s own terminal at ctty, not a new pty', () => {
    const input = (file: object) => ({ ...base(), files: [file, { type: 'null' }, { type: 'null' }], sys: { foreground: true } });
    const tty = fakeHost({ fds: { 0: { open: true, terminal: true } } });
    assert.deepEqual(checkProfile(input({ type: 'inherit', fd: 0 }), tty).warnings, []);
    assert.match(warningText(input({ type: 'pty' })), /fd 0 is this run's new pty, which is no one's controlling terminal yet: expect ENOTTY.*setsid and setctty instead/);
    assert.match(warningText(input({ type: 'null' })), /foreground needs the lab's controlling terminal at fd 0 \(ctty\), but fd 0 is \/dev\/null: expect ENOTTY/);
  });

  test('resetSignals off: what the lab ignores, the program inherits', () => {
    assert.match(warningText({ ...base(), engine: { resetSignals: false } }), /Node ignores SIGPIPE/);
    assert.deepEqual(warningPaths({ ...base(), engine: { resetSignals: false } }), ['engine.resetSignals']);
  });

  test('warnings come in field order, each at its own path', () => {
    const input = {
      ...base(),
      path: 'ls',
      args: [],
      files: [{ type: 'closed' }],
      sys: { chroot: '/srv/jail', credential: { uid: 1, gid: 1 }, setsid: true, setpgid: true, noctty: true, setctty: true },
    };
    assert.deepEqual(warningPaths(input, fakeHost({ isRoot: false })), [
      'path',
      'args',
      'files',
      'files[0]',
      'sys.chroot',
      'sys.credential',
      'sys.setpgid',
      'sys.noctty',
      'sys.setctty',
    ]);
  });
});
