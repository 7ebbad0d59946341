// The command line's own start: wall time of `proclab run` of /bin/true against
// `node -e 0`, the same Node, side by side (alternating, after one warm-up of each), as
// a user's script would run them. Called by bench/run.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { median } from './stats.mjs';
import { trueProfile } from './true-profile.mjs';

function wallMs(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`cli start: node ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`}\n${r.stderr}`);
  return ms;
}

/** `pairs` alternating runs of each; the medians and the difference of the medians (ms). */
export function cliStart(root, pairs) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-bench-cli-'));
  try {
    const profile = path.join(scratch, 'true.json');
    writeFileSync(profile, JSON.stringify(trueProfile('vfork')));
    const commands = { node: ['-e', '0'], proclab: [path.join(root, 'bin', 'proclab.js'), 'run', profile] };
    for (const args of Object.values(commands)) wallMs(args);  // warm-up: page cache
    const rounds = { node: [], proclab: [] };
    for (let i = 0; i < pairs; i++) for (const [name, args] of Object.entries(commands)) rounds[name].push(wallMs(args));
    const nodeMs = median(rounds.node);
    const proclabMs = median(rounds.proclab);
    return { pairs, nodeMs, proclabMs, overNodeMs: proclabMs - nodeMs, rounds };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
