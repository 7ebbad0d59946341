// Two runs compared (src/shared/run-compare.ts and its sections): each row the same,
// different or unknown, never "the same" where a side was not kept; the profile compared
// field by field, the trace aligned by step, the output line by line; and the helpers it
// stands on (json-diff.ts, align.ts).
// Run: node --import tsx --test test/shared/run-compare.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { ProbeReport } from '../../src/shared/api';
import { alignSequences } from '../../src/shared/align';
import { RLIMITS } from '../../src/shared/engine-names';
import { compareJson } from '../../src/shared/json-diff';
import type { NamespaceIds } from '../../src/shared/namespaces';
import type { TraceEntry } from '../../src/shared/result';
import { compareRuns, compareSummary } from '../../src/shared/run-compare';
import type { CompareRow, ComparedRun } from '../../src/shared/run-compare-rows';

const step = (name: TraceEntry['step'], call: string, state: TraceEntry['state'] = 'done', code?: string): TraceEntry => ({
  step: name,
  call,
  ok: state === 'done',
  state,
  ...(code && { code, errno: 1 }),
});

const PROFILE = { version: 1, name: 'drop', path: '/bin/true', args: ['true'], env: ['PATH=/usr/bin', 'LANG=C'], sys: { setsid: false, credential: { uid: 0, gid: 0 } } };

function run(over: Partial<ComparedRun> = {}): ComparedRun {
  return {
    name: 'drop',
    launched: '10:00:00',
    origin: 'this-page',
    probe: false,
    pid: 100,
    running: false,
    path: '/bin/true',
    status: { kind: 'exited', code: 0 },
    execError: null,
    timedOut: false,
    outputHeldOpen: [],
    trace: [step('signals', 'sigaction(…)'), step('setuid', 'setuid(0)'), step('execve', 'execve("/bin/true")')],
    profile: PROFILE,
    probeReport: null,
    labNamespaces: null,
    observed: { source: 'proc', fds: [{ fd: 1, target: 'pipe:[11]', dev: 1, ino: 11, cloexec: false, access: 'w' }] },
    output: { '1': { text: 'one\ntwo\n', droppedBytes: 0 } },
    savedKeys: ['1'],
    ...over,
  };
}

const byKey = (rows: readonly CompareRow[], key: string): CompareRow => {
  const found = rows.find((r) => r.key === key);
  assert.ok(found, `no row ${key} among ${rows.map((r) => r.key).join(', ')}`);
  return found;
};
const cellText = (cell: CompareRow['a']) => ('missing' in cell ? `missing: ${cell.missing}` : cell.text);

describe('compareRuns', () => {
  test('a run against an equal one: every row the same, nothing in the summary', () => {
    const rows = compareRuns(run(), run({ launched: '10:05:00', pid: 200, observed: { source: 'proc', fds: [{ fd: 1, target: 'pipe:[99]', dev: 1, ino: 99, cloexec: false, access: 'w' }] } }));
    const differing = rows.filter((r) => r.verdict !== 'same' && !r.info);
    assert.deepEqual(differing, [], 'a pipe is a pipe whatever its inode');
    assert.equal(byKey(rows, 'launched').info, true);
    assert.deepEqual(compareSummary(rows), { differs: [], unknown: [] });
    // Keys are unique: the view keys its rows by them.
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length);
  });

  test('the status, the exec error and its cause, each named', () => {
    const failed = run({
      status: { kind: 'exited', code: 253 },
      execError: { step: 'execve', errno: 2, code: 'ENOENT', message: 'No such file or directory', cause: { code: 'program-missing', path: '/bin/nope', text: '/bin/nope does not exist' } },
      trace: [step('signals', 'sigaction(…)'), step('setuid', 'setuid(0)'), step('execve', 'execve("/bin/nope")', 'failed', 'ENOENT')],
    });
    const rows = compareRuns(run(), failed);
    const status = byKey(rows, 'status');
    assert.equal(status.verdict, 'differs');
    assert.deepEqual([cellText(status.a), cellText(status.b)], ['exited with status 0', 'exited with status 253']);
    assert.deepEqual([status.a, status.b].map((c) => ('tone' in c ? c.tone : undefined)), ['ok', 'error']);
    assert.equal(cellText(byKey(rows, 'exec-error').b), 'execve · ENOENT (errno 2): No such file or directory');
    assert.equal(cellText(byKey(rows, 'cause').b), 'program-missing: /bin/nope does not exist');
    const trace = rows.filter((r) => r.section === 'trace');
    assert.deepEqual(trace.filter((r) => r.divergence).map((r) => r.label), ['execve']);
    const summary = compareSummary(rows);
    assert.deepEqual(summary.differs, ['status', 'exec error', 'cause', 'trace, from its execve step']);
  });

  test('a failed chdir has no cause looked for, and says so rather than "none found"', () => {
    const chdir = run({
      status: { kind: 'exited', code: 253 },
      execError: { step: 'chdir', errno: 2, code: 'ENOENT', message: 'No such file or directory' },
      trace: [step('signals', 'sigaction(…)'), step('chdir', 'chdir("/gone")', 'failed', 'ENOENT')],
    });
    assert.equal(cellText(byKey(compareRuns(run(), chdir), 'cause').b), 'not looked for: chdir failed, not execve');
    const unknown = run({ ...chdir, execError: { step: 'execve', errno: 13, code: 'EACCES', message: 'Permission denied', cause: { code: 'unknown', text: 'no cause found' } } });
    assert.equal(cellText(byKey(compareRuns(run(), unknown), 'cause').b), 'none found');
  });

  test('the profile field that differs is named by its path; env compared by name, not place', () => {
    const nobody = { ...PROFILE, env: ['LANG=C', 'PATH=/usr/bin'], sys: { setsid: false, credential: { uid: 65534, gid: 0 } } };
    const rows = compareRuns(run(), run({ profile: nobody }));
    const differing = rows.filter((r) => r.section === 'profile' && r.verdict === 'differs');
    assert.deepEqual(differing.map((r) => [r.label, cellText(r.a), cellText(r.b)]), [['sys.credential.uid', '0', '65534']]);
    assert.ok(!rows.some((r) => r.label === 'name'), 'the name is the run rows’ business');
    assert.deepEqual(compareSummary(rows).differs, ['1 profile field: sys.credential.uid']);
    // A variable set in one only, and bytes in hex compared as the text they stand for.
    const more = compareRuns(run(), run({ profile: { ...PROFILE, path: { hex: '2f62696e2f74727565' }, env: [...PROFILE.env, 'TZ=UTC'] } }));
    const tz = byKey(more, 'profile.env.TZ');
    assert.deepEqual([cellText(tz.a), cellText(tz.b), tz.verdict], ['not set', '"UTC"', 'differs']);
    assert.equal(byKey(more, 'profile.path').verdict, 'same');
  });

  test('the trace aligned by step: a step one run took alone stands alone, the first difference marked', () => {
    const dropped = run({
      status: { kind: 'exited', code: 253 },
      trace: [step('signals', 'sigaction(…)'), step('setgroups', 'setgroups(0, [])'), step('setuid', 'setuid(65534)', 'failed', 'EPERM'), step('execve', 'execve("/bin/true")', 'not-run')],
    });
    const trace = compareRuns(run(), dropped).filter((r) => r.section === 'trace');
    assert.deepEqual(
      trace.map((r) => [r.label, r.verdict, r.onlyIn ?? '', r.divergence ?? false]),
      [
        ['signals', 'same', '', false],
        ['setgroups', 'differs', 'b', true],
        ['setuid', 'differs', '', false],
        ['execve', 'differs', '', false],
      ],
    );
    assert.equal(cellText(trace[1]!.a), 'not taken');
    assert.equal(cellText(trace[2]!.b), 'setuid(65534) · failed EPERM');
    assert.match(trace[1]!.note ?? '', /only B took this step/);
  });

  test('a run from an earlier session: no trace, profile, table or output, said in its column and never equal', () => {
    const earlier = run({ origin: 'earlier-session', trace: null, profile: null, observed: null, output: null, savedKeys: ['1'] });
    const rows = compareRuns(run(), earlier);
    for (const key of ['trace', 'profile', 'fds', 'output.1']) {
      const r = byKey(rows, key);
      assert.equal(r.verdict, 'unknown', key);
      assert.match(cellText(r.b), /^missing: .*not kept for runs from an earlier session/, key);
    }
    assert.match(cellText(byKey(rows, 'output.1').b), /its saved file has it/);
    assert.equal(byKey(rows, 'status').verdict, 'same', 'what the summary kept still compares');
    assert.deepEqual(compareSummary(rows).unknown, ['profile', 'trace', 'descriptors', 'fd 1 (stdout)']);
    const reloaded = compareRuns(run(), run({ origin: 'before-reload', trace: null }));
    assert.match(cellText(byKey(reloaded, 'trace').b), /not kept for runs from before this page loaded/);
  });

  test('a run still going, or never launched, is not compared as ended', () => {
    const rows = compareRuns(run(), run({ running: true, status: null, trace: null }));
    assert.equal(cellText(byKey(rows, 'status').b), 'missing: still running');
    assert.equal(byKey(rows, 'status').verdict, 'unknown');
    const refused = compareRuns(run({ refused: 'the lab refused the profile', status: null, path: null, pid: null, trace: null }), run());
    assert.match(cellText(byKey(refused, 'program').a), /not launched: the lab refused/);
  });

  test('output: equal or not, the first differing line found, the lines around it shown', () => {
    const lines = (n: number, changed?: number) => Array.from({ length: n }, (_, i) => (i === changed ? 'CHANGED' : `line ${i + 1}`)).join('\n') + '\n';
    const rows = compareRuns(run({ output: { '1': { text: lines(100), droppedBytes: 0 }, '2': { text: '', droppedBytes: 0 } } }), run({ output: { '1': { text: lines(100, 49), droppedBytes: 0 }, '2': { text: '', droppedBytes: 0 } } }));
    const out = byKey(rows, 'output.1');
    assert.equal(out.verdict, 'differs', 'the same number of lines, another text');
    assert.equal(out.output?.firstDiff, 49);
    assert.equal(out.output?.a?.from, 46);
    assert.deepEqual(out.output?.b?.lines.filter((l) => l.differs).map((l) => l.text), ['CHANGED']);
    assert.equal(out.output?.a?.totalLines, 100);
    assert.match(out.note ?? '', /first differs at line 50/);
    assert.equal(byKey(rows, 'output.2').verdict, 'same');
    assert.deepEqual(compareSummary(rows).differs, ['output on fd 1 (stdout)']);
    // A stream one run captured and the other did not.
    const extra = compareRuns(run(), run({ output: { '1': { text: 'one\ntwo\n', droppedBytes: 0 }, '3': { text: 'x', droppedBytes: 0 } } }));
    assert.deepEqual([cellText(byKey(extra, 'output.3').a), byKey(extra, 'output.3').verdict], ['not captured', 'differs']);
    // A very long line is cut in the excerpt, compared whole.
    const long = compareRuns(run({ output: { '1': { text: 'x'.repeat(5000), droppedBytes: 0 } } }), run({ output: { '1': { text: `${'x'.repeat(4999)}y`, droppedBytes: 0 } } }));
    assert.equal(byKey(long, 'output.1').verdict, 'differs');
    assert.ok(byKey(long, 'output.1').output!.a!.lines[0]!.text.length < 500);
  });
});

describe('what the child got', () => {
  const LAB_NS: NamespaceIds = { user: 1, pid: 2, mnt: 3, uts: 4, ipc: 5, net: 6, cgroup: 7, pidForChildren: 2 };
  const report = (over: Partial<ProbeReport> = {}): ProbeReport => ({
    pid: 500, ppid: 10, pgid: 500, sid: 500,
    tty: { ctty: null, foregroundPgid: null },
    uid: 0, euid: 0, gid: 0, egid: 0, groups: [],
    cwd: '/', root: '/', umask: 0o022,
    fds: [],
    signals: { ignored: [], blocked: [], caught: [] },
    tracer: 0,
    capabilities: { inheritable: [], permitted: ['CAP_CHOWN', 'CAP_KILL'], effective: ['CAP_CHOWN', 'CAP_KILL'], bounding: ['CAP_CHOWN', 'CAP_KILL'], ambient: [] },
    namespaces: { ...LAB_NS },
    idMaps: { uid: [{ containerId: 0, hostId: 0, size: 4294967295 }], gid: [{ containerId: 0, hostId: 0, size: 4294967295 }], setgroups: 'allow' },
    cgroup: '/',
    rlimits: Object.fromEntries(RLIMITS.map((name) => [name, { soft: 'unlimited', hard: 'unlimited' }])) as ProbeReport['rlimits'],
    pdeathsig: null, noNewPrivs: false, nice: 0, cpuAffinity: [0, 1], oomScoreAdj: 0,
    env: ['PATH=/usr/bin'], argv: ['proclab_probe'],
    ...over,
  });
  const probed = (r: ProbeReport) => run({ probe: true, probeReport: r, labNamespaces: LAB_NS });

  test('two probe runs: the fields that differ, not the ids that change every run', () => {
    const a = report();
    // Another pid leading its own group and session, in a new PID namespace; uid dropped, a capability gone.
    const b = report({
      pid: 600, pgid: 600, sid: 600, uid: 65534, euid: 65534,
      namespaces: { ...LAB_NS, pid: 99, pidForChildren: 99 },
      capabilities: { inheritable: [], permitted: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], bounding: ['CAP_CHOWN', 'CAP_KILL'], ambient: [] },
      env: ['PATH=/usr/bin', 'HOME=/'],
    });
    const rows = compareRuns(probed(a), probed(b)).filter((r) => r.section === 'observed' && r.verdict !== 'same');
    assert.deepEqual(rows.map((r) => r.key), ['probe.uid', 'probe.euid', 'caps.effective', 'caps.permitted', 'ns.pid', 'ns.pidForChildren', 'env.HOME']);
    assert.equal(rows.find((r) => r.key === 'caps.effective')?.note, 'only A: CAP_KILL');
    assert.deepEqual([rows[4]!.a, rows[4]!.b].map(cellText), ["the lab's", 'new']);
  });

  test('one probe run and one not: their tables compared, the report said to be one-sided', () => {
    const rows = compareRuns(probed(report()), run());
    const probe = byKey(rows, 'probe');
    assert.equal(probe.verdict, 'unknown');
    assert.match(cellText(probe.b), /not a probe run/);
    assert.equal(byKey(rows, 'fd.1').verdict, 'same');
  });
});

describe('the helpers', () => {
  test('compareJson names each leaf by its path', () => {
    const rows = compareJson({ a: { b: [1, 2] }, 'x-y': true, e: [] }, { a: { b: [1, 3] }, 'x-y': true, e: [], f: null });
    assert.deepEqual(
      rows.map((r) => [r.path, r.same]),
      [['a.b[0]', true], ['a.b[1]', false], ['["x-y"]', true], ['e', true], ['f', false]],
    );
  });

  test('alignSequences pairs equal keys in order and leaves the rest alone', () => {
    const rows = alignSequences(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'], (s) => s);
    assert.deepEqual(rows, [[0, 0], [1, null], [null, 1], [2, 2], [3, 3], [null, 4]]);
    assert.deepEqual(alignSequences([], ['a'], (s) => s), [[null, 0]]);
  });
});
