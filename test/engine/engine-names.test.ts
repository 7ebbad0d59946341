// The names the engine and the lab share (native/engine-names.json) have one home: the
// generated C++ header and TypeScript module are current, and what the engine really puts
// in plans and traces is exactly those names, in that order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { CHILD_STEPS, FD_OPS } from '../../src/shared/engine-names';
import type { PlanOp } from '../../src/shared/result';
import { launch, launchProbe } from '../../src/main/lab/index';
import { isRoot, probeProfile, scratchDir } from '../support/probe';

const root = path.resolve(__dirname, '../..');

describe('engine names', () => {
  test('the generated header and module are what native/engine-names.json makes', () => {
    const check = spawnSync(process.execPath, [path.join(root, 'scripts/generate-engine-names.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  test("the engine's plans use every child step, only those, in their order", async (t) => {
    const dir = scratchDir(t);
    const inherited = openSync('/dev/null', 'r');
    t.after(() => closeSync(inherited));
    // Between them, every step: a credential drop needs root, or its steps fail (still planned).
    const all = probeProfile({
      dir,
      files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'inherit', fd: inherited }],
      sys: { ptrace: true, setsid: true, setpgid: true, chroot: '/', credential: { uid: isRoot ? 0 : process.getuid!(), gid: 0, groups: [] }, setctty: true, noctty: true },
    });
    const plans: PlanOp[][] = [];
    for (const run of [launch(all, { onEvent: (e) => e.kind === 'stopped' && void run.detach() }), launchProbe(probeProfile({}))]) {
      plans.push((await run.result).plan);
    }
    const steps = plans.flatMap((plan) => plan.map((op) => op.step));
    const order = (plan: PlanOp[]) => [...new Set(plan.map((op) => op.step))];
    for (const plan of plans) {
      const seen = order(plan);
      assert.deepEqual(seen, CHILD_STEPS.filter((s) => seen.includes(s)), 'in the order CHILD_STEPS has them');
    }
    assert.deepEqual([...new Set(steps)].sort(), [...CHILD_STEPS].sort(), 'every child step, and no other');
    const ops = new Set(plans.flatMap((plan) => plan.flatMap((op) => (op.op ? [op.op] : []))));
    assert.ok([...ops].every((op) => (FD_OPS as readonly string[]).includes(op)), [...ops].join());
  });
});
