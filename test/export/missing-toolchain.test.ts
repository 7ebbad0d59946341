// A toolchain that is not on the machine is named, with what to install: never a pass.
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
