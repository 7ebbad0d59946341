// Issue 17: the plan view opens a 10,000-op plan without a main-thread task over 100 ms.
// A profile of 10,000 file slots (a dup2 each: 10,004 steps, 10,001 of them descriptor ops)
// is opened from the sidebar. Inside the page, the Long Tasks API records every task over
// 50 ms from the click until the page has settled after the plan is drawn, and the time
// from the click to the first frame with an op in the plan view. Then the keyboard and the
// ops list's scrollbar reach the last op, their tasks recorded too.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';

const SLOTS = 10_000;
const FD_OPS = SLOTS + 1; // a dup2 per slot, then closefds
// The target, for every task, and every task over 50 ms printed. The page shares this
// machine's two cores with the lab's server (checking and planning 10,000 slots),
// Chromium's other processes, Playwright and whatever else runs there. Measured here in 23
// runs, quiet, with two busy loops holding both cores, or loaded by other work: no task
// over 50 ms but one of 54 ms; the longest are two style-and-layout frames of 35-45 ms.
// Holding every task to the target itself leaves about twice that for a busier machine
// (docs/performance.md, "Opening a 10,000-op plan").
const TARGET_MS = 100;
// Work that follows the plan (the builder's sections below the files, say) counts too.
const SETTLE_MS = 2000;

interface LongTask {
  startTime: number;
  duration: number;
}
interface OpenProbe {
  longTasks: LongTask[];
  clickAt: number | null;
  planAt: number | null;
}
// The page's side (the tests' tsconfig has no DOM library).
interface InPage {
  planProbe: OpenProbe;
  document: {
    addEventListener(type: 'click', listener: (event: { timeStamp: number }) => void, options: { capture: boolean; once: boolean }): void;
    getElementsByClassName(name: string): { length: number };
  };
  requestAnimationFrame(callback: () => void): void;
  PerformanceObserver: new (callback: (list: { getEntries(): LongTask[] }) => void) => { observe(options: { type: 'longtask' }): void };
}

const tasksText = (tasks: readonly LongTask[], from: number) => tasks.map((t) => `${(t.startTime - from).toFixed(0)}: ${t.duration.toFixed(0)}`).join(', ') || 'none';

test.use({ trace: 'off' });

test('the plan view opens a 10,000-op plan without a task over 100 ms', async ({ lab, profilesDir }) => {
  test.setTimeout(120_000);
  const files = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, ...Array.from({ length: SLOTS - 3 }, () => ({ type: 'file', path: '/etc/passwd', mode: 'r' }))];
  writeFileSync(path.join(profilesDir, 'ten-thousand.json'), JSON.stringify({ version: 1, name: 'ten thousand files', path: '/bin/true', args: ['true'], files }));
  await expect(lab.profiles.item('ten thousand files')).toBeVisible();

  // The click, and the first frame with an op drawn: a live collection, whose length costs
  // nothing to read until the DOM changes.
  await lab.page.evaluate(() => {
    const page = globalThis as unknown as InPage;
    const probe: OpenProbe = { longTasks: [], clickAt: null, planAt: null };
    page.planProbe = probe;
    new page.PerformanceObserver((list) => {
      for (const { startTime, duration } of list.getEntries()) probe.longTasks.push({ startTime, duration });
    }).observe({ type: 'longtask' });
    page.document.addEventListener('click', (e) => (probe.clickAt = e.timeStamp), { capture: true, once: true });
    const ops = page.document.getElementsByClassName('fd-op');
    const watch = () => {
      if (ops.length > 0) probe.planAt = performance.now();
      else page.requestAnimationFrame(watch);
    };
    page.requestAnimationFrame(watch);
  });
  await lab.profiles.open('ten thousand files');
  await lab.page.waitForFunction(() => (globalThis as unknown as InPage).planProbe.planAt !== null, undefined, { timeout: 60_000, polling: 250 });
  await lab.page.waitForTimeout(SETTLE_MS);
  const opened = await lab.page.evaluate(() => (globalThis as unknown as InPage).planProbe);
  const clickAt = opened.clickAt!;
  const openTasks = opened.longTasks.filter((t) => t.startTime >= clickAt);
  const longest = Math.max(0, ...openTasks.map((t) => t.duration));
  console.log(
    `opening ${SLOTS} file slots: first plan ${(opened.planAt! - clickAt).toFixed(0)} ms after the click; ` +
      `tasks over 50 ms (ms after the click: length): ${tasksText(openTasks, clickAt)}`,
  );

  const walk = lab.plan.fds().walk();
  await expect(walk.position()).toHaveText(`0/${FD_OPS}`);
  expect(Number(await walk.root.getByTestId('fd-ops').getAttribute('aria-rowcount'))).toBeGreaterThan(FD_OPS);
  // Only the rows in view are drawn.
  expect(await walk.ops().count()).toBeLessThan(60);
  // The ops list's own scrollbar reaches the last op (closefds).
  await walk.root.getByTestId('fd-ops').getByRole('rowgroup', { name: 'The ops, in order' }).evaluate((list) => (list.scrollTop = list.scrollHeight));
  await expect(walk.ops().last()).toHaveAttribute('data-step-index', String(FD_OPS - 1));
  // So do the keyboard and the step buttons, each op in view as it becomes the current one.
  const stepFrom = await lab.page.evaluate(() => performance.now());
  await walk.stepForward();
  await lab.page.keyboard.press('End');
  await expect(walk.position()).toHaveText(`${FD_OPS}/${FD_OPS}`);
  await expect(walk.root.locator(`[data-step-index="${FD_OPS - 1}"]`)).toHaveAttribute('aria-current', 'step');
  await lab.page.keyboard.press('ArrowLeft');
  await expect(walk.position()).toHaveText(`${FD_OPS - 1}/${FD_OPS}`);
  await expect(walk.root.locator(`[data-step-index="${FD_OPS - 2}"]`)).toHaveAttribute('aria-current', 'step');
  await expect(walk.wrongRows()).toHaveCount(0);
  const stepping = (await lab.page.evaluate(() => (globalThis as unknown as InPage).planProbe.longTasks)).filter((t) => t.startTime >= stepFrom);
  console.log(`stepping to the last op and back: tasks over 50 ms: ${tasksText(stepping, stepFrom)}`);

  expect(longest, 'the longest task from the click until the page settled').toBeLessThan(TARGET_MS);
  expect(Math.max(0, ...stepping.map((t) => t.duration)), 'the longest task while stepping').toBeLessThan(TARGET_MS);
});
