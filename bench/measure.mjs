// What every measurement process of the bench does the same way, whichever runtime runs
// it (Node for bench/host.mjs; Bun and Deno for bench/peer.mjs, through their node:
// modules): read its task, grow to the host size, stay tied to the bench, time launches
// in rounds, and print one JSON object on its last stdout line.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { setInterval } from 'node:timers';

import { median, quantile } from './stats.mjs';

export const MiB = 1 << 20;
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The task bench/run.mjs gave: JSON, the first argument after the script. */
export const task = JSON.parse(process.argv[2]);

// Never outlive the bench: when run.mjs goes away, so does this process.
const parent = process.ppid;
const orphaned = () => process.ppid !== parent;
setInterval(() => {
  if (orphaned()) process.exit(1);
}, 500).unref();

export function statusKb(field) {
  const m = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'));
  return m ? Number(m[1]) : null;
}

// The host's memory: typed arrays of 64 MiB (backing stores outside the JS heap, in every
// one of the three runtimes), every page written, until the RSS is the size asked for.
const ballast = [];
export function growTo(targetMb) {
  const PIECE = 64 * MiB;
  for (;;) {
    const missing = targetMb * MiB - statusKb('VmRSS') * 1024;
    if (missing < MiB) break;
    const piece = new Uint8Array(Math.min(PIECE, missing));
    // A fresh allocation may be zero pages from mmap, never touched: write every page with
    // something that is not zero.
    for (let i = 0; i < piece.length; i += 4096) piece[i] = (i >>> 12) | 1;
    ballast.push(piece);
    if (orphaned()) process.exit(1);  // growing to 4 GB blocks the loop for a while
  }
  return { targetMb, rssKb: statusKb('VmRSS'), vmPteKb: statusKb('VmPTE'), ballastMb: ballast.reduce((n, b) => n + b.length, 0) / MiB };
}

/**
 * Spawn latency: `once()` launches one child and resolves when it is reaped with
 * `{ms, ...parts}`. After `warmup` launches, each round is up to `maxIters` launches (at
 * least 5, for about `budgetMs`); a round's figures are its medians.
 */
export async function latencyRounds(once, { rounds, maxIters, budgetMs, warmup }) {
  for (let i = 0; i < warmup; i++) await once();
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const samples = [];
    const start = now();
    for (let i = 0; i < maxIters && (i < 5 || now() - start < budgetMs); i++) samples.push(await once());
    const round = { n: samples.length, ms: median(samples.map((s) => s.ms)), p90: quantile(samples.map((s) => s.ms), 0.9) };
    for (const key of Object.keys(samples[0])) if (key !== 'ms') round[key] = median(samples.map((s) => s[key]));
    out.push(round);
  }
  return { rounds: out };
}

/** Fan-out: `wave()` launches all its children at once and resolves with `{ms, ...}` when all are reaped; one wave to warm up. */
export async function waveRounds(wave, rounds) {
  await wave();
  const out = [];
  for (let r = 0; r < rounds; r++) out.push(await wave());
  return { rounds: out };
}

/** Grows to the task's size, runs `tasks[task.kind]`, prints the result and exits. */
export async function runTask(tasks) {
  const measure = tasks[task.kind];
  if (!measure) throw new Error(`no task ${task.kind} here (${Object.keys(tasks).join(', ')})`);
  const host = growTo(task.rssMb);
  const t0 = now();
  const measured = await measure(task);
  process.stdout.write(`${JSON.stringify({ host, elapsedMs: now() - t0, ...measured })}\n`);
  process.exit(0);
}
