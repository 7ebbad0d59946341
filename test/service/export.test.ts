// The app's Export panel calls LabService.exportCode and verifyExport through the API
// (IPC or WebSocket): both answer a profile's problems as a result, and the params are
// checked before the service sees them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { dispatch } from '../../src/main/lab/api-dispatch';
import { LabService } from '../../src/main/lab/service';
import type { Profile } from '../../src/shared/profile';

const PROFILE: Profile = { version: 1, name: 'export', path: '/bin/true', args: ['/bin/true'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], sys: { setsid: true } };

describe('LabService: export', () => {
  let service: LabService;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'proclab-service-export-'));
  before(async () => {
    service = await LabService.open({ profilesDir: path.join(scratch, 'profiles') });
  });
  after(async () => {
    await service.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('exportCode: the code, its gaps and a file name to download it as', async () => {
    const out = await service.exportCode(PROFILE, 'python');
    assert.ok(out.ok);
    assert.equal(out.fileName, 'launch.py');
    assert.match(out.code, /start_new_session=True/);
    assert.deepEqual(out.gaps, []);
    const node = await service.exportCode({ ...PROFILE, sys: { setpgid: true } }, 'node');
    assert.ok(node.ok);
    assert.deepEqual(node.gaps.map((g) => g.field), ['sys.setpgid', 'files']);
  });

  test('an invalid profile is answered with its problems, at their fields', async () => {
    const out = await service.exportCode({ ...PROFILE, sys: { nice: 99 } }, 'c');
    assert.equal(out.ok, false);
    assert.ok(!out.ok && out.errors.some((e) => e.path === 'sys.nice'));
    const verified = await service.verifyExport({ ...PROFILE, args: 'no' }, 'c');
    assert.ok(!verified.ok && verified.errors.some((e) => e.path === 'args'));
  });

  test('verifyExport: both children observed, side by side, and the same', async () => {
    const out = await service.verifyExport(PROFILE, 'c');
    assert.ok(out.ok);
    const v = out.verification;
    assert.deepEqual(v.toolchain.found, true);
    assert.equal(v.same, true, JSON.stringify(v.differences));
    assert.equal(v.observedByExport?.sid, v.observedByExport?.pid, 'the exported program made it a session leader');
    assert.equal(v.observedByLab?.sid, v.observedByLab?.pid);
  });

  test('through the API dispatch: a language that is not a target is refused at its param', async () => {
    const bad = await dispatch(service, 'exportCode', [PROFILE, 'cobol']);
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.message : '', /invalid params for exportCode: .*1/);
    const good = await dispatch(service, 'exportCode', [PROFILE, 'shell']);
    assert.ok(good.ok && (good.result as { fileName: string }).fileName === 'launch.sh');
  });
});
