// The lab itself: after runs of every kind its descriptor table is as it was, and no
// child is left unreaped.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { probeProfile, runProfile } from '../support/probe';

// Each open fd with what it points at. Listing /proc/self/fd opens a descriptor of its
// own, closed again by the time readlink asks, and tsx (which runs this test) writes its
// compile cache whenever it likes: both left out.
const openFds = () =>
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

// A pid still in /proc is alive or an unreaped zombie: either way not cleaned up.
const stillThere = (pids: number[]) => pids.filter((pid) => existsSync(`/proc/${pid}`));

test('64 launches of every outcome leave the lab fd table and process list as they were', async () => {
  const kinds: Profile[] = [
    probeProfile({}, ['--quiet']),
    probeProfile({ engine: { method: 'fork' } }, ['--quiet', '--exit', '3']),
    probeProfile({ dir: '/nonexistent' }),
    probeProfile({ path: '/nonexistent' }),
    probeProfile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { setsid: true, setctty: true } }),
    probeProfile({ files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'file', path: '/nonexistent/x', mode: 'r' }] }),
    { ...probeProfile({}, ['--quiet', '--sleep', '5000']), timeoutMs: 20 },
    probeProfile({ sys: { ptrace: true } }),
  ];
  await runProfile(kinds[0]);  // the engine's own thread and descriptors start with the first launch
  const before = openFds();
  const results = await Promise.all(
    Array.from({ length: 8 * kinds.length }, (_, i) => {
      const run = launch(kinds[i % kinds.length], {
        onEvent: (e) => {
          if (e.kind === 'stopped') void run.detach();
        },
      });
      return run.result;
    }),
  );
  assert.deepEqual(openFds(), before);
  const pids = results.flatMap((r) => (r.pid === null ? [] : [r.pid]));
  assert.equal(pids.length, 7 * kinds.length);  // all but the failed opens had a child
  assert.deepEqual(stillThere(pids), []);
});
