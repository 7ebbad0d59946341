// Issue 17: typing in the builder stays under 50 ms a key with 1,000 file slots, in the
// description and in a file's path far down the table. The files table is cut into blocks
// of rows laid out only in view and drawn only near it (row-blocks.ts), an answer of the
// lab equal to the one shown keeps its object (stores/editor.ts), and the plan is drawn
// after the keys (PlanView.tsx).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Locator } from '@playwright/test';

import { expect, test } from './fixtures';
import { typeAndMeasure, type FieldLatency } from './pages/keystroke-latency';

const SLOTS = 1000;
const TYPED = 'typed slowly';
const KEY_GAP_MS = 200;
// The margins of typing-latency.spec.ts: a typical key half the target, no key the target.
// Measured here before: 40-70 ms a key in the description, 60-160 ms in a path; after the
// blocks and the plan drawn as a deferred value: medians 10-17 ms, the slowest key 17-27 ms.
const FIELD_CHANGE_MS = 600;
const TARGET_MS = 50;
const TYPICAL_MS = TARGET_MS / 2;

// The page's side (the tests' tsconfig has no DOM library).
interface InPage {
  document: { querySelectorAll(selector: string): { length: number } };
}

test.use({ trace: 'off' });

test('typing in the builder stays under 50 ms a key with 1,000 file slots', async ({ lab, profilesDir }) => {
  test.setTimeout(120_000);
  const files = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, ...Array.from({ length: SLOTS - 3 }, () => ({ type: 'file', path: '/etc/passwd', mode: 'r' }))];
  writeFileSync(path.join(profilesDir, 'many-files.json'), JSON.stringify({ version: 1, name: 'many files', path: '/bin/true', args: ['true'], files }));
  await lab.profiles.open('many files');
  // Waited for inside the page: a locator's text over a DOM this size would itself hold the page up.
  await lab.page.waitForFunction(() => (globalThis as unknown as InPage).document.querySelectorAll('[data-testid="plan-step"]').length > 0, undefined, {
    timeout: 60_000,
    polling: 250,
  });

  // Each field as reached: a row far down the files table is drawn once scrolled near.
  const file900 = lab.builder.file(900);
  const fields: Record<string, () => Promise<Locator>> = {
    description: async () => lab.builder.field('description'),
    'files[900] path': async () => {
      await file900.reveal();
      return file900.path();
    },
  };
  const measured: FieldLatency[] = [];
  for (const [name, reach] of Object.entries(fields)) {
    // Moving to another field is a pause of its own (a person scrolls to it and clicks): the
    // rows scrolled into view are drawn and laid out then, and the lab's answer to the last
    // key of the field before, with the plan it brings, comes in it.
    const field = await reach();
    await field.scrollIntoViewIfNeeded();
    await lab.page.waitForTimeout(FIELD_CHANGE_MS);
    measured.push(await typeAndMeasure(name, field, TYPED, KEY_GAP_MS));
  }
  console.log(`keystrokes with ${SLOTS} file slots, ${KEY_GAP_MS} ms apart:\n  ${measured.map((m) => m.line).join('\n  ')}`);
  // The lab still checked every edit: the path typed into is an error-free file slot.
  await expect(lab.builder.checkSummary()).toContainText('valid');

  for (const { name, median, max } of measured) {
    expect(median, `${name}: a typical key`).toBeLessThan(TYPICAL_MS);
    expect(max, `${name}: the slowest key`).toBeLessThan(TARGET_MS);
  }
});
