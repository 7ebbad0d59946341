// The soak: launches of every outcome on both methods, in waves and in bursts, then a look
// at the lab itself. Its descriptor table must be exactly as it was, no child may be left
// (alive or zombie), and memory may grow only within a bound. Short form in npm test
// (test/engine/soak.test.ts), long form with `npm run soak`.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { probeProfile } from './probe';

// Each open fd with what it points at. Listing /proc/self/fd opens a descriptor of its
// own, closed again by the time readlink asks, and tsx (which runs the tests) writes its
// compile cache whenever it likes: both left out.
export const openFds = (): string[] =>
  readdirSync('/proc/self/fd')
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return /\/tsx-\d+/.test(target) ? [] : [`${fd} -> ${target}`];
      } catch {
        return [];
      }
    });

// The fd table once the lab's own clean-up after the runs (a run's summary, pruning old
// run folders) is done: equal to `before` within SETTLE_MS, or as it is then.
const SETTLE_MS = 5000;
async function settledFds(before: string[]): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const now = openFds();
    if (isDeepStrictEqual(now, before) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// The fd table once it has stayed the same for QUIET_MS (at most SETTLE_MS): the baseline,
// taken when the first run's clean-up is over.
const QUIET_MS = 300;
async function quietFds(): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  let last = openFds();
  let since = Date.now();
  while (Date.now() - since < QUIET_MS && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = openFds();
    if (!isDeepStrictEqual(now, last)) [last, since] = [now, Date.now()];
  }
  return last;
}

// A pid still in /proc is alive or an unreaped zombie: either way not cleaned up.
export const stillThere = (pids: number[]): number[] => pids.filter((pid) => existsSync(`/proc/${pid}`));

export interface Kind {
  name: string;
  profile: Profile;
  // Done to the run as soon as it has started (a signal, a ptrace detach).
  poke?: 'kill' | 'detach';
  // What its result must say.
  expect: Expected;
}

interface Expected {
  status?: RunResult['status'];
  execError?: { step: string; code: string } | null;
  timedOut?: boolean;
  // The probe's JSON report on fd 1.
  reported?: boolean;
}

const exited = (code: number): RunResult['status'] => ({ kind: 'exited', code });
const signaled = (signal: string, number: number): RunResult['status'] => ({ kind: 'signaled', signal, number, coreDumped: false });
const failedAt = (step: string, code: string): Expected => ({ execError: { step, code }, status: step === 'open' || step === 'lookup' ? null : exited(253) });

// Every outcome a launch can have, each on both methods.
function kinds(): Kind[] {
  const sleeper = (ms: number) => probeProfile({}, ['--quiet', '--sleep', String(ms)]);
  const base: Kind[] = [
    { name: 'exit 0', profile: probeProfile({}, ['--quiet']), expect: { status: exited(0), execError: null } },
    { name: 'exit 3', profile: probeProfile({}, ['--quiet', '--exit', '3']), expect: { status: exited(3), execError: null } },
    { name: 'output', profile: probeProfile(), expect: { status: exited(0), execError: null, reported: true } },
    { name: 'chdir ENOENT', profile: probeProfile({ dir: '/nonexistent' }), expect: failedAt('chdir', 'ENOENT') },
    { name: 'execve ENOENT', profile: probeProfile({ path: '/nonexistent' }), expect: failedAt('execve', 'ENOENT') },
    { name: 'execve EACCES', profile: probeProfile({ path: '/etc/passwd' }), expect: failedAt('execve', 'EACCES') },
    { name: 'setpgid EPERM', profile: probeProfile({ sys: { setsid: true, setpgid: true } }), expect: failedAt('setpgid', 'EPERM') },
    {
      name: 'setctty EPERM',
      profile: probeProfile({ files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }], sys: { setctty: true } }),
      expect: failedAt('setctty', 'EPERM'),
    },
    {
      name: 'open ENOENT',
      profile: probeProfile({ files: [{ type: 'null' }, { type: 'file', path: '/nonexistent/x', mode: 'r' }] }),
      expect: failedAt('open', 'ENOENT'),
    },
    { name: 'lookup ENOENT', profile: probeProfile({ path: 'no-such-program', env: ['PATH=/nonexistent'] }), expect: failedAt('lookup', 'ENOENT') },
    {
      name: 'pty session',
      profile: probeProfile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true } }),
      expect: { status: exited(0), execError: null },
    },
    { name: 'timeout', profile: { ...sleeper(5000), timeoutMs: 10 }, expect: { status: signaled('SIGKILL', 9), timedOut: true } },
    { name: 'SIGTERM', profile: sleeper(5000), poke: 'kill', expect: { status: signaled('SIGTERM', 15), execError: null, timedOut: false } },
    { name: 'ptrace', profile: probeProfile({ sys: { ptrace: true } }, ['--quiet']), poke: 'detach', expect: { status: exited(0), execError: null } },
  ];
  return (['vfork', 'fork'] as const).flatMap((method) =>
    base.map((k) => ({ ...k, name: `${k.name} (${method})`, profile: { ...k.profile, engine: { method } } })),
  );
}

// What in a result differs from what its kind must give, in words; empty when nothing.
function surprisesIn(kind: Kind, r: RunResult): string[] {
  const out: string[] = [];
  const { status, execError, timedOut, reported } = kind.expect;
  if (status !== undefined && !isDeepStrictEqual(r.status, status)) out.push(`status ${JSON.stringify(r.status)}`);
  if (execError === null && r.execError !== null) out.push(`exec error ${JSON.stringify(r.execError)}`);
  if (execError && (r.execError?.step !== execError.step || r.execError.code !== execError.code)) out.push(`exec error ${JSON.stringify(r.execError)}`);
  if (timedOut !== undefined && r.timedOut !== timedOut) out.push(`timedOut ${r.timedOut}`);
  if (reported && !/^\{"pid":/.test(r.output['1'] ?? '')) out.push('no probe report on fd 1');
  return out.map((what) => `${kind.name}: ${what}`);
}

// How the soak launches: through the library, or through browser mode's WebSocket API.
export type Launcher = (kind: Kind) => Promise<RunResult>;

const throughLibrary: Launcher = (kind) => {
  const run = launch(kind.profile, {
    onEvent: (e) => {
      if (e.kind === 'stopped' && kind.poke === 'detach') void run.detach();
    },
  });
  if (kind.poke === 'kill') void run.started.then(() => run.kill('SIGTERM'));
  return run.result;
};

export interface SoakReport {
  launches: number;
  durationMs: number;
  fdsBefore: string[];
  fdsAfter: string[];
  leftoverPids: number[];
  rssGrowthMb: number;
  // Results that did not end as their kind should (a timeout that did not time out, ...).
  surprises: string[];
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

// rounds: waves of every kind at once; burst: that many launches at once at the end.
export async function soak({ rounds, burst, runKind = throughLibrary }: { rounds: number; burst: number; runKind?: Launcher }): Promise<SoakReport> {
  const all = kinds();
  await runKind(all[0]!); // the engine's thread and its descriptors come with the first launch
  const fdsBefore = await quietFds();
  const rssBefore = rssMb();
  const started = performance.now();
  const pids: number[] = [];
  const surprises: string[] = [];
  const check = (kind: Kind, r: RunResult) => {
    if (r.pid !== null) pids.push(r.pid);
    surprises.push(...surprisesIn(kind, r));
  };
  let launches = 1;
  for (let i = 0; i < rounds; i++) {
    const results = await Promise.all(all.map(runKind));
    results.forEach((r, j) => check(all[j]!, r));
    launches += all.length;
  }
  const burstKinds = Array.from({ length: burst }, (_, i) => all[i % all.length]!);
  const burstResults = await Promise.all(burstKinds.map(runKind));
  burstResults.forEach((r, j) => check(burstKinds[j]!, r));
  launches += burst;
  return {
    launches,
    durationMs: performance.now() - started,
    fdsBefore,
    fdsAfter: await settledFds(fdsBefore),
    leftoverPids: stillThere(pids),
    rssGrowthMb: rssMb() - rssBefore,
    surprises,
  };
}
