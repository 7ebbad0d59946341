// compareReports: two launches of one profile differ by nature in pids and pipe inodes,
// never in what the child was given. A real report, changed one field at a time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { labNamespaceIds } from '../../src/main/lab/namespaces';
import { compareReports, differenceLine } from '../../src/shared/probe-diff';
import { probe, probeProfile, type ProbeReport } from '../support/probe';

const copy = (r: ProbeReport): ProbeReport => structuredClone(r);

test('what differs by nature is no difference; what the child was given is', async () => {
  const { report } = await probe(probeProfile({ files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], env: ['B=2', 'A=1'] }));
  const lab = labNamespaceIds();
  const other = copy(report);
  other.pid += 7;
  other.ppid += 7;
  other.fds = other.fds.map((f) => (f.target?.startsWith('pipe:') ? { ...f, target: 'pipe:[999999]', ino: (f.ino ?? 0) + 1000 } : f));
  other.env = [...other.env].reverse();
  assert.deepEqual(compareReports(other, report, lab), [], 'new pids, new pipes, entries in another order');

  const cloexec = copy(report);
  cloexec.fds = cloexec.fds.map((f) => (f.fd === 1 ? { ...f, cloexec: true } : f));
  cloexec.umask = 0o077;
  cloexec.env = cloexec.env.filter((e) => e !== 'A=1');
  const found = compareReports(cloexec, report, lab);
  assert.deepEqual(found.map((d) => d.field), ['umask', 'fds.1', 'env']);
  assert.equal(differenceLine(found[2]!), "env: the exported program's child got nothing more; the lab's got also A=1");

  // Two fds on one pipe are not two pipes.
  const shared = copy(report);
  const one = shared.fds.find((f) => f.fd === 1)!;
  shared.fds = shared.fds.map((f) => (f.fd === 2 ? { ...f, dev: one.dev, ino: one.ino } : f));
  assert.match(compareReports(shared, report, lab).map(differenceLine).join('\n'), /fds\.2: .*the same file as fd 1/);

  // A leader against a member of the launcher's group.
  const leader = copy(report);
  leader.pgid = leader.pid;
  assert.deepEqual(compareReports(leader, report, lab).map((d) => d.field), report.pgid === report.pid ? [] : ['pgid']);
});
