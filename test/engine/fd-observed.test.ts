// The fd view's prediction against reality: for random profiles, the table the view
// predicts (the plan walked over the host table, fd-view.ts) is exactly the one the probe
// reports, matched by identity as the run view matches them (fd-compare.ts).
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { probeFds } from '../../src/main/lab/observe';
import type { ProbeReport } from '../../src/shared/api';
import { compareFdTables, differences } from '../../src/shared/fd-compare';
import { profileSources, sourceIdentities } from '../../src/shared/fd-sources';
import { hostTable, walkPlan } from '../../src/shared/fd-view';
import type { Profile } from '../../src/shared/profile';
import { METHODS, probeProfile, runProfile, scratchDir } from '../support/probe';
import { prng } from '../support/prng';

type FileEntry = NonNullable<Profile['files']>[number];

const CASES = 24;

function randomFiles(seed: number, dir: string, inheritable: readonly number[]): FileEntry[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  return Array.from({ length: Math.floor(rand() * 9) }, (_, slot): FileEntry => {
    switch (pick(['null', 'pipe', 'inherit', 'inherit', 'file', 'closed'] as const)) {
      case 'null':
        return { type: 'null' };
      case 'pipe':
        return { type: 'pipe' };
      case 'inherit':
        return { type: 'inherit', fd: pick(inheritable) };
      case 'file':
        return { type: 'file', path: path.join(dir, `f${slot}`), mode: pick(['r', 'w', 'a', 'rw'] as const), create: true };
      case 'closed':
        return { type: 'closed' };
    }
  });
}

for (const method of METHODS) {
  describe(`the fd view's prediction is what the probe gets (${method})`, () => {
    test(`${CASES} random profiles: no difference, fd by fd, by identity`, async (t) => {
      const dir = scratchDir(t);
      // Inheritable: this process's 0..2 and a few files it holds open (whatever numbers
      // they get, often ones a slot also takes, so pass 1 has work to do).
      const held = ['a', 'b', 'c'].map((name) => openSync(path.join(dir, name), 'w+'));
      t.after(() => held.forEach((fd) => closeSync(fd)));
      const inheritable = [0, 1, 2, ...held];
      for (let k = 0; k < CASES; k++) {
        const seed = 37857 + k;
        const files = randomFiles(seed, dir, inheritable);
        const out = path.join(dir, `report-${k}.json`);
        const profile = probeProfile({ files, engine: { method } }, ['--out-file', out]);
        const where = `seed ${seed}: ${JSON.stringify(files)}`;
        const result = await runProfile(profile);
        assert.equal(result.execError, null, `${where}: ${JSON.stringify(result.execError)}`);
        assert.ok(result.fds, `${where}: no fds in the result`);
        const report = JSON.parse(readFileSync(out, 'utf8')) as ProbeReport;

        const host = hostTable(result.fds.slotFds, result.fds.statusFd, profileSources(files));
        const walk = walkPlan(result.plan, host, result.fds.slotFds);
        assert.deepEqual(walk.wrongFds, [], `${where}: the walk itself is wrong`);
        const rows = compareFdTables(walk.atExec, sourceIdentities(host, result.fds), probeFds(report), 'probe');
        assert.deepEqual(
          differences(rows).map((r) => ({ fd: r.fd, match: r.match, why: r.why })),
          [],
          `${where}: predicted ${JSON.stringify(walk.atExec.map((e) => [e.fd, e.source.id]))}`,
        );
      }
    });
  });
}
