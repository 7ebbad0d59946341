// `npm run bench`: spawn latency at three host sizes for the engine, Node's child_process,
// a C posix_spawn loop and the peers (child_process on Node 24, Bun.spawn, Deno.Command),
// fan-out, the cold first launch, the command line's start, captured output throughput
// and event-loop lag, each the median of several rounds, checked against the targets of
// docs/performance.md (issues 5 and 17; bench/targets.mjs). Prints a table and writes
// bench/results/latest.json (bench/results/partial.json for --quick or --only).
//
//   node bench/run.mjs            the full bench (several minutes)
//   node bench/run.mjs --quick    2 rounds and few launches: a smoke test, not figures
//   node bench/run.mjs --only=latency,fanout,cold,cli,output,lag   some parts only
//   node bench/run.mjs --no-peers without Bun, Deno and Node 24 (no install either)
//
// Every measurement runs in its own fresh process (bench/host.mjs, bench/peer.mjs,
// bench/cold.mjs, or one of the C programs in bench/c/, built here with the system cc
// into bench/build/), one at a time. The peers' runtimes are installed on demand into
// .runtimes/ (bench/peers.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cliStart } from './cli-start.mjs';
import { peers } from './peers.mjs';
import { median } from './stats.mjs';
import { targets } from './targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const buildDir = path.join(here, 'build');
const resultsDir = path.join(here, 'results');
const require = createRequire(import.meta.url);

const quick = process.argv.includes('--quick');
const noPeers = process.argv.includes('--no-peers');
// --only=latency,fanout,cold,cli,output,lag: part of the bench (its targets are then not all checked).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? null;
const part = (name) => !only || only.includes(name);
const ROUNDS = quick ? 2 : 5;
const SIZES = [
  { label: '100 MB', mb: 100 },
  { label: '1 GB', mb: 1024 },
  { label: '4 GB', mb: 4096 },
];
const LATENCY = { maxIters: quick ? 30 : 200, budgetMs: quick ? 300 : 1000, warmup: quick ? 3 : 10 };
const FANOUT_CHILDREN = 100;
const OUTPUT_BYTES = 200 * 1024 * 1024;
const LAG_LAUNCHES = quick ? 200 : 1000;
const COLD_RUNS = quick ? 3 : 10;  // fresh processes, one first launch each
const CLI_PAIRS = quick ? 4 : 10;
const LAG_RESOLUTION_MS = 1;  // bench/host.mjs: monitorEventLoopDelay({ resolution: 1 })
const BASE_HOST_MB = 100;      // the host size of fan-out, output and lag
const HOST_TIMEOUT_MS = 180_000;

// ---- the processes this bench starts: one at a time, never left behind --------------

let current = null;
function stopCurrent() {
  if (current && current.exitCode === null && current.signalCode === null) current.kill('SIGKILL');
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopCurrent();
    process.stderr.write(`\nbench: ${sig}, stopped\n`);
    process.exit(130);
  });
}
process.on('exit', stopCurrent);

// Runs one measurement process; resolves with the JSON object on its last stdout line.
function measure(file, args, label, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    current = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), HOST_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      const last = out.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`${label}: ${signal ?? `exit ${code}`}\n${err.trim()}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${label}: no result\n${out}\n${err}`));
      }
    });
  });
}

const nodeHost = (task, label, nodeArgs = []) =>
  measure(process.execPath, [...nodeArgs, path.join(here, 'host.mjs'), JSON.stringify(task)], label);

// ---- the machine, and what else was running ------------------------------------------

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1].trim() ?? null;
  const read = (f) => {
    try {
      return readFileSync(f, 'utf8').trim();
    } catch {
      return null;
    }
  };
  const thp = read('/sys/kernel/mm/transparent_hugepage/enabled')?.match(/\[(\w+)\]/)?.[1] ?? null;
  let cc = null;
  try {
    cc = execFileSync('cc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {}
  let glibc = null;
  try {
    glibc = execFileSync('ldd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {}
  return {
    cpuModel: field('model name'),
    cpuMHz: Number(field('cpu MHz')) || null,
    hypervisor: / hypervisor( |$)/m.test(field('flags') ?? ''),
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    cc,
    glibc,
    transparentHugepages: thp,
  };
}

// CPU time of every process over a second while this bench runs nothing: who else is busy.
function cpuSnapshot() {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      out.set(pid, { name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  return out;
}
function totalCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: f.reduce((a, b) => a + b, 0) - f[3] - f[4], all: f.reduce((a, b) => a + b, 0) };
}
async function otherWork() {
  const hz = 100;
  const a = cpuSnapshot();
  const ca = totalCpu();
  await new Promise((r) => setTimeout(r, 1000));
  const b = cpuSnapshot();
  const cb = totalCpu();
  const busy = [];
  for (const [pid, { name, ticks }] of b) {
    const before = a.get(pid);
    const cores = (ticks - (before?.ticks ?? ticks)) / hz;
    if (cores >= 0.05 && Number(pid) !== process.pid) busy.push({ pid: Number(pid), name, cores: Math.round(cores * 100) / 100 });
  }
  busy.sort((x, y) => y.cores - x.cores);
  const cpuBusy = (cb.busy - ca.busy) / Math.max(1, cb.all - ca.all);
  return { cpuBusyPercent: Math.round(cpuBusy * 1000) / 10, busyProcesses: busy.slice(0, 8) };
}

const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

// While the bench runs: the machine's busy CPU time less this bench's own (this process,
// the measurement process of the moment, and every child either has reaped), sampled
// every second. That is the other work, whatever the load average (which lags) says.
function ownTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);  // utime stime cutime cstime
  } catch {
    return 0;
  }
}
function startOthersSampler() {
  const samples = [];
  let lastTotal = totalCpu();
  let lastOwn = ownTicks(process.pid);
  let lastChild = { pid: null, ticks: 0 };
  const timer = setInterval(() => {
    const total = totalCpu();
    const own = ownTicks(process.pid);  // includes every measurement process already reaped
    const pid = current?.pid ?? null;
    const childTicks = pid ? ownTicks(pid) : 0;
    // A measurement process that was reaped since the last sample moved all its ticks into
    // our cutime, including those the last sample already counted.
    const sameChild = pid !== null && pid === lastChild.pid;
    const childDelta = sameChild ? childTicks - lastChild.ticks : childTicks;
    const countedBefore = !sameChild && lastChild.pid !== null ? lastChild.ticks : 0;
    const ours = own - lastOwn + childDelta - countedBefore;
    const cores = os.cpus().length;
    const elapsedTicks = (total.all - lastTotal.all) / cores;  // one core's ticks
    if (elapsedTicks > 0) samples.push(Math.max(0, (total.busy - lastTotal.busy - ours) / elapsedTicks));
    lastTotal = total;
    lastOwn = own;
    lastChild = { pid, ticks: childTicks };
  }, 1000);
  return () => {
    clearInterval(timer);
    const s = [...samples].sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
    return {
      samples: s.length,
      meanCores: Math.round(mean * 100) / 100,
      p90Cores: Math.round((s[Math.floor(s.length * 0.9)] ?? 0) * 100) / 100,
      maxCores: Math.round((s[s.length - 1] ?? 0) * 100) / 100,
      secondsAboveQuarterCore: s.filter((x) => x > 0.25).length,
    };
  };
}

// ---- figures -------------------------------------------------------------------------

const r3 = (x) => (x == null ? null : Math.round(x * 1000) / 1000);
const MiB = 1 << 20;

function buildC() {
  mkdirSync(buildDir, { recursive: true });
  const built = {};
  for (const name of ['posix_spawn_loop', 'read_loop']) {
    const out = path.join(buildDir, name);
    try {
      execFileSync('cc', ['-O2', '-Wall', '-o', out, path.join(here, 'c', `${name}.c`)], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`bench: cc failed to build bench/c/${name}.c (a C compiler is needed):\n${e.stderr ?? e.message}`);
    }
    built[name] = out;
  }
  return built;
}

function checkLibrary() {
  try {
    require.resolve('proclab');
  } catch {
    throw new Error('bench: the library is not built (dist/); run npm install (or npm run build:lib)');
  }
  if (!existsSync(path.join(root, 'native/build/Release/proclab_engine.node'))) {
    throw new Error('bench: the native engine is not built; run npm install (or npm run build:native)');
  }
}

const say = (s) => process.stderr.write(`${s}\n`);

async function main() {
  const started = Date.now();
  checkLibrary();
  const bin = buildC();
  const result = {
    generatedAt: new Date().toISOString(),
    quick,
    machine: machine(),
    load: { before: loadavg(), otherWorkBefore: await otherWork() },
    config: { rounds: ROUNDS, latency: LATENCY, fanoutChildren: FANOUT_CHILDREN, outputBytes: OUTPUT_BYTES, lagLaunches: LAG_LAUNCHES, lagResolutionMs: LAG_RESOLUTION_MS, baseHostMb: BASE_HOST_MB, coldRuns: COLD_RUNS, cliPairs: CLI_PAIRS },
    parts: only ?? ['latency', 'fanout', 'cold', 'cli', 'output', 'lag'],
    raw: {},
  };
  say(`bench: ${result.machine.cpuModel}, ${result.machine.cores} cores, load ${result.load.before.join(' ')}${quick ? ' (--quick: not figures)' : ''}`);
  // The peers, installed (if need be) before anything is timed.
  const peerList = part('latency') || part('fanout') ? peers(say, { skip: noPeers }) : [];
  result.peers = peerList.map(({ key, title, version, package: pkg, binary, error }) => ({ key, title, version, package: pkg, binary: binary && path.relative(root, binary), error }));
  const peerOf = (key) => peerList.find((p) => p.key === key && !p.error);
  const live = (name) => !peerList.some((p) => p.key === name) || Boolean(peerOf(name));  // not a peer that failed
  const livePeers = () => peerList.filter((p) => !p.error).map((p) => p.key);
  const failed = (key, err) => {
    const message = `failed: ${err.message.split('\n')[0]}`;
    say(`bench: peer ${key} ${message}; left out from here on`);
    result.peers.find((p) => p.key === key).error = message;
    peerList.find((p) => p.key === key).error = message;
  };
  result.titles = {
    'engine-vfork': 'engine vfork',
    'engine-fork': 'engine fork',
    child_process: `child_process.spawn (Node ${process.versions.node})`,
    'c-posix_spawn': 'C posix_spawn',
    ...Object.fromEntries(peerList.map((p) => [p.key, p.title])),
  };
  // One measurement process of spawner `name` (the peers' in their own runtime); null when
  // a peer fails (it is then reported as failed, and left out of the rounds after).
  const runOne = async (name, task, label) => {
    const peer = peerOf(name);
    if (!peer) return nodeHost({ ...task, spawner: name }, label);
    try {
      const [file, args, env] = peer.command(task);
      return await measure(file, args, label, env);
    } catch (err) {
      failed(name, err);
      return null;
    }
  };
  const stopSampler = startOthersSampler();

  if (part('latency')) {
    // Spawn latency: every round of every (spawner, host size) in its own fresh process, the
    // rounds interleaved (round 1 of everything, then round 2, ...) so that a change in the
    // machine's load during the run falls on every spawner alike rather than on one.
    const spawners = ['engine-vfork', 'engine-fork', 'child_process', 'c-posix_spawn', ...livePeers()];
    const rawRounds = {};
    result.latency = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const size of SIZES) {
        for (let k = 0; k < spawners.length; k++) {
          const name = spawners[(k + r) % spawners.length];
          if (!live(name)) continue;
          const label = `latency ${name} @ ${size.label}`;
          say(`bench: round ${r + 1}/${ROUNDS}: ${label}`);
          let one;
          if (name === 'c-posix_spawn') {
            const c = await measure(bin.posix_spawn_loop, [String(size.mb), '1', String(LATENCY.maxIters), String(LATENCY.budgetMs)], label);
            one = { host: { targetMb: size.mb, rssKb: c.rssKb, vmPteKb: c.vmPteKb }, rounds: c.rounds.map((xs) => ({ n: xs.length, ms: median(xs) })) };
          } else {
            one = await runOne(name, { kind: 'latency', rssMb: size.mb, rounds: 1, ...LATENCY }, label);
            if (!one) continue;
          }
          (rawRounds[label] ??= []).push({ host: one.host, ...one.rounds[0] });
        }
      }
    }
    for (const name of spawners.filter(live)) {
      result.latency[name] = {};
      for (const size of SIZES) {
        const label = `latency ${name} @ ${size.label}`;
        const rounds = rawRounds[label];
        result.raw[label] = rounds;
        const rssKb = Math.min(...rounds.map((x) => x.host.rssKb));
        const fig = { ms: r3(median(rounds.map((x) => x.ms))), rssMb: Math.round(rssKb / 1024), vmPteKb: median(rounds.map((x) => x.host.vmPteKb)), launches: rounds.reduce((n, x) => n + x.n, 0) };
        // The host must really be that big (RSS, not just reserved): else the figure is not at that size.
        fig.rssReached = rssKb >= 0.95 * size.mb * 1024;
        if (!fig.rssReached) say(`bench: warning: ${label}: host RSS ${fig.rssMb} MB, short of ${size.mb} MB`);
        for (const key of ['syncMs', 'startedMs', 'nativeMs']) if (key in rounds[0]) fig[key] = r3(median(rounds.map((x) => x[key])));
        result.latency[name][size.label] = fig;
      }
    }
  }

  if (part('fanout')) {
    // Fan-out: 100 children at once, until all are reaped. Each round of each spawner is a
    // fresh process (a wave to warm up, then the measured one), the rounds interleaved.
    result.fanout = {};
    const spawners = ['engine-vfork', 'child_process', ...livePeers()];
    const raw = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < spawners.length; k++) {
        const name = spawners[(k + r) % spawners.length];
        if (!live(name)) continue;
        const label = `fanout ${name}`;
        say(`bench: round ${r + 1}/${ROUNDS}: ${label}`);
        const one = await runOne(name, { kind: 'fanout', rssMb: BASE_HOST_MB, children: FANOUT_CHILDREN, rounds: 1 }, label);
        if (one) (raw[label] ??= []).push({ host: one.host, ...one.rounds[0] });
      }
    }
    for (const name of spawners.filter(live)) {
      const rounds = raw[`fanout ${name}`];
      result.raw[`fanout ${name}`] = rounds;
      result.fanout[name] = { ms: r3(median(rounds.map((x) => x.ms))), rssMb: Math.round(Math.min(...rounds.map((x) => x.host.rssKb)) / 1024) };
      if (rounds[0].maxNativeMs !== undefined) result.fanout[name].maxNativeMs = r3(median(rounds.map((x) => x.maxNativeMs)));
    }
  }

  if (part('cold')) {
    // The cold start: require('proclab') and the first launch, each run a fresh Node process.
    say(`bench: cold start, ${COLD_RUNS} fresh processes`);
    const runs = [];
    for (let i = 0; i < COLD_RUNS; i++) runs.push(await measure(process.execPath, [path.join(here, 'cold.mjs'), JSON.stringify({ kind: 'cold', rssMb: 0 })], 'cold'));
    result.raw.cold = runs;
    result.cold = Object.fromEntries(['requireMs', 'firstLaunchMs', 'firstNativeMs', 'secondLaunchMs'].map((k) => [k, r3(median(runs.map((x) => x[k])))]));
    result.cold.runs = COLD_RUNS;
  }

  if (part('cli')) {
    say(`bench: command-line start, ${CLI_PAIRS} pairs`);
    const cli = cliStart(root, CLI_PAIRS);
    result.raw.cli = cli.rounds;
    result.cli = { pairs: cli.pairs, nodeMs: r3(cli.nodeMs), proclabMs: r3(cli.proclabMs), overNodeMs: r3(cli.overNodeMs) };
  }

  if (part('output')) {
    // Captured output: the engine against the C read loop (and Node's own child_process
    // stdout, which libuv makes a socketpair, read as Node reads it).
    say('bench: output');
    // The C read loop runs from the same host, one round between the engine's rounds.
    const out = await nodeHost({ kind: 'output', rssMb: BASE_HOST_MB, bytes: OUTPUT_BYTES, rounds: ROUNDS, readLoop: bin.read_loop }, 'output', ['--expose-gc']);
    const cRead = { rounds: out.cReadLoop };
    if (cRead.rounds.some((r) => r.bytes !== OUTPUT_BYTES || r.status !== 0)) throw new Error('output: the C read loop did not read every byte');
    result.raw.output = out;
    const mibps = (ms) => r3(OUTPUT_BYTES / MiB / (ms / 1000));
    const med = (rows) => median(rows.map((r) => r.ms));
    result.output = {
      bytes: OUTPUT_BYTES,
      engine: { ms: r3(med(out.engine)), mibPerS: mibps(med(out.engine)) },
      cReadLoop: { ms: r3(med(cRead.rounds)), mibPerS: mibps(med(cRead.rounds)) },
      nodePipeDiscard: { ms: r3(med(out.nodeDiscard)), mibPerS: mibps(med(out.nodeDiscard)), meanChunkKiB: r3(median(out.nodeDiscard.map((r) => r.meanChunkKb))) },
      nodePipeString: { ms: r3(med(out.nodeString)), mibPerS: mibps(med(out.nodeString)) },
      // What keeping the output as one string in result.output costs the host.
      stringCost: {
        heapUsedMiB: r3(median(out.engine.map((r) => r.heapUsedDeltaMb))),
        rssMiB: r3(median(out.engine.map((r) => r.rssDeltaMb))),
        decodeAndConcatMs: r3(med(out.nodeString) - med(out.nodeDiscard)),
      },
    };
    const sc = result.output.stringCost;
    result.output.note =
      `The engine reads a captured pipe on its reader thread in chunks of up to 1 MiB and decodes each chunk there ` +
      `(ASCII chunks of 512 KiB or more become external strings: no copy on the JS thread); the result keeps the last ` +
      `64 Mi characters or more of each stream (run.ts OUTPUT_KEPT) and counts the rest in outputDropped. Here the result ` +
      `held ${Math.round(sc.heapUsedMiB)} MiB of V8 heap (${Math.round(sc.rssMiB)} MiB RSS: external strings live outside ` +
      `the heap) for ${OUTPUT_BYTES / MiB} MiB of output. For Node's own reader, decoding plus concatenating cost ` +
      `${Math.round(sc.decodeAndConcatMs)} ms over reading the same pipe and dropping the bytes.`;
  }

  if (part('lag')) {
    // Event-loop lag during back-to-back launches.
    say('bench: event-loop lag');
    const lag = await nodeHost({ kind: 'lag', rssMb: BASE_HOST_MB, launches: LAG_LAUNCHES, rounds: ROUNDS }, 'lag');
    result.raw.lag = lag;
    result.lag = {
      launches: LAG_LAUNCHES,
      resolutionMs: LAG_RESOLUTION_MS,
      p50Ms: r3(median(lag.rounds.map((r) => r.p50Ms))),
      p99Ms: r3(median(lag.rounds.map((r) => r.p99Ms))),
      worstRoundP99Ms: r3(Math.max(...lag.rounds.map((r) => r.p99Ms))),
      maxMs: r3(Math.max(...lag.rounds.map((r) => r.maxMs))),
      launchMs: r3(median(lag.rounds.map((r) => r.ms / r.launches))),
    };
  }

  result.load.othersDuringRun = stopSampler();
  result.load.after = loadavg();
  result.load.otherWorkAfter = await otherWork();
  // Other work: CPU used by others during the run (more than a tenth of a core on average,
  // or a quarter of a core for more than 5% of the run's seconds), or before or after it.
  const during = result.load.othersDuringRun;
  result.load.otherWorkWasRunning =
    during.meanCores > 0.1 ||
    during.secondsAboveQuarterCore > 0.05 * during.samples ||
    result.load.otherWorkBefore.cpuBusyPercent > 10 ||
    result.load.otherWorkAfter.cpuBusyPercent > 10;
  result.targets = targets(result, SIZES);
  result.elapsedS = Math.round((Date.now() - started) / 100) / 10;

  // latest.json is a full run's; a smoke test or a part does not replace it.
  const file = quick || only ? 'partial.json' : 'latest.json';
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, file), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(table(result));
  say(`bench: ${result.elapsedS} s; written to bench/results/${file}`);
}

function table(r) {
  const f = (x, d = 2) => (x == null ? '-' : x.toFixed(d));
  const lines = [];
  const row = (cells) => lines.push(`| ${cells.join(' | ')} |`);
  if (r.latency) {
    const keys = Object.keys(r.latency);
    lines.push('', `Spawn latency of /bin/true, launch to reaped (ms; median of ${r.config.rounds} interleaved rounds, each a fresh process, each round's figure its median launch)`, '');
    row(['spawner', ...SIZES.map((s) => s.label)]);
    row(['---', ...SIZES.map(() => '---:')]);
    for (const key of keys) row([r.titles[key], ...SIZES.map((s) => f(r.latency[key][s.label].ms, 3))]);
    row(['host RSS reached (MB)', ...SIZES.map((s) => keys.map((k) => r.latency[k][s.label].rssMb).join('/'))]);
    const e = r.latency['engine-vfork'];
    lines.push('', 'engine vfork, where the time goes (ms, medians, from launch()): launch() returns / started resolves / native durationMs / result resolves', '');
    row(['host', 'launch() returns', 'started resolves', 'native durationMs', 'result resolves']);
    row(['---', '---:', '---:', '---:', '---:']);
    for (const s of SIZES) row([s.label, f(e[s.label].syncMs, 3), f(e[s.label].startedMs, 3), f(e[s.label].nativeMs, 3), f(e[s.label].ms, 3)]);
  }
  if (r.fanout) {
    lines.push('', `Fan-out: ${r.config.fanoutChildren} children at once until all reaped (ms, ${r.config.baseHostMb} MB host; median of ${r.config.rounds} interleaved rounds, each a fresh process)`, '');
    row(['spawner', 'ms']);
    row(['---', '---:']);
    for (const [key, fig] of Object.entries(r.fanout)) row([r.titles[key], f(fig.ms, 1)]);
  }
  const missing = r.peers.filter((p) => p.error);
  if (missing.length) lines.push('', `Peers not measured: ${missing.map((p) => `${p.title} (${p.error})`).join('; ')}`);
  if (r.cold) {
    const c = r.cold;
    lines.push('', `Cold start, a fresh Node process (ms, median of ${c.runs}): require('proclab') ${f(c.requireMs)}, then the first launch to its result ${f(c.firstLaunchMs)} (native durationMs ${f(c.firstNativeMs)}), the second ${f(c.secondLaunchMs)}`);
  }
  if (r.cli) {
    const c = r.cli;
    lines.push('', `Command-line start, wall time (ms, median of ${c.pairs}, alternating): proclab run /bin/true ${f(c.proclabMs, 1)}, node -e 0 ${f(c.nodeMs, 1)}: +${f(c.overNodeMs, 1)}`);
  }
  if (r.output) {
    const o = r.output;
    lines.push('', `Captured output: ${o.bytes / MiB} MiB from head -c into a pipe (MiB/s, launch to result)`, '');
    row(['reader', 'ms', 'MiB/s']);
    row(['---', '---:', '---:']);
    row(['engine (result.output: text, bounded tail)', f(o.engine.ms, 1), f(o.engine.mibPerS, 0)]);
    row(['C read loop (64 KiB reads)', f(o.cReadLoop.ms, 1), f(o.cReadLoop.mibPerS, 0)]);
    row(['Node child_process stdout (libuv socketpair), bytes dropped', f(o.nodePipeDiscard.ms, 1), f(o.nodePipeDiscard.mibPerS, 0)]);
    row(['Node child_process stdout (libuv socketpair), decoded + concatenated', f(o.nodePipeString.ms, 1), f(o.nodePipeString.mibPerS, 0)]);
    lines.push('', `The engine's result held +${f(o.stringCost.heapUsedMiB, 0)} MiB V8 heap, +${f(o.stringCost.rssMiB, 0)} MiB RSS; Node's decoding and concatenating cost ${f(o.stringCost.decodeAndConcatMs, 0)} ms`);
  }
  if (r.lag) {
    lines.push('', `Event-loop lag during ${r.lag.launches} back-to-back engine launches (monitorEventLoopDelay, resolution ${r.lag.resolutionMs} ms; values include the resolution): p50 ${f(r.lag.p50Ms)} ms, p99 ${f(r.lag.p99Ms)} ms, max ${f(r.lag.maxMs)} ms`);
  }
  lines.push('', 'Targets', '');
  row(['target', 'measured', 'result']);
  row(['---', '---:', '---']);
  for (const t of r.targets) row([t.target, t.value, t.result]);
  const busy = r.load.otherWorkBefore.busyProcesses.map((p) => `${p.name} ${p.cores}`).join(', ') || 'none';
  lines.push('', `Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.kernel}, Node ${r.machine.node}`);
  const installed = r.peers.filter((p) => p.binary);
  if (installed.length) lines.push(`Peers: ${installed.map((p) => `${p.title} from ${p.package}, ${p.binary}`).join('; ')}`);
  const d = r.load.othersDuringRun;
  lines.push(`Load average: ${r.load.before.join(' ')} before, ${r.load.after.join(' ')} after (includes this bench)`);
  lines.push(`Other work: ${r.load.otherWorkBefore.cpuBusyPercent}% of the CPU before start (${busy}), ${r.load.otherWorkAfter.cpuBusyPercent}% after; during the run ${d.meanCores} cores on average (p90 ${d.p90Cores}, max ${d.maxCores}; above a quarter core ${d.secondsAboveQuarterCore} of ${d.samples} s)`);
  lines.push(r.load.otherWorkWasRunning ? 'Other work was running on this machine: these numbers are indicative only.' : 'No other work to speak of was running.');
  if (r.quick) lines.push('--quick: a smoke test with few rounds, not figures to quote.');
  if (only) lines.push(`--only=${only.join(',')}: part of the bench; the other targets were not checked.`);
  return `${lines.join('\n')}\n`;
}

main().catch((e) => {
  stopCurrent();
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
