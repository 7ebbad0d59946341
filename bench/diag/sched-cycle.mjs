// A diagnostic, not part of `npm run bench`: one engine launch cycle, segment by segment,
// from the scheduler's own trace (docs/performance.md, "Where the time goes").
//
//   perf sched record -o /tmp/sched.data -- node bench/diag/launches.mjs engine-vfork 1500
//   perf script -i /tmp/sched.data -F comm,tid,cpu,time,event,trace > /tmp/sched.txt
//   node bench/diag/sched-cycle.mjs /tmp/sched.txt
//
// The spawner thread is the thread that forks the most children; the JS thread is the
// one that wakes the spawner the most (each launch() ends with that wake-up).
import { readFileSync } from 'node:fs';

const events = [];
for (const line of readFileSync(process.argv[2], 'utf8').split('\n')) {
  const m = line.match(/^\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)$/);
  if (m) events.push({ tid: Number(m[2]), cpu: Number(m[3]), us: Number(m[4]) * 1e6, ev: m[5], args: m[6] });
}
const mostOften = (list, key) => {
  const count = new Map();
  for (const x of list) count.set(key(x), (count.get(key(x)) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
};
const forks = events.filter((e) => e.ev === 'sched_process_fork');
const spawner = mostOften(forks, (e) => e.tid);
const wakers = events.filter((e) => e.ev === 'sched_waking' && e.args.includes(`pid=${spawner} `) && e.tid !== spawner);
const candidate = mostOften(wakers, (e) => e.tid);
const forksBySpawner = forks.filter((e) => e.tid === spawner).length;
const main = wakers.filter((e) => e.tid === candidate).length >= forksBySpawner / 2 ? candidate : undefined;
if (!spawner) throw new Error('no launches in this trace');
// For the C loop (bench/build/posix_spawn_loop) there is no JS thread: only the child's parts.

// The cycle as the engine runs it now: launch() wakes the spawner, which clones; the child
// releases it at its execve (vfork); the spawner sends "spawned" (a ThreadSafeFunction:
// it wakes the JS thread); the child's exit wakes the JS thread itself (its pidfd, in libuv).
const seg = {
  'JS: on a CPU after the exit -> wakes the spawner for the next launch': [],
  'spawner: woken -> on a CPU': [],
  'spawner: on a CPU -> clone()': [],
  'child: clone() -> releases the parent (vfork done: in execve, or exited)': [],
  'spawner: released -> wakes JS with "spawned"': [],
  'child: clone() -> exit (pre-exec steps, execve, /bin/true)': [],
  'JS: woken by the exit -> on a CPU': [],
  'cycle: clone() to next clone()': [],
};
const K = Object.keys(seg);
const [JS_TURN, SP_WAKE, SP_PRE, CH_VFORK, SP_SPAWNED, CH_RUN, EXIT_WAKE, CYCLE] = K;
const cpuOf = new Map();  // each thread's CPU when it last went on one
let submit = null, spawnerIn = null, fork = null, child = null, forkCpu = null, exitWoke = null, jsIn = null, released = null;
let jsPreemptedBySpawner = 0, childPreemptions = 0, launches = 0, sameCpu = 0, migrated = 0;
for (const e of events) {
  const sw = e.ev === 'sched_switch';
  const next = sw ? Number(e.args.match(/next_pid=(\d+)/)?.[1]) : null;
  if (sw) cpuOf.set(next, e.cpu);
  if (e.ev === 'sched_waking' && e.tid === main && e.args.includes(`pid=${spawner} `)) {
    // Not every such wake-up is a launch (the two threads also meet on futexes): the
    // first one after the JS thread came back for an exit is.
    if (jsIn !== null || submit === null) {
      if (jsIn !== null) seg[JS_TURN].push(e.us - jsIn);
      submit = e.us;
      jsIn = null;
      spawnerIn = null;
    }
  }
  if (sw && e.tid === main && /prev_state=R/.test(e.args) && next === spawner) jsPreemptedBySpawner++;
  if (sw && next === spawner && submit !== null && spawnerIn === null) {
    spawnerIn = e.us;
    seg[SP_WAKE].push(e.us - submit);
  }
  if (e.ev === 'sched_process_fork' && e.tid === spawner) {
    if (fork !== null) seg[CYCLE].push(e.us - fork);
    launches++;
    fork = e.us;
    forkCpu = e.cpu;
    if (main !== undefined && cpuOf.get(main) === e.cpu) sameCpu++;
    released = null;
    child = Number(e.args.match(/child_pid=(\d+)/)[1]);
    if (spawnerIn !== null) seg[SP_PRE].push(e.us - spawnerIn);
  }
  if (e.ev === 'sched_waking' && e.tid === child && released === null && e.args.includes(`pid=${spawner} `)) {
    seg[CH_VFORK].push(e.us - fork);
    released = e.us;
  }
  if (e.ev === 'sched_waking' && e.tid === spawner && released !== null && main !== undefined && e.args.includes(`pid=${main} `)) {
    seg[SP_SPAWNED].push(e.us - released);
    released = -1;  // told
  }
  if (sw && e.tid === child && /prev_state=R/.test(e.args) && next === spawner) childPreemptions++;
  if (e.ev === 'sched_waking' && e.tid === child && main !== undefined && e.args.includes(`pid=${main} `)) exitWoke = e.us;
  if (sw && e.tid === child && e.args.includes('prev_state=Z')) {
    if (fork !== null) seg[CH_RUN].push(e.us - fork);
    if (e.cpu !== forkCpu) migrated++;
  }
  if (sw && next === main && exitWoke !== null) {
    seg[EXIT_WAKE].push(e.us - exitWoke);
    jsIn = e.us;
    exitWoke = null;
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};
console.log(main ? `JS thread ${main}, spawner thread ${spawner}, ${launches} launches` : `no JS thread (a C loop?); spawning thread ${spawner}, ${launches} launches`);
for (const [k, xs] of Object.entries(seg)) if (xs.length) console.log(`${median(xs).toFixed(0).padStart(6)} µs  ${k}  (n ${xs.length})`);
if (main) {
  console.log(`JS thread preempted on its own CPU by the spawner it woke: ${jsPreemptedBySpawner} times`);
  console.log(`spawner cloned on the CPU the JS thread was last on: ${sameCpu} of ${launches}`);
}
console.log(`child exited on another CPU than it was cloned on (moved, at its execve or after): ${migrated} of ${launches}`);
console.log(`exec'ing child preempted by the spawner: ${childPreemptions} times (${(childPreemptions / Math.max(1, launches)).toFixed(2)} a launch)`);
