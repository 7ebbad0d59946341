// One measurement of a peer runtime's own spawn API, in a fresh Bun or Deno process:
// `bun bench/peer.mjs '<json task>'` or `deno run -A bench/peer.mjs '<json task>'`. The
// same host size, rounds and report as bench/host.mjs (bench/measure.mjs); the child is
// /bin/true with fds 0-2 on /dev/null, awaited until reaped, as each runtime's docs show.
import { latencyRounds, now, runTask, waveRounds } from './measure.mjs';

// One launch of /bin/true; resolves with its exit code once it is reaped.
const SPAWN = {
  Bun: () => globalThis.Bun.spawn(['/bin/true'], { stdio: ['ignore', 'ignore', 'ignore'] }).exited,
  Deno: async () => (await new globalThis.Deno.Command('/bin/true', { stdin: 'null', stdout: 'null', stderr: 'null' }).spawn().status).code,
};
const runtime = Object.keys(SPAWN).find((name) => globalThis[name]);
if (!runtime) throw new Error('bench/peer.mjs runs under Bun or Deno');
const spawnTrue = SPAWN[runtime];

const checked = (code) => {
  if (code !== 0) throw new Error(`${runtime}: /bin/true exited ${code}`);
};

async function once() {
  const t0 = now();
  checked(await spawnTrue());
  return { ms: now() - t0 };
}

function fanout({ children, rounds }) {
  return waveRounds(async () => {
    const t0 = now();
    (await Promise.all(Array.from({ length: children }, spawnTrue))).forEach(checked);
    return { ms: now() - t0 };
  }, rounds);
}

await runTask({ latency: (config) => latencyRounds(once, config), fanout });
