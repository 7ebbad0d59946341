// The names the engine and the lab share (native/engine-names.json) have one home: the
// generated C++ header and TypeScript module are current, and what the engine really puts
// in plans and traces is exactly those names, in that order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { CHILD_STEPS, FD_OPS, GO_ORDER, SPEC_FLAGS, SPEC_INTS, SPEC_OPTIONAL_INTS } from '../../src/shared/engine-names';
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

  test("the engine's plans use every child step, only those, in the order asked for (the seed's or Go's)", async (t) => {
    const dir = scratchDir(t);
    const inherited = openSync('/dev/null', 'r');
    t.after(() => closeSync(inherited));
    // Between them, every step: every boolean sys field on (so a new one is covered without
    // a word here), and the others given. Plans only, but for the steps only a launch has
    // (inherit: a pinned host fd; report: the probe's memfd).
    const everyFlag = Object.fromEntries(Object.entries(SYS_FIELDS as Record<string, FieldDescription>).filter(([, f]) => f.input === 'boolean').map(([key]) => [key, true]));
    const map = [{ containerId: 0, hostId: process.getuid!(), size: 1 }];
    const sys = {
      ...everyFlag,
      chroot: '/',
      credential: { uid: isRoot ? 0 : process.getuid!(), gid: 0, groups: [] },
      ambientCaps: ['CAP_NET_BIND_SERVICE'],
      pdeathsig: 'SIGTERM',
      umask: '022',
      nice: 0,
      cpuAffinity: [0],
      oomScoreAdj: 0,
      rlimits: { NOFILE: { soft: 64, hard: 64 } },
    };
    // setctty and foreground cannot go together (the schema refuses the pair): one each.
    const byClone = { ...sys, foreground: false, cloneflags: ['CLONE_NEWUSER'], uidMappings: map, gidMappings: map };
    const byUnshare = { ...sys, setctty: false, unshareflags: ['CLONE_NEWUSER', 'CLONE_NEWNS'], uidMappings: map, gidMappings: map };
    const files = [{ type: 'pty' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'inherit', fd: inherited }] as const;
    const planned = (s: object, order: 'seed' | 'go') => plan(probeProfile({ dir, files: [...files], sys: s, engine: { order } })).plan;
    const launched = probeProfile({ dir, files: [...files], sys: { ptrace: true } });
    const plans: { order: readonly string[]; plan: PlanOp[] }[] = [];
    for (const order of ['seed', 'go'] as const) {
      for (const s of [byClone, byUnshare]) plans.push({ order: order === 'go' ? GO_ORDER : CHILD_STEPS, plan: planned(s, order) });
    }
    const traced = launch(launched, { onEvent: (e) => e.kind === 'stopped' && void traced.detach() });
    for (const run of [traced, launchProbe(probeProfile({}))]) {
      plans.push({ order: CHILD_STEPS, plan: (await run.result).plan });
    }
    for (const { order, plan: p } of plans) {
      const seen: string[] = [...new Set(p.map((op) => op.step))];
      assert.deepEqual(seen, order.filter((s) => seen.includes(s)), 'in the order asked for');
    }
    const steps = new Set(plans.flatMap(({ plan: p }) => p.map((op) => op.step)));
    assert.deepEqual([...steps].sort(), [...CHILD_STEPS].sort(), 'every child step, and no other');
    const ops = new Set(plans.flatMap(({ plan: p }) => p.flatMap((op) => (op.op ? [op.op] : []))));
    assert.ok([...ops].every((op) => (FD_OPS as readonly string[]).includes(op)), [...ops].join());
    // What Go moved: ptrace comes last in its order, first in the seed's.
    const ptraceAt = (order: 'seed' | 'go') => planned({ ptrace: true, setsid: true }, order).map((op) => op.step).filter((s) => s !== 'signals')[0];
    assert.equal(ptraceAt('seed'), 'ptrace');
    assert.equal(ptraceAt('go'), 'setsid');
  });

  test('the plain fields the engine reads by name are the simple fields of sys and engine, of their kind', () => {
    const simple = (input: FieldDescription['input']) =>
      Object.entries({ ...SYS_FIELDS, ...ENGINE_FIELDS } as Record<string, FieldDescription>)
        .filter(([, field]) => field.input === input)
        .map(([key]) => key)
        .sort();
    const integers = Object.entries({ ...SYS_FIELDS, ...ENGINE_FIELDS } as Record<string, FieldDescription>).filter(([, f]) => f.input === 'integer');
    assert.deepEqual([...SPEC_FLAGS].sort(), simple('boolean'));
    assert.deepEqual([...SPEC_INTS].sort(), integers.filter(([, f]) => 'default' in f && f.default !== undefined).map(([key]) => key).sort());
    // An optional int is absent from the spec when the profile leaves it: an integer field
    // without a default, or another kind the lab turns into a number (a signal, an octal mode).
    const optional = integers.filter(([, f]) => !('default' in f) || f.default === undefined).map(([key]) => key);
    assert.ok(optional.every((key) => (SPEC_OPTIONAL_INTS as readonly string[]).includes(key)), optional.join());
    assert.ok(SPEC_OPTIONAL_INTS.every((key) => key in SYS_FIELDS), SPEC_OPTIONAL_INTS.join());
  });

  test('a boolean field puts the steps its description names in the plan, and only when it is on', () => {
    const booleans = Object.entries({ ...SYS_FIELDS, ...ENGINE_FIELDS } as Record<string, FieldDescription>).filter(([, f]) => f.input === 'boolean');
    for (const [key, field] of booleans) {
      const group = key in SYS_FIELDS ? 'sys' : 'engine';
      const stepsWith = (on: boolean) => new Set(plan({ version: 1, name: key, path: '/bin/true', args: ['true'], files: [{ type: 'pty' }], [group]: { [key]: on } }).plan.map((op) => op.step));
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
