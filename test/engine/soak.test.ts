// The soak's short form (the long one: npm run soak): launches of every outcome on both
// methods, then 200 at once; the lab's fd table must be as it was, no child left, memory
// bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { soak } from '../support/soak';
import { websocketLauncher } from '../support/soak-websocket';

test('every outcome on both methods, then 200 at once: nothing leaks', async () => {
  const report = await soak({ rounds: 3, burst: 200 });
  assert.ok(report.launches > 250, `${report.launches} launches`);
  assert.deepEqual(report.fdsAfter, report.fdsBefore);
  assert.deepEqual(report.leftoverPids, []);
  assert.deepEqual(report.surprises, []);
  assert.ok(report.rssGrowthMb < 64, `RSS grew ${report.rssGrowthMb.toFixed(1)} MB`);
});

test('the same through browser mode: every outcome over the WebSocket, then 200 at once', async () => {
  const ws = await websocketLauncher();
  try {
    const report = await soak({ rounds: 2, burst: 200, runKind: ws.runKind });
    assert.deepEqual(report.fdsAfter, report.fdsBefore);
    assert.deepEqual(report.leftoverPids, []);
    assert.deepEqual(report.surprises, []);
    assert.ok(report.rssGrowthMb < 64, `RSS grew ${report.rssGrowthMb.toFixed(1)} MB`);
  } finally {
    await ws.close();
  }
});
