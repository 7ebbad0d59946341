// Issue 5: the UI stays responsive while a child writes 100 MB. Keystrokes in the builder
// show within 100 ms while the output pours in; afterwards the run says how much it
// dropped from view and offers the full output, every byte of it, as a file.
import { statSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';
import { KeystrokeLatency } from './pages/keystroke-latency';

const TOTAL = 100 * 1024 * 1024;
// 200 bursts of 512 KiB of NUL bytes, 20 ms apart: about 25 MB/s for 4 s or more, long
// enough to type through (unpaced, the lab takes 100 MB in about a second). NUL is the
// costliest byte on the way to a page: six in JSON (\u0000).
const BURSTS = 200;
const WRITER = `i=0; while [ $i -lt ${BURSTS} ]; do head -c ${TOTAL / BURSTS} /dev/zero; sleep 0.02; i=$((i+1)); done`;
const TYPED = 'while it pours';
const KEY_GAP_MS = 40;
// A keystroke must show within this long (the target), every one of them.
const RESPONSIVE_MS = 100;
// The view keeps the last 1 MiB of a stream, trimming in 256 KiB steps (lib/stream.ts).
const VIEW_KEEPS = { min: 1024 * 1024, max: 1024 * 1024 + 256 * 1024 };

// Playwright's trace snapshots the whole page around every action, on the page's own main
// thread: around each keystroke here. That is the harness's work, not the app's, and it
// would be measured as the app's latency (keystrokes of 100 ms and more with it on), so
// this spec records no trace.
test.use({ trace: 'off' });

test('typing in the builder answers within 100 ms while a child writes 100 MB', async ({ lab, home }) => {
  test.setTimeout(120_000);
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'firehose');
  await lab.builder.fill('path', '/bin/sh');
  await lab.builder.fill('argv0', 'sh');
  await lab.builder.setArgs(['-c', WRITER]);
  await expect(lab.plan.steps().last()).toContainText('execve');

  await lab.run.launch();
  const stdout = lab.run.stream('1');
  // Output is pouring in: type while it does.
  await expect.poll(() => stdout.totalBytes()).toBeGreaterThan(0);
  const latency = await KeystrokeLatency.record(lab.builder.field('name'), stdout.total());
  await latency.type(TYPED, KEY_GAP_MS);
  const keystrokes = await latency.keystrokes(TYPED.length);
  // The run was really going on: output arrived during the typing and had not all arrived by its end.
  expect(keystrokes.at(-1)!.streamBytes, 'output kept arriving while typing').toBeGreaterThan(keystrokes[0]!.streamBytes!);
  expect(keystrokes.at(-1)!.streamBytes, 'the output had not all arrived when the typing ended').toBeLessThan(TOTAL);
  await expect(lab.run.status()).toContainText('running');
  await expect(lab.run.status()).toContainText('exited with status 0', { timeout: 60_000 });

  const worst = Math.max(...keystrokes.map((k) => k.ms));
  const longTasks = await latency.longTasks();
  console.log(
    `keystrokes while the child wrote 100 MB: max ${worst.toFixed(1)} ms over ${keystrokes.length} (${keystrokes.map((k) => k.ms.toFixed(0)).join(' ')}); ` +
      `main-thread tasks over 50 ms from the first output to the end: ${longTasks.map((ms) => ms.toFixed(0)).join(' ') || 'none'}`,
  );
  // Every keystroke, not a percentile: a person notices the one that hangs.
  expect(keystrokes.every((k) => k.shown)).toBe(true);
  expect(worst).toBeLessThan(RESPONSIVE_MS);
  // And between the sampled keystrokes: no task on the page's main thread, from the first
  // output to the end of the run, that a keystroke would have had to wait 100 ms behind.
  expect(Math.max(0, ...longTasks)).toBeLessThan(RESPONSIVE_MS);
  await expect(lab.builder.field('name')).toHaveValue(`firehose${TYPED}`);

  // After the run: how much was dropped from view, and the whole of it in a file.
  await expect(stdout.total()).toHaveText('100.0 MiB');
  const dropped = await stdout.droppedBytes();
  expect(dropped).toBeGreaterThanOrEqual(TOTAL - VIEW_KEEPS.max);
  expect(dropped).toBeLessThanOrEqual(TOTAL - VIEW_KEEPS.min);
  await expect(stdout.savedSize()).toHaveText('Full output (100.0 MiB)');
  const savedPath = (await stdout.savedPath().textContent())!;
  expect(path.dirname(path.dirname(savedPath))).toBe(path.join(home, 'runs'));
  expect(statSync(savedPath).size).toBe(TOTAL);

  // Browser mode downloads it from the lab (the desktop app opens it with the OS instead).
  if (await stdout.offersDownload()) {
    const download = await stdout.download();
    expect(statSync(await download.path()).size).toBe(TOTAL);
  }
});
