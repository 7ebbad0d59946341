// proclab inspect: a live process's setup from /proc, and its descendants, tested against
// processes the test starts: a `sleep | cat` pipeline in a session of its own (its ids, the
// pipe between the two, the tree), and a process with SIGPIPE ignored and RLIMIT_NOFILE 77.
// Run: node --import tsx --test test/engine/inspect.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';

import { inspectProcess } from '../../src/main/lab/inspect';
import { waitFor } from '../support/lab-api';
import { scratchDir } from '../support/probe';
import type { InspectedProcess } from '../../src/shared/inspect';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/proclab.js');

// detached: Node's child calls setsid(2), and leads a session and a group of its own.
function start(t: { after(fn: () => void): void }, argv: string[]): ChildProcess {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  });
  return child;
}

describe('proclab inspect', () => {
  test('a sleep | cat pipeline in its own session: ids, the pipe between them, the tree', async (t) => {
    const sh = start(t, ['sh', '-c', 'sleep 30 | cat']);
    // Settled: both children there, and the shell has closed its copies of the pipe's ends
    // (until then it holds them too).
    const root = await waitFor('the pipeline, settled', () => {
      const p = inspectProcess(sh.pid!);
      const sleeping = p?.children.find((c) => c.comm === 'sleep');
      const peers = sleeping?.fds?.find((f) => f.fd === 1)?.peers ?? [];
      const settled = p?.children.length === 2 && peers.length === 1 && peers[0]!.comm === 'cat';
      return settled ? p : null;
    });
    assert.deepEqual([root.comm, root.sid, root.pgid, root.tty], ['sh', sh.pid, sh.pid, null], 'it leads its session and group, with no terminal');
    const [sleep, cat] = ['sleep', 'cat'].map((comm) => root.children.find((c) => c.comm === comm)) as InspectedProcess[];
    assert.ok(sleep && cat, root.children.map((c) => c.comm).join());
    assert.deepEqual([sleep!.ppid, sleep!.sid, cat!.sid], [sh.pid, sh.pid, sh.pid]);
    // sleep's fd 1 is the pipe, and its other end is cat's fd 0.
    const out = sleep!.fds!.find((f) => f.fd === 1)!;
    assert.match(out.target!, /^pipe:\[\d+\]$/);
    assert.deepEqual(out.peers, [{ pid: cat!.pid, comm: 'cat', fd: 0 }]);
    assert.equal(root.namespaces.pid?.origin, 'lab');

    // The same through the CLI, as JSON and in words.
    const json = JSON.parse(spawnSync(process.execPath, [CLI, 'inspect', String(sh.pid), '--json'], { encoding: 'utf8' }).stdout) as InspectedProcess;
    assert.deepEqual(json.children.map((c) => c.comm).sort(), ['cat', 'sleep']);
    const words = spawnSync(process.execPath, [CLI, 'inspect', String(sh.pid)], { encoding: 'utf8' }).stdout;
    assert.match(words, new RegExp(`^pid ${sh.pid} \\(sh\\) S \\(sleeping\\): ppid \\d+, pgid ${sh.pid}, sid ${sh.pid}, no controlling terminal$`, 'm'));
    assert.match(words, new RegExp(`^    1 pipe:\\[\\d+\\] <-> pid ${cat!.pid} \\(cat\\) fd 0$`, 'm'));
  });

  test('SIGPIPE ignored and RLIMIT_NOFILE 77, as the process has them', async (t) => {
    const child = start(t, ['prlimit', '--nofile=77:77', '--', 'sh', '-c', 'trap "" PIPE; exec sleep 30']);
    const p = await waitFor('sleep under prlimit', () => {
      const seen = inspectProcess(child.pid!);
      return seen?.comm === 'sleep' ? seen : null;
    });
    assert.ok(p.signals!.ignored.includes('SIGPIPE'), p.signals!.ignored.join());
    assert.deepEqual(p.rlimits!.NOFILE, { soft: '77', hard: '77' });
    // In words, against the default, as the CLI prints it.
    const r = spawnSync(process.execPath, [CLI, 'inspect', String(child.pid)], { encoding: 'utf8' });
    assert.match(r.stdout, /^signals: ignored SIGPIPE \(default: terminate\);/m);
    assert.match(r.stdout, /^limits: .*NOFILE 77\/77/m);
  });

  test("a TCP connection's addresses, and the process at its other end", async (t) => {
    const server = net.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { port } = server.address() as net.AddressInfo;
    const client = start(t, ['python3', '-c', `import socket,time\ns=socket.create_connection(('127.0.0.1',${port}))\ntime.sleep(30)`]);
    // The client's socket is connected once the handshake is done, but the other end has a
    // holder only once this process's event loop has accepted it (until then it waits in the
    // listen queue, in no process's fd table): waited for, or the peers are rightly none.
    // The accepted socket's holder is this test's process, which the lab names as itself.
    const connected = await waitFor('the client connected, and this process accepted it', () =>
      inspectProcess(client.pid!)?.fds?.find((f) => f.address?.startsWith('tcp ') && f.peers?.some((h) => h.pid === process.pid)),
    );
    assert.match(connected.address!, new RegExp(`^tcp 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${port} ESTABLISHED$`));
  });

  test("a unix socket's path", async (t) => {
    const dir = scratchDir(t);
    const where = path.join(dir, 'lab.sock');
    const child = start(t, ['python3', '-c', `import socket,time\ns=socket.socket(socket.AF_UNIX)\ns.bind(${JSON.stringify(where)})\ns.listen()\ntime.sleep(30)`]);
    const bound = await waitFor('the socket bound', () => inspectProcess(child.pid!)?.fds?.find((f) => f.address?.startsWith('unix ')));
    assert.equal(bound.address, `unix ${where}`);
  });

  test('no such process: exit 1, and it says so', () => {
    const r = spawnSync(process.execPath, [CLI, 'inspect', '999999999'], { encoding: 'utf8' });
    assert.deepEqual([r.status, r.stderr.trim()], [1, 'proclab inspect: no process 999999999']);
  });
});
