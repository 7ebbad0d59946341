// A diagnostic, not part of `npm run bench`: N back-to-back launches of /bin/true and
// where the CPU went, per launch: the JS thread, the engine's spawner thread, the other
// threads (V8, libuv), and the children (reaped, so in this process's cutime/cstime).
// Also a target for system-wide tools (perf stat, perf sched, strace -c): see
// docs/performance.md, "Where the time goes".
//
//   node bench/diag/launches.mjs engine-vfork|engine-fork|child_process|none [N]
//   node bench/diag/launches.mjs c [N]        the C posix_spawn loop (built by npm run bench)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const [name = 'engine-vfork', count = '2000'] = process.argv.slice(2);
const n = Number(count);
const here = path.dirname(fileURLToPath(import.meta.url));

const HZ = 100;  // USER_HZ of /proc/<pid>/stat
const threadNs = () => {
  const out = new Map();
  for (const tid of readdirSync('/proc/self/task')) out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
  return out;
};
const childMs = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / HZ;  // cutime + cstime
};

let once;
if (name === 'c') {
  once = null;
} else {
  const lab = require('proclab');
  const NULL3 = [{ type: 'null' }, { type: 'null' }, { type: 'null' }];
  const profile = (method) => ({ version: 1, name: 'b', path: '/bin/true', args: ['true'], files: NULL3, engine: { method } });
  once = {
    'engine-vfork': () => lab.launch(profile('vfork')).result,
    'engine-fork': () => lab.launch(profile('fork')).result,
    child_process: () => new Promise((resolve) => spawn('/bin/true', [], { stdio: 'ignore' }).once('exit', resolve)),
    none: async () => {},
  }[name];
  if (!once) throw new Error(`unknown spawner ${name}`);
  for (let i = 0; i < 50; i++) await once();  // warm-up
}

const t0 = process.hrtime.bigint();
const before = threadNs();
const children0 = childMs();
if (once) {
  for (let i = 0; i < n; i++) await once();
} else {
  const r = spawnSync(path.join(here, '..', 'build', 'posix_spawn_loop'), ['0', '1', String(n), '1e9'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('run npm run bench once first: it builds bench/build/posix_spawn_loop');
}
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const after = threadNs();
const per = (ms) => ((ms * 1000) / n).toFixed(0).padStart(5);
const threads = [...after].map(([tid, ns]) => ({ tid, ms: (ns - (before.get(tid) ?? 0)) / 1e6 })).sort((a, b) => b.ms - a.ms);
const main = threads.find((t) => t.tid === String(process.pid));
const others = threads.filter((t) => t !== main);
const children = childMs() - children0;
const total = threads.reduce((s, t) => s + t.ms, 0) + children;
console.log(`${name}: ${n} launches, wall ${per(wallMs)} µs each; CPU per launch (µs): total ${per(total)} = JS thread ${per(main.ms)}`
  + `, busiest other thread ${per(others[0]?.ms ?? 0)} (the spawner, for the engine), remaining threads ${per(others.slice(1).reduce((s, t) => s + t.ms, 0))}`
  + `, children ${per(children)} (10 ms ticks)`);
