// Issue 17: the rows of a long files table far from the view are drawn only as they come
// near it (useBlocksNearView.ts), in blocks as high as their rows will be, measured
// (useMeasuredRowHeight.ts). The error count's jump to a row 4,000 down lands on it: with the
// rows' height guessed (2.6rem; a file row is half as high again), the blocks drawn on the
// way pushed the row 17 rows below the view. It lands on it on a wide screen too, where a
// row takes one line, and the jump is made at once: a smooth scroll drew the thousands of
// rows on its way, and the page was busy for seconds after.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from './fixtures';
import type { LabPage } from './pages/lab-page';

const FAR = 4000;

test('the error count leads to a row 4,000 down, drawn only once near', async ({ lab, profilesDir }) => {
  test.setTimeout(120_000);
  const files = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, ...Array.from({ length: 4997 }, () => ({ type: 'file', path: '/etc/passwd', mode: 'r' }))];
  writeFileSync(path.join(profilesDir, 'five-thousand.json'), JSON.stringify({ version: 1, name: 'five thousand files', path: '/bin/true', args: ['true'], files }));
  // The builder's usual width, where a file row takes two lines.
  await lab.page.setViewportSize({ width: 1400, height: 900 });
  await lab.profiles.open('five thousand files');
  await expect(lab.builder.checkSummary()).toContainText('valid');
  await expect(lab.page.getByTestId(`file-row-${FAR}`)).toHaveCount(0);

  const row = lab.builder.file(FAR);
  await row.reveal();
  await lab.page.getByTestId(`file-path-${FAR}`).fill('');
  await expect(lab.builder.checkSummary()).toContainText('1 error');
  // Back at the top, then the count: the row's error is in view once the scroll is done.
  await lab.builder.field('name').scrollIntoViewIfNeeded();
  await expect(lab.builder.problems(`files[${FAR}].path`, 'error')).not.toBeInViewport();
  await jumpToTheErrorAndSeeIt(lab);

  // On a wide screen a file row takes one line, not two: the jump still lands on the row.
  await lab.page.setViewportSize({ width: 2400, height: 900 });
  await lab.builder.field('name').scrollIntoViewIfNeeded();
  await jumpToTheErrorAndSeeIt(lab);
});

async function jumpToTheErrorAndSeeIt(lab: LabPage): Promise<void> {
  await lab.builder.checkSummary().getByRole('button', { name: /error/ }).click();
  // Where it comes to rest: the blocks drawn around it as it lands would move it if their
  // heights were guessed wrong.
  const problem = lab.builder.problems(`files[${FAR}].path`, 'error');
  let before: number | undefined;
  await expect
    .poll(async () => {
      const [was, now] = [before, (await problem.boundingBox())?.y];
      before = now;
      return now !== undefined && now === was;
    }, { intervals: [300] })
    .toBe(true);
  await expect(problem).toBeInViewport();
  await expect(lab.page.getByTestId(`file-path-${FAR}`)).toBeInViewport();
  // A jump this far is made at once: the rows on the way were not drawn.
  await expect(lab.page.getByTestId(`file-row-${FAR / 2}`)).toHaveCount(0);
}
