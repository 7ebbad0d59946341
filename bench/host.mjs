// One measurement in a fresh Node process: `node bench/host.mjs '<json task>'`.
// The host first grows to the task's RSS (bench/measure.mjs: memory outside the V8 heap,
// every page written), then measures, and prints one JSON object on its last stdout line.
// bench/run.mjs starts one of these per (spawner, host size) so sizes never leak into
// each other.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';

import { latencyRounds, MiB, now, runTask, waveRounds } from './measure.mjs';
import { checkExited, trueProfile } from './true-profile.mjs';

const require = createRequire(import.meta.url);

// The library, as a user gets it: require('proclab') (the package's own exports).
const lab = require('proclab');

// ---- the spawners --------------------------------------------------------------------

// One launch, launch to reaped. Returns the wall time and, for the engine, its parts.
function spawner(name) {
  if (name === 'engine-vfork' || name === 'engine-fork') {
    const profile = trueProfile(name === 'engine-vfork' ? 'vfork' : 'fork');
    return async () => {
      const t0 = now();
      const run = lab.launch(profile);
      const t1 = now();
      let tStarted = 0;
      run.started.then(() => (tStarted = now()));
      const result = await run.result;
      const t2 = now();
      checkExited(result);
      return { ms: t2 - t0, syncMs: t1 - t0, startedMs: tStarted - t0, nativeMs: result.durationMs };
    };
  }
  if (name === 'child_process') {
    return () =>
      new Promise((resolve, reject) => {
        const t0 = now();
        const child = spawn('/bin/true', [], { stdio: 'ignore' });
        const t1 = now();
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve({ ms: now() - t0, syncMs: t1 - t0 }) : reject(new Error(`exit ${code}`))));
      });
  }
  throw new Error(`unknown spawner ${name}`);
}

// ---- the tasks -----------------------------------------------------------------------

const latency = ({ spawner: name, ...config }) => latencyRounds(spawner(name), config);

function fanout({ spawner: name, children, rounds }) {
  const wave = async () => {
    const t0 = now();
    if (name === 'child_process') {
      await Promise.all(
        Array.from({ length: children }, () => new Promise((resolve, reject) => {
          const c = spawn('/bin/true', [], { stdio: 'ignore' });
          c.once('error', reject);
          c.once('exit', resolve);
        })),
      );
      return { ms: now() - t0 };
    }
    const profile = trueProfile(name === 'engine-vfork' ? 'vfork' : 'fork');
    const runs = Array.from({ length: children }, () => lab.launch(profile));
    const tSubmitted = now();
    const results = await Promise.all(runs.map((r) => r.result));
    const ms = now() - t0;
    results.forEach(checkExited);
    return { ms, submitMs: tSubmitted - t0, maxNativeMs: Math.max(...results.map((r) => r.durationMs)) };
  };
  return waveRounds(wave, rounds);
}

// The output throughput, four ways: the engine (launch to result, output kept as a string
// in result.output; it reads a pipe through net.Socket), the C read loop, and Node's own
// child_process stdout (libuv makes it a socketpair) read as Node reads it: bytes counted
// and dropped, or decoded and concatenated into one string as the library does.
async function output({ bytes, rounds, readLoop }) {
  const headArgs = ['-c', String(bytes), '/dev/zero'];
  const engineOnce = async () => {
    const profile = { version: 1, name: 'b', path: 'head', args: ['head', ...headArgs], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'null' }] };
    globalThis.gc?.();
    const before = process.memoryUsage();
    const t0 = now();
    const result = await lab.launch(profile).result;
    const ms = now() - t0;
    const after = process.memoryUsage();
    checkExited(result);
    // The result keeps a bounded tail of each stream (run.ts OUTPUT_KEPT) and counts the rest.
    const got = result.output['1'].length + (result.outputDropped?.['1'] ?? 0);
    if (got !== bytes) throw new Error(`engine output: ${got} characters, expected ${bytes}`);
    return { ms, heapUsedDeltaMb: (after.heapUsed - before.heapUsed) / MiB, rssDeltaMb: (after.rss - before.rss) / MiB, externalDeltaMb: (after.external - before.external) / MiB };
  };
  const nodeOnce = (asString) =>
    new Promise((resolve, reject) => {
      globalThis.gc?.();
      const t0 = now();
      const child = spawn('head', headArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
      let n = 0;
      let text = '';
      let chunks = 0;
      const decoder = new StringDecoder('utf8');
      child.stdout.on('data', (chunk) => {
        chunks++;
        if (asString) text += decoder.write(chunk);
        else n += chunk.length;
      });
      child.once('error', reject);
      child.once('close', (code) => {
        const ms = now() - t0;
        if (asString) {
          text += decoder.end();
          n = text.length;
        }
        if (code !== 0 || n !== bytes) reject(new Error(`head: code ${code}, ${n} bytes`));
        else resolve({ ms, meanChunkKb: bytes / chunks / 1024 });
      });
    });
  // The C read loop (bench/c/read_loop.c), one round: its own timing, printed as JSON.
  const cOnce = () => {
    const r = spawnSync(readLoop, [String(bytes), '1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`read_loop: ${r.stderr}`);
    return JSON.parse(r.stdout).rounds[0];
  };
  await engineOnce();  // warm-up
  cOnce();
  const out = { engine: [], nodeDiscard: [], nodeString: [], cReadLoop: [] };
  for (let r = 0; r < rounds; r++) {
    out.engine.push(await engineOnce());
    out.cReadLoop.push(cOnce());
    out.nodeDiscard.push(await nodeOnce(false));
    out.nodeString.push(await nodeOnce(true));
  }
  return out;
}

async function lag({ launches, rounds }) {
  const profile = trueProfile('vfork');
  for (let i = 0; i < 20; i++) checkExited(await lab.launch(profile).result);
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = now();
    for (let i = 0; i < launches; i++) await lab.launch(profile).result;
    const ms = now() - t0;
    h.disable();
    out.push({ launches, ms, p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6, meanMs: h.mean / 1e6, samples: h.count });
  }
  return { rounds: out };
}

await runTask({ latency, fanout, output, lag });
