// The command line (contract §4): `node bin/proclab.js run|plan|validate|probe-path`, run the
// way a user runs it, checking exit statuses, the exact lines printed and what the child saw.
// Run: node --import tsx --test test/cli.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { releaseAtExecStop } from '../src/main/lab/ptrace-stops';
import {
  CLI,
  cli,
  isRoot,
  lines,
  parseWhole,
  PROBE,
  probeProfile,
  ROOT,
  scratchDir,
  SPAWN_TIMEOUT_MS,
  stepsOf,
  TEST_TIMEOUT_MS,
  writeProfile,
  type JsonObject,
  type ProbeReport,
} from './support/cli-helpers';

const T = { timeout: TEST_TIMEOUT_MS };

// `run FILE --json`: exit 0, the whole of stdout is one result object.
function runJson(file: string, extra: string[] = [], prefix?: string[]) {
  const r = cli(['run', file, '--json', ...extra], { prefix });
  assert.equal(r.status, 0, `run --json exited ${r.status}; stderr: ${r.stderr}`);
  assert.equal(lines(r.stdout).length, 1, `expected exactly one line on stdout: ${JSON.stringify(r.stdout)}`);
  const result = parseWhole(r.stdout);
  assert.equal(typeof result, 'object');
  assert.notEqual(result, null);
  assert.ok(!Array.isArray(result));
  assert.equal(result.version, 1);
  return { cli: r, result };
}

function probeReport(result: JsonObject, key = '1'): ProbeReport {
  const output = result.output as Record<string, string>;
  assert.equal(typeof output[key], 'string', `no output["${key}"] in ${JSON.stringify(result.output)}`);
  return JSON.parse(output[key]) as ProbeReport;
}

describe('proclab run --json', () => {
  test('prints exactly one result object; output["1"] is the probe report; plan and trace agree', T, (t) => {
    const dir = scratchDir(t);
    const args = ['proclab_probe', 'hello world'];
    const file = writeProfile(dir, probeProfile(['hello world']));
    const { cli: r, result } = runJson(file);

    assert.ok(r.stdout.endsWith('}\n'), 'stdout is the object and one newline');
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.equal(result.execError, null);
    assert.equal(result.timedOut, false);
    assert.equal(result.path, PROBE);
    assert.equal(typeof result.pid, 'number');

    const report = probeReport(result);
    assert.equal(report.pid, result.pid, 'the probe is the process the result names');
    assert.deepEqual(report.argv, args);
    assert.deepEqual(report.env, [], 'inheritEnv false and no env: an empty environment');
    assert.deepEqual(
      report.fds.map((f) => [f.fd, f.type, f.access]),
      [
        [0, 'chr', 'rw'],
        [1, 'fifo', 'w'],
        [2, 'fifo', 'w'],
      ],
      'exactly the three files of the profile: /dev/null, a pipe, a pipe',
    );
    assert.equal(report.fds[0].target, '/dev/null');
    assert.equal((result.output as Record<string, string>)['2'], '');

    const plan = result.plan as { step: string; call: string }[];
    const trace = result.trace as { step: string; call: string; ok: boolean }[];
    assert.ok(plan.length > 0);
    assert.deepEqual(stepsOf(trace), stepsOf(plan), 'the child executed the plan, step by step');
    assert.deepEqual(
      trace.map((e) => e.call),
      plan.map((op) => op.call),
    );
    assert.ok(trace.every((e) => e.ok === true));
    assert.equal(trace.at(-1)!.step, 'execve');
    assert.equal(trace.at(-1)!.ok, true);
  });

  test('chdir to a missing directory: execError at chdir ENOENT, status 253, exit 0', T, (t) => {
    const dir = scratchDir(t);
    const missing = path.join(dir, 'no-such-dir');
    const { result } = runJson(writeProfile(dir, probeProfile([], { dir: missing })));
    const e = result.execError as JsonObject;
    assert.equal(e.step, 'chdir');
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.errno, 2);
    assert.equal(e.message, 'No such file or directory');
    assert.deepEqual(result.status, { kind: 'exited', code: 253 });
    const trace = result.trace as JsonObject[];
    assert.deepEqual(trace.at(-1), {
      step: 'chdir',
      call: `chdir(${JSON.stringify(missing)})`,
      ok: false,
      state: 'failed',
      errno: 2,
      code: 'ENOENT',
    });
    assert.equal((result.output as Record<string, string>)['1'], '', 'the probe never ran');
  });

  test('a missing program path: execError at execve ENOENT, status 253, exit 0', T, (t) => {
    const dir = scratchDir(t);
    const missing = path.join(dir, 'no-such-program');
    const { result } = runJson(writeProfile(dir, probeProfile([], { path: missing })));
    const e = result.execError as JsonObject;
    assert.equal(e.step, 'execve');
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.errno, 2);
    assert.equal(typeof result.pid, 'number', 'a child was cloned; its execve failed');
    assert.deepEqual(result.status, { kind: 'exited', code: 253 });
    const trace = result.trace as JsonObject[];
    assert.equal(trace.at(-1)!.step, 'execve');
    assert.equal(trace.at(-1)!.ok, false);
  });

  test('a bare program name not in PATH: execError at lookup, pid null, exit 0', T, (t) => {
    const dir = scratchDir(t);
    // PATH is one empty directory, so the lookup cannot succeed.
    const profile = probeProfile([], { path: 'proclab-no-such-program', env: [`PATH=${dir}`] });
    const { result } = runJson(writeProfile(dir, profile));
    const e = result.execError as JsonObject;
    assert.equal(e.step, 'lookup');
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.errno, 2);
    assert.equal(result.pid, null, 'nothing was cloned');
    assert.deepEqual(result.trace, []);
  });

  test('--timeout 200 kills a sleeping probe with SIGKILL, quickly', T, (t) => {
    const dir = scratchDir(t);
    const { cli: r, result } = runJson(writeProfile(dir, probeProfile(['--sleep', '5000'])), ['--timeout', '200']);
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
    assert.ok(r.elapsedMs < 3000, `the whole command took ${Math.round(r.elapsedMs)} ms; the probe would sleep 5000`);
    assert.ok((result.durationMs as number) >= 150, `durationMs ${result.durationMs}: killed before the timeout`);
    // The probe printed its report before sleeping: it really ran.
    assert.equal(probeReport(result).pid, result.pid);
  });
});

describe('proclab run (streaming)', () => {
  test("streams the child's fd 1 to stdout and fd 2 to stderr, then a summary on stderr", T, (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile(['--quiet', '--say', '1:hello', '--say', '2:oops']));
    const r = cli(['run', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello\n');
    const err = lines(r.stderr);
    assert.equal(err[0], 'oops');
    assert.ok(err.includes('exited with status 0'), `stderr: ${r.stderr}`);
    // The child carried the lab's memory (tens of MiB of Node) until its execve: the summary says so.
    assert.match(err.at(-1)!, /^max RSS [\d.]+ (KiB|MiB) \(includes the lab's memory, which the child carried until its execve\)$/);
  });

  test("a child that failed before its execve: its max RSS is said to be the lab's memory", T, (t) => {
    const file = writeProfile(scratchDir(t), {
      version: 1,
      name: 'missing',
      path: '/nonexistent/program',
      args: ['program'],
      files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }],
    });
    const r = cli(['run', file]);
    assert.equal(r.status, 0, r.stderr);
    const err = lines(r.stderr);
    // Known beforehand, said before the launch; then what happened, and why.
    assert.deepEqual(err.slice(0, 3), [
      'warning: path: /nonexistent/program does not exist: expect ENOENT at execve (program-missing).',
      'exec error at step execve: ENOENT (No such file or directory)',
      '  why (program-missing): /nonexistent/program does not exist',
    ]);
    assert.match(err.at(-1)!, /^max RSS [\d.]+ (KiB|MiB) \(the lab's memory, which the child carried: it ended before its execve\)$/);
  });

  test('output appears while the child is still running', T, (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile(['--quiet', '--say', '1:early', '--sleep', '700']));
    return new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [CLI, 'run', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const killer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
      let out = '';
      let sawEarlyAt: number | undefined;
      let exitedBeforeOutput = false;
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (sawEarlyAt === undefined && out.includes('early')) {
          sawEarlyAt = performance.now() - started;
          if (child.exitCode !== null) exitedBeforeOutput = true;
        }
      });
      child.on('close', (code) => {
        clearTimeout(killer);
        try {
          assert.equal(code, 0);
          assert.equal(out, 'early\n');
          assert.equal(exitedBeforeOutput, false);
          const total = performance.now() - started;
          assert.ok(sawEarlyAt !== undefined);
          assert.ok(total - sawEarlyAt >= 400, `"early" came at ${Math.round(sawEarlyAt)} ms, the CLI ended at ${Math.round(total)} ms`);
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  });
});

describe('invalid profiles', () => {
  // Each case: the profile is invalid, `run` exits 2, prints exactly these lines on stderr,
  // nothing on stdout, and launches nothing (the probe would create the marker file).
  const cases: { name: string; change(p: JsonObject): void; errors: string[] }[] = [
    {
      name: 'a negative fd',
      change: (p) => (p.files as unknown[]).push({ type: 'inherit', fd: -1 }),
      errors: ['error: files[3].fd: expected an integer >= 0'],
    },
    {
      name: 'a non-integer fd',
      change: (p) => (p.files as unknown[]).push({ type: 'inherit', fd: 1.5 }),
      errors: ['error: files[3].fd: expected an integer >= 0'],
    },
    {
      name: 'an unknown field',
      change: (p) => (p.bogus = true),
      errors: ['error: bogus: unknown field "bogus"'],
    },
    {
      name: 'an unknown field inside files[1]',
      change: (p) => ((p.files as JsonObject[])[1].extra = 1),
      errors: ['error: files[1].extra: unknown field "extra"'],
    },
    {
      name: 'an empty path',
      change: (p) => (p.path = ''),
      errors: ['error: path: must not be empty'],
    },
    {
      name: 'args that are not strings',
      change: (p) => (p.args as unknown[]).push(42),
      errors: ['error: args[3]: expected a string, or {"hex": "..."} for bytes that are not UTF-8'],
    },
    {
      name: 'a NUL byte in an arg',
      change: (p) => (p.args as unknown[]).push('a\u0000b'),
      errors: ['error: args[3]: must not contain a NUL byte'],
    },
    {
      name: 'inherit of a host fd that is not open',
      change: (p) => (p.files as unknown[]).push({ type: 'inherit', fd: 987 }),
      errors: ['error: files[3].fd: host fd 987 is not open'],
    },
    {
      name: 'two problems: one line each',
      change: (p) => {
        (p.files as unknown[]).push({ type: 'inherit', fd: -1 });
        p.bogus = 1;
      },
      errors: ['error: files[3].fd: expected an integer >= 0', 'error: bogus: unknown field "bogus"'],
    },
  ];

  for (const c of cases) {
    test(`${c.name}: run exits 2, one stderr line per problem, nothing launched`, T, (t) => {
      const dir = scratchDir(t);
      const marker = path.join(dir, 'launched');
      const profile = probeProfile(['--out-file', marker]); // args[0..2]; a pushed arg is args[3]
      c.change(profile);
      const file = writeProfile(dir, profile);
      // The two-problem case also goes through `run` without --json and `plan`.
      const commands = c.errors.length > 1 ? [['run', '--json'], ['run'], ['validate'], ['plan']] : [['run', '--json'], ['validate']];
      for (const [command, ...extra] of commands) {
        const r = cli([command, file, ...extra]);
        assert.equal(r.status, 2, `${command} ${extra.join(' ')}: stderr ${r.stderr}`);
        assert.equal(r.stdout, '', command);
        assert.deepEqual(lines(r.stderr), c.errors, command);
        assert.equal(existsSync(marker), false, `${command}: the probe must not have run`);
      }
    });
  }

  test('a file that is not JSON: exit 2 with a line naming the file', T, (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, '{"version": 1, "name": oops');
    for (const args of [['run', file, '--json'], ['run', file], ['validate', file], ['plan', file]]) {
      const r = cli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      const err = lines(r.stderr);
      assert.equal(err.length, 1, r.stderr);
      assert.ok(err[0].startsWith(`${file}: not valid JSON`), err[0]);
    }
  });

  test('a file that does not exist: exit 2 with a line naming the file', T, (t) => {
    const file = path.join(scratchDir(t), 'absent.json');
    const r = cli(['run', file, '--json']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(lines(r.stderr).length, 1);
    assert.ok(r.stderr.startsWith(`${file}: `), r.stderr);
  });
});

describe('proclab validate', () => {
  test('a good profile: exit 0, prints "valid", launches nothing', T, (t) => {
    const dir = scratchDir(t);
    const marker = path.join(dir, 'launched');
    const r = cli(['validate', writeProfile(dir, probeProfile(['--out-file', marker]))]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'valid\n');
    assert.equal(r.stderr, '');
    assert.equal(existsSync(marker), false);
  });

  test('setctty without setsid: a teaching warning, still exit 0', T, (t) => {
    const dir = scratchDir(t);
    const profile = probeProfile([], {
      files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }],
      sys: { setctty: true },
    });
    const r = cli(['validate', writeProfile(dir, profile)]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('valid'), r.stdout);
    const err = lines(r.stderr);
    assert.equal(err.length, 1, r.stderr);
    assert.match(err[0], /^warning: sys\.setctty: .*setsid/);
  });
});

describe('proclab plan', () => {
  test('lists the steps, execve last, without launching', T, (t) => {
    const dir = scratchDir(t);
    const marker = path.join(dir, 'launched');
    const file = writeProfile(dir, probeProfile(['--out-file', marker], { dir: '/' }));
    const r = cli(['plan', file]);
    assert.equal(r.status, 0, r.stderr);
    const stepLines = lines(r.stdout)
      .map((l) => /^\s*\d+\.\s+(\S+)\s+(.*)$/.exec(l))
      .filter((m) => m !== null);
    const steps = stepLines.map((m) => m[1]);
    assert.ok(steps.includes('chdir'), r.stdout);
    assert.ok(steps.includes('fd'), r.stdout);
    assert.equal(steps.at(-1), 'execve');
    assert.ok(stepLines.at(-1)![2].startsWith(`execve(${JSON.stringify(PROBE)}`), stepLines.at(-1)![2]);
    assert.equal(existsSync(marker), false, 'plan must not launch');

    // The text and the --json plan list the same steps.
    const j = cli(['plan', file, '--json']);
    assert.equal(j.status, 0);
    assert.deepEqual(stepsOf(parseWhole(j.stdout).plan), steps);
    assert.equal(existsSync(marker), false, 'plan --json must not launch');
  });

  test('plan --json is the plan that run --json then reports', T, (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile([], { dir: '/', sys: { setpgid: true } }));
    const j = cli(['plan', file, '--json']);
    assert.equal(j.status, 0, j.stderr);
    const planned = parseWhole(j.stdout);
    assert.equal(planned.path, PROBE);
    const { result } = runJson(file);
    // Steps are compared exactly. The calls of `fd` steps name host descriptor numbers,
    // which depend on the descriptors each CLI process happens to have open, so only the
    // other steps' calls are compared.
    assert.deepEqual(stepsOf(planned.plan), stepsOf(result.plan));
    const fixedCalls = (ops: unknown) =>
      (ops as { step: string; call: string }[]).filter((op) => op.step !== 'fd').map((op) => op.call);
    assert.deepEqual(fixedCalls(planned.plan), fixedCalls(result.plan));
    assert.equal(stepsOf(result.plan).at(-1), 'execve');
  });
});

describe('ptrace through the CLI', () => {
  test('sys.ptrace: the CLI records the SIGTRAP stop, detaches, and the child runs untraced', T, (t) => {
    const dir = scratchDir(t);
    const { result } = runJson(writeProfile(dir, probeProfile([], { sys: { ptrace: true } })));
    const events = result.events as { kind: string; signal?: string }[];
    assert.deepEqual(
      events.map((e) => e.kind),
      ['stopped', 'detached'],
    );
    assert.equal(events[0].signal, 'SIGTRAP');
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.equal(result.execError, null);
    assert.ok(stepsOf(result.trace).includes('ptrace'));
    assert.equal(probeReport(result).tracer, 0, 'the probe ran after the detach');
  });

  test('a signal the traced child sends itself is delivered (trap USR1 runs)', T, (t) => {
    const file = writeProfile(scratchDir(t), {
      version: 1,
      name: 'usr1 under ptrace',
      path: '/bin/sh',
      args: ['sh', '-c', 'trap "echo got-usr1" USR1; kill -USR1 $$; echo done'],
      files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
      sys: { ptrace: true },
    });
    const r = cli(['run', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'got-usr1\ndone\n');
  });

  // Which signal each stop is answered with. With today's engine the exec stop is the only
  // one the CLI sees; a signal that stops the child first (one pending at exec, or a child
  // whose SIGTRAP is blocked) must still reach it.
  test('only the exec SIGTRAP is suppressed: any other stop signal is passed on', T, () => {
    const answers = (execError: JsonObject | null, stops: [string, number][]): string[] => {
      const calls: string[] = [];
      const answered = Promise.resolve({ ok: true });
      const onEvent = releaseAtExecStop({
        launched: { execError: execError as never },
        continue: (signal) => (calls.push(`continue ${signal}`), answered),
        detach: (signal) => {
          calls.push(`detach ${signal}`);
          onEvent({ atMs: 0, kind: 'detached' });
          return answered;
        },
      });
      for (const [signal, number] of stops) onEvent({ atMs: 0, kind: 'stopped', signal, number });
      return calls;
    };
    assert.deepEqual(answers(null, [['SIGTRAP', 5]]), ['detach 0'], 'the exec stop');
    assert.deepEqual(answers(null, [['SIGUSR1', 10], ['SIGTRAP', 5]]), ['continue 10', 'detach 0'], 'a signal before the exec stop');
    assert.deepEqual(answers(null, [['SIGTRAP', 5], ['SIGTSTP', 20]]), ['detach 0'], 'job control after the detach is not ours');
    assert.deepEqual(answers(null, [['SIGSTOP', 19]]), ['detach 19'], 'a stopping signal: it stops the child for real');
    const failed = { step: 'chdir', errno: 2, code: 'ENOENT', message: 'No such file or directory' };
    assert.deepEqual(answers(failed, [['SIGTRAP', 5]]), ['detach 5'], 'no exec, no exec stop: a SIGTRAP is a signal like any other');
  });
});

describe('proclab --version', () => {
  test('prints the version of package.json, exit 0', T, () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = cli([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
      assert.equal(r.stderr, '');
    }
  });
});

describe('proclab probe-path', () => {
  test('prints the path of an executable probe', T, () => {
    const r = cli(['probe-path']);
    assert.equal(r.status, 0);
    assert.equal(lines(r.stdout).length, 1);
    const probe = r.stdout.trim();
    assert.ok(path.isAbsolute(probe), probe);
    assert.ok(statSync(probe).isFile());
    accessSync(probe, constants.X_OK);
    // It is the probe: it reports its own pid as JSON and honours --exit.
    const run = spawnSync(probe, ['--exit', '3'], { encoding: 'utf8', timeout: SPAWN_TIMEOUT_MS });
    assert.equal(run.status, 3);
    assert.equal((JSON.parse(run.stdout) as ProbeReport).pid, run.pid);
  });
});

// ------------------------------------------------------------------ as a normal user

const NOBODY = 65534;
const SETPRIV = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];

// Why the normal-user tests cannot run here, or false when they can.
const normalUserSkip: string | false = (() => {
  if (!isRoot) return 'needs root: switching to uid 65534 with setpriv';
  const which = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
  if (which.error) return 'setpriv is not installed';
  // The repository (CLI, dist, node_modules, the probe) must be usable by uid 65534.
  const r = spawnSync(
    SETPRIV[0],
    [...SETPRIV.slice(1), process.execPath, CLI, 'probe-path'],
    { cwd: ROOT, encoding: 'utf8', timeout: SPAWN_TIMEOUT_MS },
  );
  if (r.status !== 0 || r.stdout.trim() !== PROBE) {
    return `the repository is not usable by uid ${NOBODY}: ${(r.stderr || r.error?.message || '').split('\n')[0]}`;
  }
  const x = spawnSync(SETPRIV[0], [...SETPRIV.slice(1), 'test', '-x', PROBE]);
  if (x.status !== 0) return `the probe is not executable by uid ${NOBODY}`;
  return false;
})();

describe(`as a normal user (uid ${NOBODY}, via setpriv)`, () => {
  // A directory that user can read, holding files it can read.
  function readableDir(t: { after(fn: () => void): void }): string {
    const dir = scratchDir(t);
    chmodSync(dir, 0o755);
    return dir;
  }
  const opts = { ...T, skip: normalUserSkip };

  test('a plain probe run works and the probe reports uid 65534', opts, (t) => {
    const { result } = runJson(writeProfile(readableDir(t), probeProfile()), [], SETPRIV);
    assert.equal(result.execError, null);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    const report = probeReport(result);
    assert.equal(report.uid, NOBODY);
    assert.equal(report.euid, NOBODY);
    assert.equal(report.gid, NOBODY);
    assert.deepEqual(report.groups, []);
  });

  // Each privileged step refuses an unprivileged caller: the run still exits 0 and says where.
  const refusals: [string, JsonObject, string][] = [
    ['credential {uid 0, gid 0}', { credential: { uid: 0, gid: 0 } }, 'setgroups'],
    ['credential with noSetGroups: setgid is the first to refuse', { credential: { uid: 0, gid: 0, noSetGroups: true } }, 'setgid'],
    ['credential keeping its own gid: setuid refuses', { credential: { uid: 0, gid: NOBODY, noSetGroups: true } }, 'setuid'],
    ['chroot', { chroot: '/' }, 'chroot'],
  ];
  for (const [what, sys, step] of refusals) {
    test(`sys.${what}: execError at ${step} EPERM, exit 0`, opts, (t) => {
      const { result } = runJson(writeProfile(readableDir(t), probeProfile([], { sys })), [], SETPRIV);
      const e = result.execError as JsonObject;
      assert.deepEqual([e.step, e.code, e.errno], [step, 'EPERM', 1]);
      assert.deepEqual(result.status, { kind: 'exited', code: 253 });
    });
  }
});
