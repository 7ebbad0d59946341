// The probe report's rows (src/shared/probe-observations.ts) against a real report: a row
// for something the probe does not print, or something it prints that no row shows, is
// drift between native/probe/probe.c and the run view.
// Run: node --import tsx --test test/shared/probe-observations.test.ts
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { launchProbe } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import { cpuList, idMapText, PROBE_GROUPS, PROBE_SECTIONS } from '../../src/shared/probe-observations';

const VALUES = PROBE_GROUPS.flatMap((g) => g.rows.flatMap((row) => (row.also ? [row, row.also] : [row])));

// The probe in its own session (so it leads its session and its group), under umask 027.
async function realReport(): Promise<ProbeReport> {
  const umask = process.umask(0o027);
  try {
    const run = launchProbe({
      version: 1, name: 'rows', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], sys: { setsid: true },
    });
    const result = await run.result;
    assert.equal(result.execError, null, JSON.stringify(result.execError));
    assert.ok(run.probeReport, 'the probe wrote its report');
    return JSON.parse(run.probeReport.text) as ProbeReport;
  } finally {
    process.umask(umask);
  }
}

// Every scalar the report holds, by path: its keys but the sections, a nested object's fields as key.field.
function scalarPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) => {
    if (!prefix && (PROBE_SECTIONS as readonly string[]).includes(key)) return [];
    const path = prefix + key;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? scalarPaths(v as object, `${path}.`) : [path];
  });
}

describe("the probe report's rows", () => {
  let report: ProbeReport;
  before(async () => {
    report = await realReport();
  });

  test('each shows a value the probe really prints', () => {
    const printed = new Set(scalarPaths(report));
    assert.deepEqual(VALUES.map((v) => v.key).filter((key) => !printed.has(key)), []);
  });

  test('each value the probe prints has a row', () => {
    const shown = new Set<string>(VALUES.map((v) => v.key));
    assert.deepEqual(scalarPaths(report).filter((path) => !shown.has(path)), []);
  });

  test('each has a testid of its own', () => {
    const ids = VALUES.map((v) => `probe-${v.id}`);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  test('read as the run view shows them', () => {
    const text = Object.fromEntries(VALUES.map((v) => [v.id, v.text(report)]));
    const tagged = PROBE_GROUPS.flatMap((g) => g.rows).filter((row) => row.tag?.when(report)).map((row) => row.id);
    assert.equal(text.sid, report.pid, 'setsid: the session is the probe\'s pid');
    assert.deepEqual(tagged, ['pgid', 'sid'], 'it leads its group and its session');
    assert.equal(text.umask, '0027', 'the umask in 4-digit octal');
    assert.equal(text.tracer, null, 'not traced: "none", not 0');
    assert.equal(text.tty, null, 'a new session has no controlling tty: "none"');
    assert.equal(text.euid, report.euid, 'euid beside uid');
    assert.equal(text['no-new-privs'], 'no', 'a boolean as yes or no');
    assert.equal(text.pdeathsig, null, 'no parent-death signal: "none"');
    assert.equal(text.cpus, cpuList(report.cpuAffinity), 'the CPUs as ranges');
  });

  test('lists read compactly', () => {
    assert.equal(cpuList([0, 1, 2, 3, 6, 8, 9]), '0-3, 6, 8-9');
    assert.equal(cpuList([5]), '5');
    assert.equal(cpuList([]), null);
    assert.equal(idMapText([{ containerId: 0, hostId: 1000, size: 1 }, { containerId: 1, hostId: 100000, size: 65536 }]), '0 → 1000 (1); 1 → 100000 (65536)');
    assert.equal(idMapText([]), 'empty', 'a user namespace whose map is not written yet');
    assert.equal(idMapText(null), null, 'unreadable (no /proc)');
  });
});
