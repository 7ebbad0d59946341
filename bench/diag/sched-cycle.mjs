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

const seg = {
  'JS: woken for "exited" -> wakes the spawner for the next launch': [],
  'spawner: woken -> on a CPU': [],
  'spawner: on a CPU -> clone()': [],
  'child: clone() -> releases the parent (vfork done: in execve, or exited)': [],
  'child: clone() -> exit (pre-exec steps, execve, /bin/true)': [],
  'child: preempted by the spawner, per preemption': [],
  'spawner: child exit -> wakes JS with "exited"': [],
  'cycle: clone() to next clone()': [],
};
const K = Object.keys(seg);
const [JS_TURN, SP_WAKE, SP_PRE, CH_VFORK, CH_RUN, CH_PRE, SP_EXIT, CYCLE] = K;
let submit = null, spawnerIn = null, fork = null, child = null, exit = null, exitedWake = null, preempt = null, released = false;
let jsPreemptedBySpawner = 0, childPreemptions = 0, launches = 0;
for (const e of events) {
  const sw = e.ev === 'sched_switch';
  if (e.ev === 'sched_waking' && e.tid === main && e.args.includes(`pid=${spawner} `)) {
    // Not every such wake-up is a launch (the two threads also meet on futexes): the
    // first one after an "exited" is.
    if (exitedWake !== null || submit === null) {
      if (exitedWake !== null) seg[JS_TURN].push(e.us - exitedWake);
      submit = e.us;
      exitedWake = null;
      spawnerIn = null;
    }
  }
  if (sw && e.tid === main && /prev_state=R/.test(e.args) && e.args.includes(`next_pid=${spawner} `)) jsPreemptedBySpawner++;
  if (sw && e.args.includes(`next_pid=${spawner} `) && submit !== null && spawnerIn === null) {
    spawnerIn = e.us;
    seg[SP_WAKE].push(e.us - submit);
  }
  if (e.ev === 'sched_process_fork' && e.tid === spawner) {
    if (fork !== null) seg[CYCLE].push(e.us - fork);
    launches++;
    fork = e.us;
    released = false;
    child = Number(e.args.match(/child_pid=(\d+)/)[1]);
    if (spawnerIn !== null) seg[SP_PRE].push(e.us - spawnerIn);
  }
  if (e.ev === 'sched_waking' && e.tid === child && !released && e.args.includes(`pid=${spawner} `)) {
    seg[CH_VFORK].push(e.us - fork);
    released = true;
  }
  if (sw && e.tid === child && /prev_state=R/.test(e.args) && e.args.includes(`next_pid=${spawner} `)) {
    preempt = e.us;
    childPreemptions++;
  }
  if (sw && e.tid === spawner && preempt !== null && e.args.includes(`next_pid=${child} `)) {
    seg[CH_PRE].push(e.us - preempt);
    preempt = null;
  }
  if (sw && e.tid === child && e.args.includes('prev_state=Z')) {
    exit = e.us;
    if (fork !== null) seg[CH_RUN].push(e.us - fork);
  }
  if (main !== undefined && e.ev === 'sched_waking' && e.tid === spawner && e.args.includes(`pid=${main} `) && exit !== null) {
    seg[SP_EXIT].push(e.us - exit);
    exitedWake = e.us;
    exit = null;
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};
console.log(main ? `JS thread ${main}, spawner thread ${spawner}, ${launches} launches` : `no JS thread (a C loop?); spawning thread ${spawner}, ${launches} launches`);
for (const [k, xs] of Object.entries(seg)) if (xs.length) console.log(`${median(xs).toFixed(0).padStart(6)} µs  ${k}  (n ${xs.length})`);
if (main) console.log(`JS thread preempted on its own CPU by the spawner it woke: ${jsPreemptedBySpawner} times`);
console.log(`exec'ing child preempted by the spawner: ${childPreemptions} times (${(childPreemptions / Math.max(1, launches)).toFixed(2)} a launch)`);
