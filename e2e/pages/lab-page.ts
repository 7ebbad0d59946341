// The page objects: what a person sees and does, named as they would name it. Specs use
// these, never raw selectors, so one set of specs serves browser mode and Electron.
import { expect, type Dialog, type Download, type Locator, type Page } from '@playwright/test';

import { FdView, Sandbox } from './fd-view';

export class ProfilesSidebar {
  constructor(private readonly page: Page) {}

  item(name: string): Locator {
    return this.page.getByTestId('profile-item').filter({ hasText: name });
  }
  items(): Locator {
    return this.page.getByTestId('profile-item');
  }
  brokenItem(file: string): Locator {
    return this.page.locator(`[data-testid="profile-item"][data-file="${file}"]`);
  }
  async open(name: string): Promise<void> {
    await this.item(name).first().click();
  }
  async newProfile(): Promise<void> {
    await this.page.getByTestId('profile-new').click();
  }
  async search(text: string): Promise<void> {
    await this.page.getByTestId('profile-search').fill(text);
  }
  /** "Restore examples": the dialog that asks first, once it has listed the examples. */
  async openRestoreExamples(): Promise<RestoreExamplesDialog> {
    await this.page.getByTestId('restore-examples').click();
    const dialog = new RestoreExamplesDialog(this.page);
    await expect(dialog.root()).toBeVisible();
    return dialog;
  }
  /** The Undo in the toast of the latest restore of the examples. */
  async undoRestoreExamples(): Promise<void> {
    await this.page.getByTestId('undo-restore-examples').last().click();
  }
  /** The sidebar itself. */
  panel(): Locator {
    return this.page.getByRole('complementary', { name: 'Profiles' });
  }
  /** The row an entry's name is laid out in (a profile's or a new draft's). */
  nameOf(entry: Locator): Locator {
    return entry.getByTestId('profile-item-name');
  }
  discardButton(entry: Locator): Locator {
    return entry.getByTestId('draft-discard');
  }
  /** Rename for the selected profile: its box for the new name. */
  async startRename(): Promise<Locator> {
    await this.page.getByTestId('profile-rename').click();
    return this.page.getByTestId('rename-input');
  }
  unsavedMarker(): Locator {
    return this.page.getByTestId('unsaved-marker');
  }
  /** A new profile not saved yet, in the list above the saved ones. */
  draft(name: string): Locator {
    return this.page.getByTestId('profile-draft').filter({ hasText: name });
  }
  /** "restored draft": unsaved work the lab kept from before a reload or restart. */
  restoredMarker(): Locator {
    return this.page.getByTestId('restored-marker');
  }
  /** The notice of kept draft files the lab could not read, each with why. */
  unreadableDrafts(): Locator {
    return this.page.getByTestId('unreadable-drafts');
  }
  /** Throws away the unsaved work of a profile (saved or new) from its entry in the list. */
  async discard(entry: Locator): Promise<void> {
    await entry.getByTestId('draft-discard').click();
  }
}

/** The question "Restore examples" asks: each example file, missing, as shipped or changed. */
export class RestoreExamplesDialog {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('restore-examples-dialog');
  }
  example(file: string): Locator {
    return this.root().locator(`[data-testid="example-row"][data-file="${file}"]`);
  }
  /** 'missing', 'same' or 'changed'. */
  async state(file: string): Promise<string | null> {
    return this.example(file).getAttribute('data-state');
  }
  /** The tick that lets the restore overwrite a changed example (unticked at first). */
  overwrite(file: string): Locator {
    return this.example(file).getByTestId('example-overwrite');
  }
  async restore(): Promise<void> {
    await this.root().getByTestId('restore-examples-confirm').click();
  }
}

// A file row of the builder: child fd N.
export class FileRow {
  constructor(private readonly page: Page, readonly fd: number) {}

  async setType(type: 'null' | 'pipe' | 'inherit' | 'file' | 'closed' | 'pty'): Promise<void> {
    await this.page.getByTestId(`file-type-${this.fd}`).selectOption(type);
  }
  async setHostFd(fd: string): Promise<void> {
    await this.page.getByTestId(`file-fd-${this.fd}`).fill(fd);
  }
  async setPath(path: string): Promise<void> {
    await this.page.getByTestId(`file-path-${this.fd}`).fill(path);
  }
  path(): Locator {
    return this.page.getByTestId(`file-path-${this.fd}`);
  }
  /** Scrolls the table to this row: a long files table draws its rows only near the view. */
  async reveal(): Promise<void> {
    const row = this.page.getByTestId(`file-row-${this.fd}`);
    if ((await row.count()) === 0) {
      await this.page.getByTestId('file-rows-pending').evaluateAll((blocks, fd) => {
        const block = blocks.filter((b) => Number(b.getAttribute('data-first')) <= fd).at(-1);
        block?.scrollIntoView({ block: 'center' });
      }, this.fd);
    }
    await row.scrollIntoViewIfNeeded();
  }
}

export class Builder {
  constructor(private readonly page: Page) {}

  field(name: string): Locator {
    return this.page.getByTestId(`field-${name}`);
  }
  async fill(name: string, value: string): Promise<void> {
    await this.field(name).fill(value);
  }
  async check(name: string, on = true): Promise<void> {
    await this.field(name).setChecked(on);
  }
  // args[1..]: the list after argv[0].
  async setArgs(args: string[]): Promise<void> {
    for (let i = 0; i < args.length; i++) {
      if ((await this.page.getByTestId(`arg-${i + 1}`).count()) === 0) await this.page.getByTestId('arg-add').click();
      await this.page.getByTestId(`arg-${i + 1}`).fill(args[i]);
    }
  }
  /** argv[i], i >= 1. */
  arg(index: number): Locator {
    return this.page.getByTestId(`arg-${index}`);
  }
  envName(index: number): Locator {
    return this.page.getByTestId(`env-key-${index}`);
  }
  envValue(index: number): Locator {
    return this.page.getByTestId(`env-value-${index}`);
  }
  /** Pastes `NAME=value` lines into the environment's paste box and appends them to the table. */
  async pasteEnv(lines: string): Promise<void> {
    await this.page.getByTestId('env-paste').fill(lines);
    await this.page.getByTestId('env-paste-apply').click();
  }
  /** "valid", "2 errors", ...: the builder's summary of the lab's latest checks. */
  checkSummary(): Locator {
    return this.page.getByTestId('check-summary');
  }
  async addEnv(key: string, value: string): Promise<void> {
    const rows = await this.page.locator('[data-testid^="env-key-"]').count();
    await this.page.getByTestId('env-add').click();
    await this.page.getByTestId(`env-key-${rows}`).fill(key);
    await this.page.getByTestId(`env-value-${rows}`).fill(value);
  }
  file(fd: number): FileRow {
    return new FileRow(this.page, fd);
  }
  async fileCount(): Promise<number> {
    return this.page.locator('[data-testid^="file-row-"]').count();
  }
  async addFile(): Promise<FileRow> {
    const fd = await this.fileCount();
    await this.page.getByTestId('file-add').click();
    return this.file(fd);
  }
  // The inline problems at a field: `sys.setctty`, `files[3].fd`, ...
  problems(path: string, kind?: 'error' | 'warning'): Locator {
    const kindSelector = kind ? `[data-kind="${kind}"]` : '';
    return this.page.locator(`[data-testid="problem"][data-path="${path}"]${kindSelector}`);
  }
  async save(): Promise<void> {
    await this.page.getByTestId('save-profile').click();
  }
  /** The banner over a restored draft, with its Discard button. */
  restoredBanner(): Locator {
    return this.page.getByTestId('restored-banner');
  }
  /** The test ids of every control in the builder that takes typed text. */
  /** Unfolds an advanced section of the builder (Namespaces, Limits and scheduling). */
  async openFolded(title: string): Promise<void> {
    const section = this.page.locator('.builder-body details.folded-section', { has: this.page.getByRole('heading', { name: title }) });
    if ((await section.getAttribute('open')) === null) await section.locator('summary').click();
  }

  async typedFieldIds(): Promise<string[]> {
    return this.page
      .locator('.builder-body')
      .locator('input[type="text"], textarea')
      .evaluateAll((controls) => controls.map((c) => c.getAttribute('data-testid') ?? '(no test id)'));
  }
}

export class PlanPanel {
  readonly sandbox: Sandbox;

  constructor(private readonly page: Page) {
    this.sandbox = new Sandbox(page);
  }

  steps(): Locator {
    return this.page.getByTestId('plan-view').getByTestId('plan-step');
  }
  /** The active profile's descriptor ops (or the sandbox's, when it is open). */
  fds(): FdView {
    return new FdView(this.page.getByTestId('plan-view').getByTestId('fd-view'));
  }
  /** Gives the plan the builder's room too (two walks side by side), or takes it back. */
  async toggleWide(): Promise<void> {
    await this.page.getByTestId('plan-wide').click();
  }
}

// One captured stream of a run: the tail on screen, what it says about the rest, and the
// file that holds all of it.
export class OutputStream {
  constructor(
    private readonly page: Page,
    private readonly view: Locator,
    readonly key: string,
  ) {}

  text(): Locator {
    return this.view.getByTestId(`output-${this.key}`);
  }
  /** The stream's size as the head shows it ("100.0 MiB"). */
  total(): Locator {
    return this.view.getByTestId(`output-total-${this.key}`);
  }
  /** Exact bytes received so far (the number behind the head's size). */
  async totalBytes(): Promise<number> {
    return Number(await this.total().getAttribute('data-bytes'));
  }
  /** "104,756,224 bytes dropped from view". */
  dropped(): Locator {
    return this.view.getByTestId(`output-dropped-${this.key}`);
  }
  async droppedBytes(): Promise<number> {
    const text = (await this.dropped().textContent()) ?? '';
    const match = /^([\d,]+) bytes dropped from view/.exec(text.trim());
    if (!match) throw new Error(`not a dropped-from-view notice: ${JSON.stringify(text)}`);
    return Number(match[1]!.replace(/,/g, ''));
  }
  /** "Full output (100.0 MiB)", once the run has ended. */
  savedSize(): Locator {
    return this.view.getByTestId(`saved-output-size-${this.key}`);
  }
  /** The saved file's path on the lab's machine. */
  savedPath(): Locator {
    return this.view.getByTestId(`saved-output-path-${this.key}`);
  }
  savedError(): Locator {
    return this.view.getByTestId(`saved-output-error-${this.key}`);
  }
  /** Browser mode links the full output as a download; the desktop app has open / show in folder. */
  async offersDownload(): Promise<boolean> {
    return (await this.downloadLink().count()) > 0;
  }
  async download(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.downloadLink().click();
    return download;
  }
  /** Where the download link points as the page shows it (each click asks the lab for a one-time link). */
  async downloadHref(): Promise<string | null> {
    return this.downloadLink().getAttribute('href');
  }
  private downloadLink(): Locator {
    return this.view.getByTestId(`saved-output-download-${this.key}`);
  }
}

export class RunPanel {
  constructor(private readonly page: Page) {}

  private get view(): Locator {
    return this.page.getByTestId('run-view');
  }
  async launch(): Promise<void> {
    await this.page.getByTestId('launch').click();
  }
  async launchProbe(): Promise<void> {
    await this.page.getByTestId('launch-probe').click();
  }
  pid(): Locator {
    return this.view.getByTestId('run-pid');
  }
  output(key: string): Locator {
    return this.view.locator(`[data-testid="output-${key}"]`);
  }
  stream(key: string): OutputStream {
    return new OutputStream(this.page, this.view, key);
  }
  status(): Locator {
    return this.view.getByTestId('status-card');
  }
  execError(): { card: Locator; step: Locator; code: Locator; message: Locator; call: Locator; explanation: Locator; cause: Locator } {
    const card = this.view.getByTestId('exec-error');
    return {
      card,
      call: card.getByTestId('exec-error-call'),
      step: card.getByTestId('exec-error-step'),
      code: card.getByTestId('exec-error-code'),
      message: card.getByTestId('exec-error-message'),
      explanation: card.getByTestId('exec-error-explanation'),
      cause: card.getByTestId('exec-error-cause'),
    };
  }
  traceSteps(): Locator {
    return this.view.getByTestId('trace-step');
  }
  /** The panel the runs are shown in. */
  panel(): Locator {
    return this.page.getByTestId('runs-panel');
  }
  /** The run's max RSS, and what it says the figure includes. */
  maxRss(): { size: Locator; note: Locator } {
    return { size: this.view.getByTestId('max-rss'), note: this.view.getByTestId('max-rss-note') };
  }
  async signal(name: string, options: { scope?: 'child' | 'group' | 'cgroup'; killAfterMs?: number } = {}): Promise<void> {
    if (options.scope) await this.view.getByTestId('signal-scope').selectOption(options.scope);
    await this.view.getByTestId('signal-kill-after').fill(options.killAfterMs === undefined ? '' : String(options.killAfterMs));
    await this.view.getByTestId(`signal-${name}`).click();
  }
  terminal(): Locator {
    return this.view.getByTestId('terminal');
  }
  async typeInTerminal(text: string): Promise<void> {
    await this.terminal().click();
    await this.page.keyboard.type(text);
  }
  probeReport(): Locator {
    return this.view.getByTestId('probe-report');
  }
  /** The run's descriptors: the ops with the trace, and the observed table beside the predicted. */
  fds(): FdView {
    return new FdView(this.view.getByTestId('fd-view'));
  }
  /** The runs listed under the run view, this page's first, then those from before it loaded. */
  history(): Locator {
    return this.page.getByTestId('history-item');
  }
  /** The run view's mark of a run kept from before this page loaded: "before reload", or "earlier session" after a restart. */
  earlierMarker(): Locator {
    return this.view.getByTestId('earlier-run-marker');
  }
  /** Whose run a history item is: 'this-page', 'before-reload' (kept by the lab), or 'earlier-session' (before a restart). */
  async from(item: Locator): Promise<string | null> {
    return item.getAttribute('data-from');
  }
}

/** Two runs picked in the history and compared side by side. */
export class RunComparisonView {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('run-compare');
  }
  /** Ticks (or unticks) the history's n-th run (0: the newest of this page's). */
  async pick(index: number): Promise<void> {
    await this.page.getByTestId('compare-pick').nth(index).click();
  }
  summary(): Locator {
    return this.root().getByTestId('compare-summary');
  }
  /** A row by its key (`status`, `profile.dir`, `trace.3`, `output.1`); its data-verdict is same, differs or unknown. */
  row(key: string): { row: Locator; a: Locator; b: Locator } {
    const row = this.root().locator(`[data-testid="compare-row"][data-key="${key}"]`);
    return { row, a: row.getByTestId('compare-a'), b: row.getByTestId('compare-b') };
  }
  async showAll(): Promise<void> {
    await this.root().getByTestId('compare-only-differences').uncheck();
  }
  async swap(): Promise<void> {
    await this.root().getByTestId('compare-swap').click();
  }
}

/** Import…: a launch from a shell line, a running process or a JSON file, as a new unsaved profile. */
export class ImportDialogView {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('import-dialog');
  }
  async shellLine(line: string): Promise<void> {
    await this.page.getByTestId('profile-import').click();
    await this.root().getByTestId('import-shell-line').fill(line);
    await this.root().getByTestId('import-shell-submit').click();
  }
  async process(pid: number): Promise<void> {
    await this.page.getByTestId('profile-import').click();
    await this.root().getByTestId('import-source-process').click();
    await this.root().getByTestId('import-process-filter').fill(String(pid));
    await this.root().locator(`[data-testid="import-process-row"][data-pid="${pid}"]`).getByRole('button', { name: `Import pid ${pid}` }).click();
  }
  warnings(): Locator {
    return this.root().getByTestId('import-warning');
  }
  done(): Locator {
    return this.root().getByTestId('import-done');
  }
  async close(): Promise<void> {
    await this.root().getByTestId('import-close').click();
  }
}

/** The Lessons panel, in the sidebar's place once toggled on. */
export class LessonsView {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('lessons-toggle').click();
    await expect(this.page.getByTestId('lessons-panel')).toBeVisible();
  }
  item(id: string): Locator {
    return this.page.locator(`[data-testid="lesson-item"][data-lesson-id="${id}"]`);
  }
  progress(): Locator {
    return this.page.getByTestId('lessons-progress');
  }
  async openLesson(id: string): Promise<void> {
    await this.item(id).click();
  }
  async start(): Promise<void> {
    await this.page.getByTestId('lesson-start').click();
  }
  async check(): Promise<void> {
    await this.page.getByTestId('lesson-check').click();
  }
  result(): Locator {
    return this.page.getByTestId('lesson-result');
  }
  /** A condition of the goal by its words; its data-holds is true, false or null. */
  condition(says: string): Locator {
    return this.page.getByTestId('lesson-condition').filter({ hasText: says });
  }
  text(): Locator {
    return this.page.getByTestId('lesson-text');
  }
}

export class LabPage {
  readonly profiles: ProfilesSidebar;
  readonly builder: Builder;
  readonly plan: PlanPanel;
  readonly run: RunPanel;
  readonly compare: RunComparisonView;
  readonly lessons: LessonsView;
  readonly importing: ImportDialogView;

  constructor(readonly page: Page) {
    this.profiles = new ProfilesSidebar(page);
    this.builder = new Builder(page);
    this.plan = new PlanPanel(page);
    this.run = new RunPanel(page);
    this.compare = new RunComparisonView(page);
    this.lessons = new LessonsView(page);
    this.importing = new ImportDialogView(page);
  }

  async ready(): Promise<void> {
    await expect(this.page.getByTestId('profile-new')).toBeVisible();
  }

  /**
   * Reloads the page, answering "Leave" when it asks first (it holds unsaved work);
   * resolves with whether it asked.
   */
  async reload(): Promise<boolean> {
    let asked = false;
    const answer = (dialog: Dialog) => {
      asked ||= dialog.type() === 'beforeunload';
      void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss());
    };
    this.page.on('dialog', answer);
    try {
      await this.page.reload();
    } finally {
      this.page.off('dialog', answer);
    }
    await this.ready();
    return asked;
  }

  /** Browser mode: "Open in a new tab", and the lab in that tab once it is ready. */
  async openNewTab(): Promise<LabPage> {
    const opened = this.page.context().waitForEvent('page');
    await this.page.getByTestId('new-tab').click();
    const other = new LabPage(await opened);
    await other.ready();
    return other;
  }

  /** The banner that says the page cannot reach the lab (no token, or the connection lost). */
  disconnected(): Locator {
    return this.page.getByTestId('disconnected-banner');
  }
}
