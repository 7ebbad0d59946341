// require('proclab') (the compiled library, through package.json "exports"): the import
// functions as another project calls them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import type * as Library from '../../src/main/lab/index';

const lab = createRequire(__filename)('proclab') as typeof Library;

test('importShell, importProcess and listProcesses are the library\'s', async () => {
  const shell = await lab.importShell('env -i A=1 /bin/true 3>&-');
  assert.deepEqual([shell.profile.path, shell.profile.env, shell.profile.files], ['/bin/true', ['A=1'], [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'closed' }]]);
  const own = lab.importProcess(process.pid);
  assert.ok(own.ok, JSON.stringify(own));
  assert.deepEqual([own.profile.path, own.profile.dir], [process.execPath, process.cwd()]);
  assert.ok(lab.listProcesses().some((p) => p.pid === process.pid));
});
