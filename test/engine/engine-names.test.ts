// The names the engine and the lab share (native/engine-names.json) have one home: the
// generated C++ header and TypeScript module are current, and what the engine really puts
// in plans and traces is exactly those names, in that order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { CHILD_STEPS, FD_OPS, SPEC_FLAGS, SPEC_INTS } from '../../src/shared/engine-names';
import { ENGINE_FIELDS, SYS_FIELDS, type FieldDescription } from '../../src/shared/fields';
import type { PlanOp } from '../../src/shared/result';
import { engine } from '../../src/main/lab/engine';
import { launch, launchProbe, plan } from '../../src/main/lab/index';
import { sandboxSpec } from '../../src/main/lab/sandbox';
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
    // Between them, every step: every boolean sys field on (so a new one is covered without
    // a word here), and the others given. A credential drop needs root, or its steps fail
    // (still planned).
    const everyFlag = Object.fromEntries(Object.entries(SYS_FIELDS as Record<string, FieldDescription>).filter(([, f]) => f.input === 'boolean').map(([key]) => [key, true]));
    const all = probeProfile({
      dir,
      files: [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'inherit', fd: inherited }],
      sys: { ...everyFlag, chroot: '/', credential: { uid: isRoot ? 0 : process.getuid!(), gid: 0, groups: [] } },
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

  test('the plain fields the engine reads by name are the simple fields of sys and engine, of their kind', () => {
    const simple = (input: FieldDescription['input']) =>
      Object.entries({ ...SYS_FIELDS, ...ENGINE_FIELDS } as Record<string, FieldDescription>)
        .filter(([, field]) => field.input === input)
        .map(([key]) => key)
        .sort();
    assert.deepEqual([...SPEC_FLAGS].sort(), simple('boolean'));
    assert.deepEqual([...SPEC_INTS].sort(), simple('integer'));
  });

  test('a boolean field puts the steps its description names in the plan, and only when it is on', () => {
    const booleans = Object.entries({ ...SYS_FIELDS, ...ENGINE_FIELDS } as Record<string, FieldDescription>).filter(([, f]) => f.input === 'boolean');
    for (const [key, field] of booleans) {
      const group = key in SYS_FIELDS ? 'sys' : 'engine';
      const stepsWith = (on: boolean) => new Set(plan({ version: 1, name: key, path: '/bin/true', args: ['true'], [group]: { [key]: on } }).plan.map((op) => op.step));
      for (const step of Object.keys(field.steps ?? {})) {
        assert.ok(stepsWith(true).has(step as PlanOp['step']), `${key} on: ${step}`);
        assert.ok(!stepsWith(false).has(step as PlanOp['step']), `${key} off: no ${step}`);
      }
    }
  });

  test('the engine refuses a spec whose field is missing or of the wrong type, naming it', () => {
    const spec = sandboxSpec(3);
    const without = { ...spec } as Partial<typeof spec>;
    delete without.setsid;
    assert.throws(() => engine().plan(without as typeof spec, undefined, 0, false), { name: 'TypeError', message: "the engine's spec: setsid is not a boolean" });
    assert.throws(() => engine().plan({ ...spec, pgid: '3' as unknown as number }, undefined, 0, false), { message: "the engine's spec: pgid is not a number" });
    assert.throws(() => engine().plan({ ...spec, files: [{ type: 'socket' as 'pipe' }] }, undefined, 0, false), { message: "the engine's spec: type is not a file type" });
    assert.doesNotThrow(() => engine().plan(spec, undefined, 0, false));
  });
});
