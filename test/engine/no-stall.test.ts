// Nothing one launch does may hold up another launch, a kill, a timeout or shutdown, and
// what a run reports is what was seen (issue 10): signal floods on a traced child before
// its execve, FIFOs that wait for their other end, an inherited fd closed by the caller
// right after launch(), a child killed in the middle of its setup.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import { LabService } from '../../src/main/lab/service';
import type { Profile } from '../../src/shared/profile';
import type { RunResult, WaitStatus } from '../../src/shared/result';
import { METHODS, runProfile, scratchDir } from '../support/probe';
import { floodGroup } from '../support/signal-flood';

const EXITED_0: WaitStatus = { kind: 'exited', code: 0 };
const root = path.resolve(__dirname, '../..');

// Runs test/support/flooded-lab.ts in a process group of its own while another process
// floods that group with signals; its result lines, parsed.
async function floodedLab(method: string, files: number, count: number): Promise<{ lines: Record<string, unknown>[]; sent: number }> {
  const lab = spawn(process.execPath, ['--import', 'tsx', 'test/support/flooded-lab.ts', method, String(files), String(count)], {
    cwd: root,
    detached: true,  // its own process group, as a terminal gives a job
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let flood: ReturnType<typeof floodGroup> | undefined;
  lab.stdout.on('data', (d: Buffer) => {
    out += d;
    if (flood || !out.includes('ready\n')) return;
    flood = floodGroup(lab.pid!, ['SIGWINCH', 'SIGURG', 'SIGCHLD'], 60_000);
    void flood.started.then(() => lab.stdin.end('go\n'));
  });
  const hung = setTimeout(() => process.kill(-lab.pid!, 'SIGKILL'), 40_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => lab.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(hung);
  const sent = (await flood?.stop()) ?? 0;
  const lines = out.split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(signal, null, `the lab hung and was killed after ${lines.length} results (${sent} signals sent)`);
  assert.equal(code, 0);
  return { lines, sent };
}

describe('a flood of signals on the lab\'s process group', () => {
  for (const method of METHODS) {
    for (const [files, count] of [[3, 40], [400, 10]] as const) {
      test(`ptrace launches with ${files} files all end, and a plain launch after them (${method})`, { timeout: 60_000 }, async () => {
        const { lines, sent } = await floodedLab(method, files, count);
        assert.equal(lines.length, count + 1, `${lines.length - 1} of ${count} results`);
        for (const line of lines.slice(0, count)) {
          assert.deepEqual(line.status, EXITED_0, JSON.stringify(line));
          assert.equal(line.execError, null);
        }
        const last = lines.at(-1) as { plain: unknown; killed: unknown; killMs: number };
        assert.deepEqual([last.plain, last.killed], [EXITED_0, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false }]);
        assert.ok(last.killMs < 1000, `a kill took ${last.killMs} ms`);
        assert.ok(sent > 1000, `only ${sent} signals were sent`);
        const answered = lines.slice(0, count).reduce((n, l) => n + (l.answered as number), 0);
        console.log(`# ${method}, ${files} files: ${sent} signals sent, ${answered} stops before execve answered by the engine`);
      });
    }
  }
});

function mkfifo(dir: string, name: string): string {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', ['-m', '600', fifo]);
  return fifo;
}

const cat = (files: Profile['files'], extra: Partial<Profile> = {}): Profile => ({
  version: 1, name: 'cat', path: '/bin/cat', args: ['cat'], files, ...extra,
});

describe('a FIFO in files[]', () => {
  test('with no writer: its timeout (from launch()) ends the launch at open, and another launch is not held up', { timeout: 10_000 }, async (t) => {
    const fifo = mkfifo(scratchDir(t), 'in');
    const started = Date.now();
    const stuck = launch(cat([{ type: 'file', path: fifo, mode: 'r' }, { type: 'pipe' }, { type: 'pipe' }], { timeoutMs: 1000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const plainStart = Date.now();
    const plain = await runProfile({ version: 1, name: 'plain', path: '/bin/echo', args: ['echo', 'meanwhile'], files: [{ type: 'null' }, { type: 'pipe' }] });
    assert.ok(Date.now() - plainStart < 1000, `a plain launch took ${Date.now() - plainStart} ms beside the stuck one`);
    assert.equal(plain.output['1'], 'meanwhile\n');
    const result = await stuck.result;
    const took = Date.now() - started;
    assert.ok(took >= 1000 && took < 2500, `the timed-out launch took ${took} ms`);
    assert.equal(result.pid, null);
    assert.equal(result.timedOut, true);
    assert.equal(result.status, null);
    assert.deepEqual(
      { step: result.execError?.step, code: result.execError?.code, file: result.execError?.file },
      { step: 'open', code: 'ECANCELED', file: 0 },
    );
    assert.match(result.execError!.message, /files\[0\] was still being opened when its timeout ended the launch/);
  });

  test('with no reader: kill() ends the launch at once', { timeout: 10_000 }, async (t) => {
    const fifo = mkfifo(scratchDir(t), 'out');
    const run = launch(cat([{ type: 'null' }, { type: 'file', path: fifo, mode: 'w' }, { type: 'pipe' }]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const asked = Date.now();
    assert.deepEqual(await run.kill('SIGKILL'), { ok: true });
    const result = await run.result;
    assert.ok(Date.now() - asked < 500);
    assert.equal(result.timedOut, false);
    assert.deepEqual([result.pid, result.execError?.step, result.execError?.code, result.execError?.file], [null, 'open', 'ECANCELED', 1]);
  });

  test('the launch waits for the other end as open(2) does, and the child reads what the writer wrote', { timeout: 10_000 }, async (t) => {
    const fifo = mkfifo(scratchDir(t), 'in');
    const run = launch(cat([{ type: 'file', path: fifo, mode: 'r' }, { type: 'pipe' }, { type: 'pipe' }], { timeoutMs: 5000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(run.pid, null, 'no child before the FIFO has a writer');
    writeFileSync(fifo, 'through the fifo\n');  // opens it for writing: the launch goes on
    const result = await run.result;
    assert.equal(result.execError, null);
    assert.deepEqual(result.status, EXITED_0);
    assert.equal(result.output['1'], 'through the fifo\n');
  });

  test('shutdown during a stuck launch: dispose() ends it and returns', { timeout: 10_000 }, async (t) => {
    const dir = scratchDir(t);
    const fifo = mkfifo(dir, 'in');
    const service = await LabService.open({ profilesDir: path.join(dir, 'profiles') });
    const launched = await service.launch(cat([{ type: 'file', path: fifo, mode: 'r' }, { type: 'pipe' }, { type: 'pipe' }]));
    assert.ok(launched.ok, 'launch() answers before the child exists');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const asked = Date.now();
    assert.deepEqual(await service.dispose(), { notReaped: [] });
    assert.ok(Date.now() - asked < 1000, `dispose took ${Date.now() - asked} ms`);
  });
});

describe('an inherited fd', () => {
  for (const method of METHODS) {
    test(`closed by the caller right after launch(): the child still gets the file that was named (${method})`, async (t) => {
      const file = path.join(scratchDir(t), 'named');
      const fd = openSync(file, 'w');
      // Slot 2's pipe is opened after the call: it would take the freed number.
      const run = launch({
        version: 1, name: 'inherit', path: '/bin/sh', args: ['sh', '-c', 'echo to-fd-1; echo to-fd-2 >&2'],
        files: [{ type: 'null' }, { type: 'inherit', fd }, { type: 'pipe' }], engine: { method },
      });
      closeSync(fd);
      const result = await run.result;
      assert.equal(result.execError, null);
      assert.equal(readFileSync(file, 'utf8'), 'to-fd-1\n');
      assert.equal(result.output['2'], 'to-fd-2\n');
    });
  }
});

// Every op of the setup says what became of it, consistent with the verdict.
function assertDiedInSetup(result: RunResult): void {
  const error = result.execError!;
  assert.equal(error.code, 'DIED_IN_SETUP', JSON.stringify(error));
  assert.deepEqual(result.status, { kind: 'signaled', signal: 'SIGKILL', number: 9, coreDumped: false });
  const { op, of } = error.died!;
  assert.equal(of, result.plan.length);
  assert.equal(result.trace.length, result.plan.length, 'every op of the plan is accounted for');
  assert.ok(result.trace.slice(0, op).every((e) => e.state === 'done' && e.ok));
  assert.ok(['unknown', 'not-run'].includes(result.trace[op]!.state));
  assert.ok(result.trace.slice(op + 1).every((e) => e.state === 'not-run' && !e.ok));
  assert.equal(result.trace.at(-1)!.step, 'execve');
  // Killed inside its execve, before its point of no return (its comm unchanged), is a death
  // in the setup too: in its last op.
  assert.match(error.message, new RegExp(`^killed by SIGKILL: died during its setup, (in|before) op ${op + 1} of ${of} \\(.+\\), before its program ran$`));
}

describe('a child killed during its setup', () => {
  // 1,500 slots all taken from one descriptor below them: some 4,500 fd ops.
  const longSetup = (method: 'vfork' | 'fork', fd: number): Profile => ({
    version: 1, name: 'long setup', path: '/bin/true', args: ['true'], engine: { method },
    files: [{ type: 'null' }, ...Array.from({ length: 1499 }, () => ({ type: 'inherit' as const, fd }))],
  });

  for (const method of METHODS) {
    test(`never reported as exec'd; the trace shows each op done, in progress or not run (${method})`, { timeout: 30_000 }, async (t) => {
      const fd = openSync('/dev/null', 'r');
      t.after(() => closeSync(fd));
      let died = 0;
      for (let attempt = 0; attempt < 40 && died < 3; attempt++) {
        const run = launch(longSetup(method, fd));
        // Until it is gone, from the start: the kill reaches the child wherever it is, in
        // the vfork (through its pidfd, from this thread), in its setup or in its program.
        const poke = setInterval(() => void run.kill('SIGKILL'), 0.5);
        void run.kill('SIGKILL');
        const result = await run.result;
        clearInterval(poke);
        if (result.execError === null) {
          // Killed after its execve: every op done, the program ran.
          assert.ok(result.trace.every((e) => e.state === 'done'), JSON.stringify(result.trace.filter((e) => e.state !== 'done')));
          continue;
        }
        assertDiedInSetup(result);
        died++;
      }
      assert.ok(died > 0, 'no kill landed during the setup in 40 attempts');
    });
  }
});

// Holds the JS thread as a busy caller would: the engine's threads go on meanwhile.
function spinMicroseconds(us: number): void {
  const end = process.hrtime.bigint() + BigInt(us * 1000);
  while (process.hrtime.bigint() < end);
}

describe('a kill right after launch()', () => {
  const forever = (method: 'vfork' | 'fork'): Profile => ({
    version: 1, name: 'forever', path: '/bin/sleep', args: ['sleep', '60'], engine: { method }, files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
  });

  for (const method of METHODS) {
    // One kill each, whatever the run is doing when it comes: queued, in the clone (its pidfd
    // written and not yet installed: EBADF for a moment, which once lost the kill), in its
    // setup or its program. A kill that is lost leaves `sleep 60` running.
    test(`every one of 1,000 children, each killed once 0-400 µs after launch(), ends by SIGKILL, and every kill says it was sent (${method})`, { timeout: 60_000 }, async () => {
      for (let i = 0; i < 1000; i++) {
        const run = launch(forever(method));
        // Sent from 0 to 400 µs after launch(), the span of the spawner's work and the clone.
        spinMicroseconds((i * 37) % 400);
        const sent = run.kill('SIGKILL');
        let hung: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (hung = setTimeout(() => resolve('late'), 5_000)));
        const ended = await Promise.race([run.result, late]);
        clearTimeout(hung);
        if (ended === 'late') {
          if (run.pid !== null) process.kill(run.pid, 'SIGKILL');
          assert.fail(`launch ${i}: still running 5 s after its kill, which answered ${JSON.stringify(await sent)}`);
        }
        assert.deepEqual(await sent, { ok: true }, `launch ${i}`);
        assert.equal(ended.status?.kind === 'signaled' && ended.status.signal, 'SIGKILL', `launch ${i}: ${JSON.stringify(ended.status)}`);
      }
    });
  }
});
