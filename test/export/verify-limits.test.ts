// What verifyExport cannot do is said, never passed: a missing toolchain, a traced launch.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { verifyExport } from '../../src/main/lab/index';
import { verificationLines } from '../../src/cli/export';

test('verify without python3 in PATH: toolchain missing, what to install, not the same', async (t) => {
  const saved = process.env.PATH;
  t.after(() => {
    process.env.PATH = saved;
  });
  process.env.PATH = '/nonexistent';
  const v = await verifyExport({ version: 1, name: 'x', path: '/bin/true', args: ['/bin/true'] }, 'python');
  assert.deepEqual(v.toolchain, { found: false, missing: 'python3', install: 'Python 3.11 or newer (Debian: apt-get install python3)' });
  assert.equal(v.same, false);
  assert.equal(v.observedByExport, null);
  assert.deepEqual(verificationLines(v), ['not verified: python3 is not installed here (install Python 3.11 or newer (Debian: apt-get install python3))']);
});

test('verify of a traced profile: the lab lets its launch go at the exec stop, and says so', { timeout: 30_000 }, async () => {
  const v = await verifyExport({ version: 1, name: 'traced', path: '/bin/true', args: ['/bin/true'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }], sys: { ptrace: true } }, 'c');
  assert.deepEqual(v.gaps.map((g) => g.field), ['sys.ptrace']);
  assert.equal(v.same, true, JSON.stringify(v.differences));
  assert.equal(v.observedByLab?.tracer, 0);
  assert.ok(v.notes.some((n) => n.startsWith('ptrace: ')));
});
