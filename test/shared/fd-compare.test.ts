// The predicted table beside the observed one: identities, sources, trace alignment.
// Run: node --import tsx --test test/shared/fd-compare.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { ObservedFd } from '../../src/shared/api';
import { compareFdTables, differences } from '../../src/shared/fd-compare';
import { hostFdOfSource, profileSources, sourceIdentities } from '../../src/shared/fd-sources';
import { alignTrace } from '../../src/shared/fd-trace';
import { hostTable, walkPlan, type FdTable } from '../../src/shared/fd-view';
import type { LaunchFds, PlanOp, TraceEntry } from '../../src/shared/result';

const files = [{ type: 'null' as const }, { type: 'pipe' as const }, { type: 'pipe' as const }];
// A launch of [null, pipe, pipe]: the lab opened them at 34, 36 and 38, the status pipe at 40.
const launched: LaunchFds = {
  slotFds: [34, 36, 38],
  statusFd: 40,
  sourceIds: [
    { dev: 5, ino: 4 },
    { dev: 13, ino: 1001 },
    { dev: 13, ino: 1002 },
  ],
  statusId: { dev: 13, ino: 1003 },
};
const host = hostTable(launched.slotFds, launched.statusFd, profileSources(files));
const fdOp = (call: string, op: PlanOp['op'], args: number[], pass?: 1 | 2): PlanOp => ({ step: op === 'close_range' ? 'closefds' : 'fd', call, op, args, ...(pass && { pass }) });
const plan: PlanOp[] = [
  { step: 'signals', call: 'rt_sigaction(1..64, SIG_DFL)' },
  fdOp('dup2(34, 0)', 'dup2', [34, 0], 2),
  fdOp('dup2(36, 1)', 'dup2', [36, 1], 2),
  fdOp('dup2(38, 2)', 'dup2', [38, 2], 2),
  fdOp('close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)', 'close_range', [3]),
  { step: 'execve', call: 'execve("/bin/true")' },
];
const predicted: FdTable = walkPlan(plan, host, launched.slotFds).atExec;
const observedFd = (fd: number, dev: number | null, ino: number | null, cloexec = false): ObservedFd => ({ fd, target: `x:${fd}`, dev, ino, cloexec, access: 'rw' });
const asObserved: ObservedFd[] = [observedFd(0, 5, 4), observedFd(1, 13, 1001), observedFd(2, 13, 1002)];

describe('sources of a profile', () => {
  test('each opened source is its own; inherits are host:N; every pty slot shares the pty', () => {
    const sourceOf = profileSources([
      { type: 'null' },
      { type: 'null' },
      { type: 'inherit', fd: 2 },
      { type: 'file', path: '/tmp/log', mode: 'a' },
      { type: 'pty' },
      { type: 'pty' },
      { type: 'pipe' },
    ]);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((slot) => sourceOf(30 + slot, slot)),
      [
        { id: 'open:0', kind: 'null', label: '/dev/null' },
        { id: 'open:1', kind: 'null', label: '/dev/null' },
        { id: 'host:2', kind: 'inherit', label: "the lab's fd 2" },
        { id: 'open:3', kind: 'file', label: '/tmp/log (append)' },
        { id: 'pty', kind: 'pty', label: 'the pty slave' },
        { id: 'pty', kind: 'pty', label: 'the pty slave' },
        { id: 'open:6', kind: 'pipe', label: 'pipe to the lab (output 6)' },
      ],
    );
    assert.equal(profileSources([{ type: 'pipe' }])(3, 0).label, 'pipe from the lab (stdin)');
  });

  test('identities by source id, and where each source is in the lab', () => {
    const ids = sourceIdentities(host, launched);
    assert.deepEqual(ids.get('open:1'), { dev: 13, ino: 1001 });
    assert.deepEqual(ids.get('status'), { dev: 13, ino: 1003 });
    assert.equal(hostFdOfSource(host).get('open:2'), 38);
  });
});

describe('predicted versus observed', () => {
  test('the table the plan predicts, observed as is: no difference', () => {
    const rows = compareFdTables(predicted, sourceIdentities(host, launched), asObserved, 'probe');
    assert.deepEqual(rows.map((r) => [r.fd, r.match]), [[0, 'same'], [1, 'same'], [2, 'same']]);
    assert.deepEqual(differences(rows), []);
  });

  test('a /proc snapshot: what the program opened, closed or replaced says so', () => {
    const observed = [observedFd(0, 5, 4), observedFd(1, 13, 1002), observedFd(3, 8, 77, true)];
    const rows = compareFdTables(predicted, sourceIdentities(host, launched), observed, 'proc');
    assert.deepEqual(rows.map((r) => [r.fd, r.match]), [[0, 'same'], [1, 'other-file'], [2, 'missing'], [3, 'extra']]);
    assert.match(rows[1]!.why!, /after exec.*the file of fd 2 \(pipe to the lab \(output 2\)\)$/);
    assert.match(rows[2]!.why!, /closed or moved it after exec/);
    assert.match(rows[3]!.why!, /opened it itself after exec/);
  });

  test('from the probe a difference is the launch going wrong, and cites golang/go#37857', () => {
    const observed = [...asObserved, observedFd(7, 1, 1)];
    const rows = differences(compareFdTables(predicted, sourceIdentities(host, launched), observed, 'probe'));
    assert.deepEqual(rows.map((r) => [r.fd, r.match]), [[7, 'extra']]);
    assert.match(rows[0]!.why!, /golang\/go#37857/);
  });

  test('close-on-exec, and identities that could not be read', () => {
    const observed = [observedFd(0, 5, 4, true), observedFd(1, null, null), observedFd(2, 13, 1002)];
    const unknownSource: LaunchFds = { ...launched, sourceIds: [launched.sourceIds[0]!, launched.sourceIds[1]!, null] };
    const rows = compareFdTables(predicted, sourceIdentities(host, unknownSource), observed, 'proc');
    assert.deepEqual(rows.map((r) => r.match), ['cloexec', 'unknown', 'unknown']);
    assert.match(rows[2]!.why!, /could not fstat this fd's source/);
  });
});

describe('alignTrace', () => {
  const entry = (op: PlanOp, ok = true): TraceEntry => ({ step: op.step, call: op.call, ok, state: ok ? 'done' : 'failed' });
  test('each op gets its trace entry; ops after the failing one get none', () => {
    const trace = [entry(plan[0]!), entry(plan[1]!), entry(plan[2]!, false)];
    assert.deepEqual(alignTrace(plan, trace), [trace[0], trace[1], trace[2], null, null, null]);
  });
  test('an op missing from the trace does not shift the rest', () => {
    const trace = [entry(plan[0]!), entry(plan[2]!), entry(plan[3]!)];
    assert.deepEqual(alignTrace(plan, trace).map((t) => t?.call ?? null), [plan[0]!.call, null, plan[2]!.call, plan[3]!.call, null, null]);
  });
});
