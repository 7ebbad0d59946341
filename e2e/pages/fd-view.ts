// Page objects for the descriptor view: one walk (the controls, the current op and why, the
// lab's and the child's tables, the ops, what the program gets), the view that holds one or
// two walks (seed versus corrected), the sandbox's inputs, and a run's observed table.
import { expect, type Locator, type Page } from '@playwright/test';

export class FdWalk {
  constructor(readonly root: Locator) {}

  async stepForward(): Promise<void> {
    await this.root.getByTestId('fd-step-forward').click();
  }
  async stepBack(): Promise<void> {
    await this.root.getByTestId('fd-step-back').click();
  }
  async stepFirst(): Promise<void> {
    await this.root.getByTestId('fd-step-first').click();
  }
  async stepLast(): Promise<void> {
    await this.root.getByTestId('fd-step-last').click();
  }
  /** Moves the scrubber to after `count` ops (0: right after the clone). */
  async scrubTo(count: number): Promise<void> {
    await this.root.getByTestId('fd-scrubber').fill(String(count));
  }
  scrubber(): Locator {
    return this.root.getByTestId('fd-scrubber');
  }
  /** "3/6": ops done, of all. */
  position(): Locator {
    return this.root.getByTestId('fd-position');
  }
  async opCount(): Promise<number> {
    return Number((await this.position().textContent())!.split('/')[1]);
  }
  currentOp(): Locator {
    return this.root.getByTestId('fd-current-op');
  }
  /** How many px of the current op's box are scrolled out of sight (0: all of it shows). */
  async currentOpOverflow(): Promise<number> {
    return this.currentOp().evaluate((box) => box.scrollHeight - box.clientHeight);
  }
  /** The sentence saying why the current op is there. */
  why(): Locator {
    return this.root.getByTestId('fd-why');
  }
  /** Every op (rendered), in order. */
  ops(): Locator {
    return this.root.locator('[data-testid="fd-op"], [data-testid="fd-destroying-op"]');
  }
  destroyingOps(): Locator {
    return this.root.getByTestId('fd-destroying-op');
  }
  /** Steps forward until the current op is one that destroys a source (golang/go#61751). */
  async stepToDestroyingOp(): Promise<void> {
    const count = await this.opCount();
    for (let i = 0; i < count; i++) {
      await this.stepForward();
      if ((await this.currentOp().getAttribute('data-destroys')) === 'true') return;
    }
    throw new Error('no op in this walk destroys a source');
  }
  childTable(): Locator {
    return this.root.getByTestId('fd-child-table');
  }
  /** Child fd N at the scrubber's moment: data-host-fd is the lab fd it refers to. */
  childRow(fd: number): Locator {
    return this.root.locator(`[data-testid="fd-child-row"][data-fd="${fd}"]`);
  }
  childRows(): Locator {
    return this.root.getByTestId('fd-child-row');
  }
  hostRow(fd: number): Locator {
    return this.root.locator(`[data-testid="fd-host-row"][data-fd="${fd}"]`);
  }
  execTable(): Locator {
    return this.root.getByTestId('fd-exec-table');
  }
  /** Rows of the final table that are not what files[] asks for. */
  wrongRows(): Locator {
    return this.execTable().getByTestId('fd-wrong');
  }
  /** After a run: what the child's trace says of each op (data-ok true, false or none). */
  traceMarks(): Locator {
    return this.root.getByTestId('fd-ops').getByTestId('fd-op-trace');
  }
}

/** The descriptor view inside a panel (the plan panel, or a run). */
export class FdView {
  constructor(readonly root: Locator) {}

  /** The single walk (no seed comparison), or a run's. */
  walk(): FdWalk {
    return new FdWalk(this.root.getByTestId('fd-walk'));
  }
  seedWalk(): FdWalk {
    return new FdWalk(this.root.getByTestId('seed-walk'));
  }
  correctedWalk(): FdWalk {
    return new FdWalk(this.root.getByTestId('corrected-walk'));
  }
  /** A run's observed table, beside the predicted one. */
  observed(): Locator {
    return this.root.getByTestId('fd-observed');
  }
  observedVerdict(): Locator {
    return this.root.getByTestId('fd-observed-verdict');
  }
  diffRows(): Locator {
    return this.root.getByTestId('fd-diff');
  }
  matchRows(): Locator {
    return this.root.getByTestId('fd-match');
  }
}

/** The plan panel's sandbox: a Files list and a sketch of the lab's fds, planned live. */
export class Sandbox {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('fd-sandbox-tab').click();
    await expect(this.page.getByTestId('sandbox')).toBeVisible();
  }
  async setFiles(text: string): Promise<void> {
    await this.page.getByTestId('sandbox-files').fill(text);
  }
  async setHostFds(text: string): Promise<void> {
    await this.page.getByTestId('sandbox-host-fds').fill(text);
  }
  errors(): Locator {
    return this.page.getByTestId('sandbox-error');
  }
  problems(): Locator {
    return this.page.getByTestId('sandbox-problem');
  }
  view(): FdView {
    return new FdView(this.page.getByTestId('sandbox'));
  }
}
