// A lab in a process group of its own, for the signal-flood tests: it launches `count`
// ptrace profiles with `files` slots (detaching each at its first stop, passing on any
// signal but the exec SIGTRAP), then a traced one killed at once, then one plain launch,
// and prints one JSON line per result.
// Run as `node --import tsx test/support/flooded-lab.ts METHOD FILES COUNT`; it prints
// "ready" once loaded and starts when a line arrives on stdin.
import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';

const [method, files, count] = [process.argv[2] as 'vfork' | 'fork', Number(process.argv[3]), Number(process.argv[4])];

const traced: Profile = {
  version: 1,
  name: 'traced',
  path: '/bin/true',
  args: ['true'],
  files: Array.from({ length: files }, () => ({ type: 'null' as const })),
  sys: { ptrace: true },
  engine: { method },
};

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
  for (let i = 0; i < count; i++) {
    const run = launch(traced, {
      onEvent: (e) => e.kind === 'stopped' && void run.detach(e.signal === 'SIGTRAP' ? 0 : e.number),
    });
    const r = await run.result;
    const answered = r.events.filter((e) => e.kind === 'answered').length;
    process.stdout.write(`${JSON.stringify({ status: r.status, execError: r.execError, answered })}\n`);
  }
  // A kill reaches a traced child whatever the flood does to it meanwhile.
  const killed = launch({ ...traced, path: '/bin/sleep', args: ['sleep', '30'] });
  const asked = performance.now();
  void killed.kill('SIGKILL');
  const k = await killed.result;
  const killMs = Math.round(performance.now() - asked);
  const plain = await launch({ version: 1, name: 'plain', path: '/bin/true', args: ['true'] }).result;
  process.stdout.write(`${JSON.stringify({ plain: plain.status, killed: k.status, killMs })}\n`);
}

void main();
