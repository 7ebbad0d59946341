// Issue 11: typing in the builder stays under 50 ms per key with 2,000 environment rows
// (design.md, "Targets"), anywhere in the builder: the profile's description, an
// argument, a row of the table itself. The live checks (errors, the plan) and the kept
// draft still follow every edit; they only never hold a keystroke up.
import { expect, test } from './fixtures';
import { typeAndMeasure, type FieldLatency } from './pages/keystroke-latency';

const ROWS = 2000;
const PASTED = Array.from({ length: ROWS }, (_, i) => `VAR_${i}=value_${i}`).join('\n');
const TYPED = 'typed slowly';
// A person's pace, and longer than the builder's wait before it checks the draft (150 ms,
// stores/editor.ts): the lab's answers and the plan they bring arrive between the keys,
// so what they cost on the page shows up as keystrokes waiting behind them.
const KEY_GAP_MS = 200;
// The target is 50 ms a key, every key. The page shares this project's two cores with the
// lab's server (validating and planning 2,000 rows after each edit), Chromium's other
// processes and Playwright, and on a shared machine with whatever else runs there. So the
// margin: a typical key (the median of each field) must take half the target at most,
// leaving the other half to the machine, and no single key may reach the target itself.
// Measured here: medians 4-8 ms and the slowest key 8-24 ms, also with two busy loops
// holding both cores (docs/performance.md, "Typing with 2,000 environment rows").
const TARGET_MS = 50;
const TYPICAL_MS = TARGET_MS / 2;

// No trace: Playwright's snapshots run on the page's main thread around every keystroke
// and would be counted as the app's latency (see responsiveness.spec.ts).
test.use({ trace: 'off' });

test('typing in the builder stays under 50 ms a key with 2,000 environment rows', async ({ lab }) => {
  test.setTimeout(120_000);
  await lab.profiles.newProfile();
  await lab.builder.fill('name', 'many variables');
  await lab.builder.pasteEnv(PASTED);
  // The template's PATH is row 0; the pasted rows follow it.
  await expect(lab.builder.envValue(ROWS)).toHaveValue(`value_${ROWS - 1}`);
  await expect(lab.builder.checkSummary()).toContainText('valid');
  await expect(lab.plan.steps().last()).toContainText('execve');

  const fields = {
    description: lab.builder.field('description'),
    'argv[1]': lab.builder.arg(1),
    [`env[${ROWS / 2}] value`]: lab.builder.envValue(ROWS / 2),
  };
  const measured: FieldLatency[] = [];
  for (const [name, field] of Object.entries(fields)) measured.push(await typeAndMeasure(name, field, TYPED, KEY_GAP_MS));
  console.log(`keystrokes with ${ROWS} environment rows, ${KEY_GAP_MS} ms apart:\n  ${measured.map((m) => m.line).join('\n  ')}`);

  // The lab's checks and the plan followed the typing all the same: argv[1] is in the
  // plan's execve, and a row's name given an "=" is an error at that row.
  await expect(lab.plan.steps().last()).toContainText(`"hello from Process Lab${TYPED}"`);
  await lab.builder.envName(ROWS / 2).press('=');
  await expect(lab.builder.problems(`env[${ROWS / 2}]`, 'error')).toHaveCount(1);
  await expect(lab.builder.checkSummary()).toContainText('1 error');

  for (const { name, median, max } of measured) {
    expect(median, `${name}: a typical key`).toBeLessThan(TYPICAL_MS);
    expect(max, `${name}: the slowest key`).toBeLessThan(TARGET_MS);
  }
});
