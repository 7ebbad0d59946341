// Every SysProcAttr field and engine option, observed from inside the child.
import assert from 'node:assert/strict';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import type { RunEvent } from '../../src/shared/result';
import { isRoot, METHODS, PROBE, probe, probeProfile, PTY_SHELL, runProfile, scratchDir, type ProbeReport } from '../support/probe';
import { testHooks } from '../support/test-hooks';

const needsRoot = isRoot ? false : 'needs root: credentials and chroot are only for privileged users';

for (const method of METHODS) {
  describe(`session and group (${method})`, () => {
    test('setsid: the child leads a new session and group, without a terminal', async () => {
      const { report } = await probe(probeProfile({ sys: { setsid: true }, engine: { method } }));
      assert.equal(report.sid, report.pid);
      assert.equal(report.pgid, report.pid);
      assert.equal(report.tty.ctty, null);
    });

    test('setpgid: a new group in the lab session', async () => {
      const { report } = await probe(probeProfile({ sys: { setpgid: true }, engine: { method } }));
      assert.equal(report.pgid, report.pid);
      assert.notEqual(report.sid, report.pid);
    });

    test('neither: the child stays in the lab process group', async () => {
      const { report } = await probe(probeProfile({ engine: { method } }));
      assert.notEqual(report.pgid, report.pid);
      assert.equal(report.ppid, process.pid);
    });
  });

  describe(`directory and environment (${method})`, () => {
    test('dir becomes the cwd; env is exactly the profile env', async (t) => {
      const dir = scratchDir(t);
      const { report } = await probe(probeProfile({ dir, env: ['A=1', 'B=two=2'], engine: { method } }));
      assert.equal(report.cwd, dir);
      assert.deepEqual(report.env, ['A=1', 'B=two=2']);
      assert.deepEqual(report.argv, ['proclab_probe']);
    });

    test('inheritEnv: the lab environment with the profile env on top', async () => {
      const { report } = await probe(
        probeProfile({ inheritEnv: true, env: ['PATH=/nowhere', 'PROCLAB_EXTRA=1'], engine: { method } }),
      );
      assert.ok(report.env.includes('PATH=/nowhere'));
      assert.ok(report.env.includes('PROCLAB_EXTRA=1'));
      assert.ok(!report.env.includes(`PATH=${process.env.PATH}`));
      assert.ok(report.env.includes(`HOME=${process.env.HOME}`));
    });
  });

  describe(`signals (${method})`, () => {
    test('resetSignals: no inherited ignores, empty mask', async () => {
      const { report } = await probe(probeProfile({ engine: { method, resetSignals: true } }));
      assert.deepEqual(report.signals, { ignored: [], blocked: [], caught: [] });
    });

    test("without resetSignals, Node's ignored SIGPIPE survives exec", async () => {
      const { report } = await probe(probeProfile({ engine: { method, resetSignals: false } }));
      assert.ok(report.signals.ignored.includes('SIGPIPE'), JSON.stringify(report.signals));
      assert.deepEqual(report.signals.caught, []);
      assert.deepEqual(report.signals.blocked, []);
    });
  });
}

describe('stray host descriptors without close-on-exec', () => {
  // A descriptor some native code of the host opened without O_CLOEXEC: the seed's
  // child inherits it unless closeOtherFds marks everything above its files.
  const strayInChild = async (closeOtherFds: boolean, t: { after(fn: () => void): void }) => {
    const file = path.join(scratchDir(t), 'stray');
    const stray = testHooks.openWithoutCloexec(file);
    assert.ok(stray > 2, `opened ${stray}`);
    t.after(() => closeSync(stray));
    const { report } = await probe(probeProfile({ engine: { closeOtherFds } }));
    return { seen: report.fds.find((f) => f.fd === stray)?.target, file };
  };

  test('closeOtherFds off: the child inherits the stray', async (t) => {
    const { seen, file } = await strayInChild(false, t);
    assert.equal(seen, file);
  });

  test('closeOtherFds on: the child keeps only its files', async (t) => {
    const { seen } = await strayInChild(true, t);
    assert.equal(seen, undefined);
  });
});

describe('ptrace', () => {
  for (const method of METHODS) {
    test(`the child stops at exec with SIGTRAP; detach lets it run untraced (${method})`, async () => {
      const events: RunEvent[] = [];
      const run = launch(probeProfile({ sys: { ptrace: true }, engine: { method } }), {
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'stopped') void run.detach();
        },
      });
      const result = await run.result;
      assert.deepEqual(
        result.events.map((e) => [e.kind, 'signal' in e ? e.signal : undefined]),
        [
          ['stopped', 'SIGTRAP'],
          ['detached', undefined],
        ],
      );
      assert.deepEqual(events, result.events);
      assert.equal((JSON.parse(result.output['1']) as ProbeReport).tracer, 0);
      assert.deepEqual(result.status, { kind: 'exited', code: 0 });
    });
  }

  test("continue: the child runs traced by the lab's spawner thread", async () => {
    const run = launch(probeProfile({ sys: { ptrace: true } }), {
      onEvent: (e) => {
        if (e.kind === 'stopped') void run.continue();
      },
    });
    const result = await run.result;
    const report = JSON.parse(result.output['1']) as ProbeReport;
    assert.ok(report.tracer! > 0);
    assert.ok(existsSync(`/proc/${process.pid}/task/${report.tracer}`), 'the tracer is a thread of the lab');
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
  });
});

describe('pseudo-terminal', () => {
  test('pty + setsid + setctty: the pty becomes the controlling terminal, the child its foreground', async () => {
    const { report } = await probe(
      probeProfile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true } }),
      'pty',
    );
    assert.match(report.tty.ctty ?? '', /^\/dev\/pts\/\d+$/);
    assert.equal(report.tty.foregroundPgid, report.pid);
    assert.deepEqual(
      report.fds.map((f) => [f.fd, f.tty, f.target]),
      [0, 1, 2].map((fd) => [fd, true, report.tty.ctty]),
    );
  });

  test('a shell in the pty answers what is typed', async () => {
    let seen = '';
    const run = launch(PTY_SHELL, {
      onOutput: (key, text) => {
        seen += text;
        if (key === 'pty' && seen.includes('42')) run.write('exit\n');
      },
    });
    await run.started;
    assert.deepEqual(run.resize(100, 30), { ok: true });
    run.write('echo $((6 * 7)); stty size\n');
    const result = await run.result;
    assert.match(result.output.pty, /42/);
    assert.match(result.output.pty, /30 100/);
    assert.equal(result.timedOut, false);
    assert.deepEqual(result.status, { kind: 'exited', code: 0 });
  });
});

describe('noctty', () => {
  // The lab itself runs in a pty that is its controlling terminal (launched by the lab),
  // so the child inherits that terminal on fd 0 and as its controlling terminal.
  const cttyOfChild = async (noctty: boolean): Promise<string | null> => {
    const host = await runProfile({
      version: 1,
      name: 'host in a terminal',
      path: process.execPath,
      args: ['node', '--import', 'tsx', path.join(__dirname, '../support/noctty-host.ts'), String(noctty)],
      inheritEnv: true,
      files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }],
      sys: { setsid: true, setctty: true },
      timeoutMs: 20_000,
    });
    const line = host.output.pty.split('REPORT ')[1];
    assert.ok(line, `no report: ${JSON.stringify(host)}`);
    return (JSON.parse(line) as ProbeReport).tty.ctty;
  };

  test('without noctty the child shares the terminal as its controlling terminal', async () => {
    assert.match((await cttyOfChild(false)) ?? '', /^\/dev\/pts\/\d+$/);
  });

  test('noctty detaches the child from it (TIOCNOTTY on fd 0)', async () => {
    assert.equal(await cttyOfChild(true), null);
  });
});

describe('credentials and chroot, for real', () => {
  for (const method of METHODS) {
    test(`credential: uid, gid and groups as asked (${method})`, { skip: needsRoot }, async () => {
      const { report } = await probe(
        probeProfile({ sys: { credential: { uid: 65534, gid: 65533, groups: [4, 24] } }, engine: { method } }),
      );
      assert.deepEqual([report.uid, report.euid, report.gid, report.egid], [65534, 65534, 65533, 65533]);
      assert.deepEqual(report.groups, [4, 24]);
    });
  }

  test('noSetGroups keeps the lab supplementary groups', { skip: needsRoot }, async () => {
    const { report } = await probe(
      probeProfile({ sys: { credential: { uid: 65534, gid: 65534, groups: [4], noSetGroups: true } } }),
    );
    // The lab's own list as the kernel has it (Node's getgroups() adds the egid).
    const labGroups = readFileSync('/proc/self/status', 'utf8').match(/^Groups:[ \t]*([^\n]*)$/m)![1].trim();
    assert.deepEqual(report.groups, labGroups ? labGroups.split(/\s+/).map(Number) : []);
    assert.equal(report.uid, 65534);
  });

  for (const method of METHODS) {
    test(`chroot: the probe runs inside a jail with no /proc (${method})`, { skip: needsRoot }, async (t) => {
      const jail = scratchDir(t);
      copyFileSync(PROBE, path.join(jail, 'probe'));
      chmodSync(path.join(jail, 'probe'), 0o755);
      mkdirSync(path.join(jail, 'work'));
      const { result, report } = await probe(
        probeProfile({ path: '/probe', dir: '/work', sys: { chroot: jail }, engine: { method } }),
      );
      assert.equal(result.path, '/probe');
      assert.equal(report.cwd, '/work');
      assert.equal(report.root, null, 'no /proc inside the jail');
      assert.deepEqual(
        report.fds.map((f) => [f.fd, f.target, f.type]),
        [
          [0, null, 'chr'],
          [1, null, 'fifo'],
          [2, null, 'fifo'],
        ],
      );
    });
  }
});
