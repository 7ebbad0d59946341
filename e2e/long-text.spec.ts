// Long text stays inside its panel and readable: a 5,000-character argument in the exec
// error and the trace, a long draft name beside its Discard, a name in the rename box.
import { expect, test } from './fixtures';
import type { Locator } from '@playwright/test';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`not on screen: ${locator.toString()}`);
  return found;
}

/** inner's right edge is not past outer's (a pixel of rounding allowed). */
async function expectRightEdgeWithin(inner: Locator, outer: Locator): Promise<void> {
  const [i, o] = [await box(inner), await box(outer)];
  expect(i.x + i.width, `${inner.toString()} ends past ${outer.toString()}`).toBeLessThanOrEqual(o.x + o.width + 1);
}

test('a 5,000-character argument wraps inside the exec error card and the trace', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'long argument');
  await lab.builder.fill('path', '/nonexistent/program');
  await lab.builder.setArgs(['a'.repeat(5000)]);
  await lab.run.launch();
  const error = lab.run.execError();
  await expect(error.call).toContainText('a'.repeat(100));

  const panel = lab.run.panel();
  await expectRightEdgeWithin(error.card, panel);
  await expectRightEdgeWithin(error.call, error.card);
  for (const step of await lab.run.traceSteps().all()) await expectRightEdgeWithin(step, panel);
  // The call is shortened by the lab, and wraps: the card stays short enough to read.
  expect((await box(error.card)).height).toBeLessThan(400);
});

test('Discard never covers a long draft name', async ({ lab }) => {
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'a new profile with a long name that runs well past the sidebar');
  const draft = lab.profiles.draft('a new profile with a long name');
  const [name, discard] = [await box(lab.profiles.nameOf(draft)), await box(lab.profiles.discardButton(draft))];
  expect(name.x + name.width, 'the name ends before Discard').toBeLessThanOrEqual(discard.x);
  await expectRightEdgeWithin(lab.profiles.discardButton(draft), lab.profiles.panel());
});

test('the rename box takes the sidebar’s width', async ({ lab }) => {
  await lab.profiles.open('shell in a new session with a terminal');
  const input = await lab.profiles.startRename();
  await expect(input).toHaveValue('shell in a new session with a terminal');
  const [field, sidebar] = [await box(input), await box(lab.profiles.panel())];
  expect(field.width).toBeGreaterThan(sidebar.width * 0.85);
  await expectRightEdgeWithin(input, lab.profiles.panel());
});
