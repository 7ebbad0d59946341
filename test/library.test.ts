// The library (contract §5): `require('proclab')` from plain Node.js — validate, plan, launch,
// live output and events, kill, the event loop left free while a child runs.
// Run: node --import tsx --test test/library.test.ts
import assert from 'node:assert/strict';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  cli,
  isAlive,
  lines,
  PROBE,
  probeProfile,
  scratchDir,
  sleep,
  stepsOf,
  TEST_TIMEOUT_MS,
  writeProfile,
  type ProbeReport,
} from './support/cli-helpers';

// The library's surface as the contract describes it (typed loosely on purpose: the tests
// use it the way a JavaScript caller would).
interface Problem {
  path: string;
  message: string;
}
interface RunEvent {
  atMs: number;
  kind: string;
  signal?: string;
}
interface RunResult {
  version: 1;
  pid: number | null;
  path: string;
  plan: { step: string; call: string }[];
  trace: { step: string; call: string; ok: boolean }[];
  execError: { step: string; errno: number; code: string; message: string } | null;
  events: RunEvent[];
  status: { kind: 'exited'; code: number } | { kind: 'signaled'; signal: string; number: number; coreDumped: boolean } | null;
  output: Record<string, string>;
  timedOut: boolean;
  durationMs: number;
}
interface ControlOutcome {
  ok: boolean;
  code?: string;
  message?: string;
}
interface Run {
  pid: number | null;
  started: Promise<number | null>;
  result: Promise<RunResult>;
  kill(signal?: string | number, options?: { group?: boolean }): Promise<ControlOutcome>;
  detach(signal?: string | number): Promise<ControlOutcome>;
}
interface Lab {
  validate(profile: unknown): { errors: Problem[]; warnings: Problem[] };
  plan(profile: unknown): { path: string | null; plan: { step: string; call: string }[] };
  launch(
    profile: unknown,
    handlers?: {
      onOutput?(fd: string, chunk: string): void;
      onEvent?(ev: RunEvent): void;
      saveOutput?(key: string): number | undefined;
      onOutputSaved?(key: string, errno: number): void;
    },
  ): Run;
}

// `require('proclab')` is the contract: the package resolves its own name through
// package.json "exports". (createRequire(__filename): the tests are CommonJS under tsx.)
const requireHere = createRequire(__filename);
const lab = requireHere('proclab') as Lab;

const T = { timeout: TEST_TIMEOUT_MS };

const report = (result: RunResult, key = '1'): ProbeReport => JSON.parse(result.output[key]) as ProbeReport;
const settled = <V>(p: Promise<V>) => {
  const state = { done: false };
  void p.then(() => (state.done = true));
  return state;
};
const formatProblem = (p: Problem) => (p.path ? `${p.path}: ${p.message}` : p.message);

describe("require('proclab')", () => {
  test('resolves through package.json "exports" to the library, loaded as its one bundle', T, () => {
    const lib = path.join(__dirname, '..', 'dist', 'main', 'lab');
    assert.equal(requireHere.resolve('proclab'), path.join(lib, 'library-bundle.js'));
    const required = requireHere('proclab') as Lab;
    for (const name of ['launch', 'plan', 'validate'] as const) assert.equal(typeof required[name], 'function', name);
    // The bundle, not the ~100 modules it is made of (library-bundle.ts falls back to them
    // only where the build made no bundle).
    assert.ok(existsSync(path.join(lib, 'library.cjs')));
    assert.equal(requireHere.cache[path.join(lib, 'index.js')], undefined);
  });
});

describe('lab.validate', () => {
  test('returns the same problems, as objects, that the CLI prints as errors', T, (t) => {
    const profile = probeProfile([], { bogus: 1 });
    (profile.files as unknown[]).push({ type: 'inherit', fd: -1 });
    const { errors, warnings } = lab.validate(profile);
    assert.deepEqual(errors, [
      { path: 'files[3].fd', message: 'expected an integer >= 0' },
      { path: 'bogus', message: 'unknown field "bogus"' },
    ]);
    assert.deepEqual(warnings, []);
    const r = cli(['validate', writeProfile(scratchDir(t), profile)]);
    assert.equal(r.status, 2);
    assert.deepEqual(
      lines(r.stderr),
      errors.map((p) => `error: ${formatProblem(p)}`),
    );
  });

  test('returns the same warnings the CLI prints (setctty without setsid)', T, (t) => {
    const profile = probeProfile([], {
      files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }],
      sys: { setctty: true },
    });
    const { errors, warnings } = lab.validate(profile);
    assert.deepEqual(errors, []);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].path, 'sys.setctty');
    assert.match(warnings[0].message, /setsid/);
    const r = cli(['validate', writeProfile(scratchDir(t), profile)]);
    assert.equal(r.status, 0);
    assert.deepEqual(
      lines(r.stderr),
      warnings.map((p) => `warning: ${formatProblem(p)}`),
    );
  });

  test('a good profile: no errors, no warnings', T, () => {
    assert.deepEqual(lab.validate(probeProfile()), { errors: [], warnings: [] });
  });
});

describe('lab.plan', () => {
  test('returns the plan, execve last, without launching', T, (t) => {
    const marker = path.join(scratchDir(t), 'launched');
    const planned = lab.plan(probeProfile(['--out-file', marker], { dir: '/', sys: { setsid: true } }));
    assert.equal(planned.path, PROBE);
    const steps = stepsOf(planned.plan);
    assert.ok(steps.indexOf('setsid') < steps.indexOf('chdir'), steps.join(' '));
    assert.ok(steps.indexOf('chdir') < steps.indexOf('fd'), steps.join(' '));
    assert.equal(steps.at(-1), 'execve');
    assert.equal(planned.plan.find((op) => op.step === 'chdir')!.call, 'chdir("/")');
    assert.equal(existsSync(marker), false, 'plan must not launch');
  });

  // The prediction of the descriptors a launch would open asked each number once per slot
  // (quadratic): 10,000 slots took about 25 s. Now well under a second; 3 s leaves room.
  test('plans 10,000 file slots at once, each on a fresh descriptor', T, () => {
    const files = [{ type: 'null' }, ...Array.from({ length: 9999 }, () => ({ type: 'file', path: '/etc/passwd', mode: 'r' }))];
    const started = performance.now();
    const planned = lab.plan({ version: 1, name: 'many files', path: '/bin/true', args: ['true'], files }) as ReturnType<Lab['plan']> & { slotFds: number[] };
    const ms = performance.now() - started;
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
    assert.equal(new Set(planned.slotFds).size, 10_000);
    assert.equal(planned.plan.filter((op) => op.step === 'fd').length, 10_000);
  });
});

describe('lab.launch', () => {
  test('onOutput streams fd 1 while the child runs; result is the run result; pid after started', T, async () => {
    const chunks: [string, string][] = [];
    let earlyAt: number | undefined;
    const run = lab.launch(probeProfile(['--say', '1:early', '--sleep', '300']), {
      onOutput(fd, chunk) {
        chunks.push([fd, chunk]);
        const sofar = chunks.filter(([k]) => k === '1').map(([, c]) => c).join('');
        if (earlyAt === undefined && sofar.includes('early\n')) earlyAt = performance.now();
      },
    });
    const pid = await run.started;
    assert.equal(typeof pid, 'number');
    assert.equal(run.pid, pid);
    const result = await run.result;
    const endAt = performance.now();

    // The probe writes "early" and then sleeps 300 ms: streamed text arrives well before the end.
    assert.ok(earlyAt !== undefined, 'onOutput never saw "early"');
    assert.ok(endAt - earlyAt >= 200, `"early" reached onOutput only ${Math.round(endAt - earlyAt)} ms before the result`);
    const fd1 = chunks.filter(([k]) => k === '1').map(([, c]) => c).join('');
    assert.equal(fd1, result.output['1'], 'onOutput saw exactly what the result holds');
    const [json, early] = lines(fd1);
    assert.equal(early, 'early');
    assert.equal((JSON.parse(json) as ProbeReport).pid, run.pid, "run.pid is the probe's own pid");

    assert.equal(result.version, 1);
    assert.equal(result.pid, pid);
    assert.equal(result.path, PROBE);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.equal(result.execError, null);
    assert.equal(result.timedOut, false);
    assert.deepEqual(result.events, []);
    assert.equal(result.output['2'], '');
    assert.deepEqual(stepsOf(result.trace), stepsOf(result.plan));
    assert.equal(result.trace.at(-1)!.step, 'execve');
    assert.equal(result.trace.at(-1)!.ok, true);
    assert.ok(result.durationMs >= 250, `durationMs ${result.durationMs}: the probe slept 300 ms`);
  });

  test('onEvent reports a ptrace stop; detaching from it lets the child run untraced', T, async () => {
    const seen: RunEvent[] = [];
    const run: Run = lab.launch(probeProfile([], { sys: { ptrace: true } }), {
      onEvent(ev) {
        seen.push(ev);
        if (ev.kind === 'stopped') void run.detach();
      },
    });
    const result = await run.result;
    assert.deepEqual(
      seen.map((e) => e.kind),
      ['stopped', 'detached'],
    );
    assert.equal(seen[0].signal, 'SIGTRAP');
    assert.deepEqual(result.events, seen);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    assert.equal(report(result).tracer, 0);
  });

  test('saveOutput: a captured pipe\'s bytes go to the file given, exactly as written', T, async (t) => {
    const file = path.join(scratchDir(t), 'fd1.bin');
    const ended: [string, number][] = [];
    const result = await lab.launch(
      { version: 1, name: 'bytes', path: '/bin/sh', args: ['sh', '-c', "printf 'caf\\351 \\377\\000'"], files: [{ type: 'null' }, { type: 'pipe' }] },
      { saveOutput: (key) => (key === '1' ? openSync(file, 'wx', 0o600) : undefined), onOutputSaved: (key, errno) => ended.push([key, errno]) },
    ).result;
    assert.ok(readFileSync(file).equals(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x00])));
    assert.equal(result.output['1'], 'caf\ufffd \ufffd\0', 'the result holds the text, decoded');
    assert.deepEqual(ended, [['1', 0]]);
  });

  test('an exec error is in the result, not thrown', T, async (t) => {
    const missing = path.join(scratchDir(t), 'nope');
    const result = await lab.launch(probeProfile([], { dir: missing })).result;
    assert.equal(result.execError?.step, 'chdir');
    assert.equal(result.execError?.code, 'ENOENT');
    assert.equal(result.execError?.errno, 2);
    assert.deepEqual(result.status, { kind: 'exited', code: 253 });
  });

  test('the event loop keeps running while a child sleeps', T, async () => {
    let ticks = 0;
    const interval = setInterval(() => ticks++, 20);
    try {
      const started = performance.now();
      const result = await lab.launch(probeProfile(['--quiet', '--sleep', '300'])).result;
      const elapsed = performance.now() - started;
      assert.deepEqual(result.status, { kind: 'exited', code: 0 });
      assert.ok(elapsed >= 280, `the run took ${Math.round(elapsed)} ms`);
      assert.ok(ticks >= 5, `only ${ticks} ticks of a 20 ms interval during a 300 ms child sleep`);
    } finally {
      clearInterval(interval);
    }
  });

  test('launching an invalid profile throws with .problems and starts nothing', T, (t) => {
    const marker = path.join(scratchDir(t), 'launched');
    const profile = probeProfile(['--out-file', marker], { path: '' });
    (profile.args as unknown[]).push(7);
    let thrown: unknown;
    try {
      lab.launch(profile);
    } catch (err) {
      thrown = err;
    }
    assert.ok(thrown instanceof Error, 'launch must throw');
    assert.deepEqual((thrown as Error & { problems: Problem[] }).problems, [
      { path: 'path', message: 'must not be empty' },
      { path: 'args[3]', message: 'expected a string, or {"hex": "..."} for bytes that are not UTF-8' },
    ]);
    assert.equal(existsSync(marker), false);
  });
});

describe('run.kill', () => {
  test("kill('SIGTERM') ends a sleeping probe: signaled SIGTERM 15", T, async () => {
    const run = lab.launch(probeProfile(['--quiet', '--sleep', '5000']));
    await run.started;
    assert.deepEqual(await run.kill('SIGTERM'), { ok: true });
    const result = await run.result;
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGTERM', number: 15, coreDumped: false });
    assert.equal(result.timedOut, false);
    assert.ok(result.durationMs < 3000, `durationMs ${result.durationMs}`);
  });

  test("kill('SIGTERM', {group: true}) with setpgid signals the child's own group", T, async () => {
    let reported!: () => void;
    const reportedPromise = new Promise<void>((resolve) => (reported = resolve));
    const run = lab.launch(probeProfile(['--sleep', '5000'], { sys: { setpgid: true } }), {
      onOutput: (fd, chunk) => fd === '1' && chunk.includes('\n') && reported(),
    });
    await reportedPromise; // the probe has run and is now sleeping
    assert.deepEqual(await run.kill('SIGTERM', { group: true }), { ok: true });
    const result = await run.result;
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGTERM', number: 15, coreDumped: false });
    const r = report(result);
    assert.equal(r.pgid, r.pid, 'the probe led its own process group');
  });

  test('group kill without setpgid/setsid: EPERM, and the child keeps running', T, async () => {
    const run = lab.launch(probeProfile(['--quiet', '--sleep', '5000']));
    const state = settled(run.result);
    const pid = await run.started;
    assert.equal(typeof pid, 'number');
    const outcome = await run.kill('SIGTERM', { group: true });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.code, 'EPERM');
    assert.equal(typeof outcome.message, 'string');
    await sleep(100);
    assert.equal(state.done, false, 'the run must still be going');
    assert.equal(isAlive(pid!), true, 'the child must still be alive');
    assert.deepEqual(await run.kill('SIGKILL'), { ok: true });
    const result = await run.result;
    assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
  });
});
