// How long a keystroke takes to show, measured inside the page: from the keydown event's
// timestamp (when the browser received the key, so time spent waiting behind other work
// on the page's main thread counts) to the first animation frame after the field's input
// event, by when the app has handled the change and the new value is about to be painted.
import { expect, type Locator } from '@playwright/test';

export interface Keystroke {
  /** keydown to the next frame, in ms. */
  ms: number;
  /** The field still held the typed value in that frame (the app did not undo it). */
  shown: boolean;
  /** The given stream's bytes on screen at that frame (its head's count); absent when no stream was given. */
  streamBytes?: number;
}

interface Recorder {
  keystrokes: Keystroke[];
  /** Main-thread tasks over 50 ms since recording began (the Long Tasks API), in ms. */
  longTasks: number[];
}

// The page's side, declared here (the tests' tsconfig has no DOM library): the globals and
// the field that the in-page code uses.
interface InPage {
  keystrokeRecorder: Recorder;
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  requestAnimationFrame(callback: () => void): void;
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: 'longtask' }): void };
}
interface TextField {
  value: string;
  addEventListener(type: 'keydown' | 'input', listener: (event: { timeStamp: number }) => void, options?: { once: boolean }): void;
}


export class KeystrokeLatency {
  private constructor(private readonly field: Locator) {}

  /** Starts recording every keystroke in `field`, noting `streamTotal`'s byte count at each when given. */
  static async record(field: Locator, streamTotal?: Locator): Promise<KeystrokeLatency> {
    const streamSelector = streamTotal ? await streamTotal.evaluate((el) => `[data-testid="${el.getAttribute('data-testid')}"]`) : null;
    await field.evaluate((el, selector) => {
      const page = globalThis as unknown as InPage;
      const input = el as unknown as TextField;
      const recorder: Recorder = { keystrokes: [], longTasks: [] };
      page.keystrokeRecorder = recorder;
      new page.PerformanceObserver((list) => {
        for (const task of list.getEntries()) recorder.longTasks.push(task.duration);
      }).observe({ type: 'longtask' });
      input.addEventListener('keydown', (down) => {
        const receivedAt = down.timeStamp;
        input.addEventListener(
          'input',
          () => {
            const typed = input.value;
            page.requestAnimationFrame(() =>
              recorder.keystrokes.push({
                ms: performance.now() - receivedAt,
                shown: input.value === typed,
                ...(selector !== null && { streamBytes: Number(page.document.querySelector(selector)?.getAttribute('data-bytes') ?? NaN) }),
              }),
            );
          },
          { once: true },
        );
      });
    }, streamSelector);
    return new KeystrokeLatency(field);
  }

  /** Types `text` one key at a time, `gapMs` apart, as a person would. */
  async type(text: string, gapMs: number): Promise<void> {
    await this.field.focus();
    const page = this.field.page();
    for (const key of text) {
      await page.keyboard.press(key);
      await page.waitForTimeout(gapMs);
    }
  }

  /** The main thread's tasks over 50 ms since recording began: each would have held up a keystroke. */
  async longTasks(): Promise<number[]> {
    return this.field.page().evaluate(() => (globalThis as unknown as InPage).keystrokeRecorder.longTasks);
  }

  /** Every keystroke so far, once each has had its frame. */
  async keystrokes(count: number): Promise<Keystroke[]> {
    const page = this.field.page();
    await page.waitForFunction(
      (n) => (globalThis as unknown as InPage).keystrokeRecorder.keystrokes.length >= n,
      count,
    );
    return page.evaluate(() => (globalThis as unknown as InPage).keystrokeRecorder.keystrokes);
  }
}

/** One field's keys, typed and measured: their median and slowest, and a line for the log. */
export interface FieldLatency {
  name: string;
  median: number;
  max: number;
  line: string;
}

/** Types `text` into `field`, `gapMs` a key, and measures every key (the value is checked to be as typed). */
export async function typeAndMeasure(name: string, field: Locator, text: string, gapMs: number): Promise<FieldLatency> {
  const before = await field.inputValue();
  const latency = await KeystrokeLatency.record(field);
  await latency.type(text, gapMs);
  const keystrokes = await latency.keystrokes(text.length);
  const longTasks = await latency.longTasks();
  await expect(field).toHaveValue(before + text);
  expect(keystrokes.every((k) => k.shown), `${name}: every key shown as typed`).toBe(true);
  const ms = keystrokes.map((k) => k.ms);
  const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  const max = Math.max(...ms);
  const line =
    `${name}: median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms (${ms.map((m) => m.toFixed(0)).join(' ')}); ` +
    `main-thread tasks over 50 ms: ${longTasks.map((t) => t.toFixed(0)).join(' ') || 'none'}`;
  return { name, median, max, line };
}
