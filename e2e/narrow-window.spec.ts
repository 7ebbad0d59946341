// A window under 1100 px wide (a laptop split in two): the plan and the run go under the
// builder, and nothing may run past the window's edge or leave half of it empty.
import { expect, test } from './fixtures';
import type { LabPage } from './pages/lab-page';

const WIDTH = 1000;

async function expectWithinWindow(lab: LabPage, testIds: string[]): Promise<void> {
  for (const testId of testIds) {
    const box = (await lab.page.getByTestId(testId).boundingBox())!;
    expect(box.x + box.width, `${testId} ends inside the window`).toBeLessThanOrEqual(WIDTH);
  }
}

test('lessons open: the lessons keep their side, the plan and the run fit under the builder', async ({ lab }) => {
  await lab.page.setViewportSize({ width: WIDTH, height: 800 });
  await lab.lessons.open();
  await expect(lab.lessons.item('close-stdin')).toBeVisible();
  await expectWithinWindow(lab, ['lessons-panel', 'plan-view', 'runs-panel']);
});

test("the plan made wide takes the builder's place beside the profiles, not a row of its own under an empty one", async ({ lab }) => {
  await lab.page.setViewportSize({ width: WIDTH, height: 800 });
  await lab.profiles.open('swap stdout and stderr');
  await expect(lab.plan.steps().last()).toContainText('execve');
  await lab.plan.toggleWide();
  const sidebar = (await lab.page.getByTestId('profile-new').boundingBox())!;
  const plan = (await lab.page.getByTestId('plan-view').boundingBox())!;
  expect(plan.x, 'the plan is right of the profiles').toBeGreaterThan(sidebar.x + sidebar.width);
  expect(plan.y, 'the plan starts at the top, beside the profiles').toBeLessThan(sidebar.y + sidebar.height + 100);
  await expectWithinWindow(lab, ['plan-view', 'runs-panel']);
});
