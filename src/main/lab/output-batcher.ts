// A run's output on its way to clients (IPC, WebSocket), in batches: a child writing many
// small chunks would otherwise cost a message and a render per chunk, and a child writing
// 100 MB would send every client 100 MB that no one can read (a page's main thread spends
// seconds parsing it, and a slow client's socket buffers it all in the lab), while the
// view keeps only the last MiB of it.
//
// Per output key, a flush FLUSH_MS after the first chunk sends what came since the last
// one, in the order it came, within a budget: a burst of up to BURST_CHARS at once, and
// RATE_CHARS a second sustained (a token bucket). Past the budget only the latest output
// goes out, and the bytes before it are counted as skipped; every byte is still in the
// run's saved output file (runs-folder.ts). So a `cat` of a big file still shows its last
// MiB in full, and only a child writing over 1 Mi characters a second for longer is shown
// in samples. What is sent goes in messages of MESSAGE_CHARS at most: a page handles each
// in its own task, and a keystroke waits for one of those, not for a whole MiB.
const FLUSH_MS = 16;
/** The view keeps the last MiB of a stream (STREAM_LIMIT in the renderer's lib/stream.ts). */
export const BURST_CHARS = 1024 * 1024;
export const RATE_CHARS = 1024 * 1024;
/** Each flush shows at least this much of the latest output, budget or not. */
const MIN_SEND_CHARS = 4 * 1024;
export const MESSAGE_CHARS = 64 * 1024;

interface Held {
  chunks: string[];
  chars: number;
  /** UTF-8 bytes that came before `chunks` and will not be sent. */
  skippedBytes: number;
}

interface Budget {
  chars: number;
  at: number;
}

export class OutputBatcher {
  private held = new Map<string, Held>();
  private readonly budgets = new Map<string, Budget>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (key: string, text: string, skippedBytes: number) => void,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  push(key: string, text: string): void {
    if (text === '') return;
    let held = this.held.get(key);
    if (!held) this.held.set(key, (held = { chunks: [], chars: 0, skippedBytes: 0 }));
    held.chunks.push(text);
    held.chars += text.length;
    // Whole chunks that no budget could reach are skipped now: what is held stays small.
    while (held.chars - held.chunks[0]!.length >= BURST_CHARS) {
      const gone = held.chunks.shift()!;
      held.chars -= gone.length;
      held.skippedBytes += Buffer.byteLength(gone);
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Sends what is held now, within the budget (before an event or the end, so that order is kept). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = new Map();
    for (const [key, { chunks, chars, skippedBytes }] of held) {
      const sendable = Math.max(this.spend(key, chars), Math.min(chars, MIN_SEND_CHARS));
      let text = chunks.join('');
      let skipped = skippedBytes;
      if (chars > sendable) {
        const cut = cutPoint(text, chars - sendable);
        skipped += Buffer.byteLength(text.slice(0, cut));
        text = text.slice(cut);
      }
      for (let start = 0; start < text.length; skipped = 0) {
        const end = characterStart(text, start + MESSAGE_CHARS);
        this.emit(key, text.slice(start, end), skipped);
        start = end;
      }
    }
  }

  // Takes up to `wanted` characters from the key's bucket; answers how many it had.
  private spend(key: string, wanted: number): number {
    const now = this.now();
    const budget = this.budgets.get(key) ?? { chars: BURST_CHARS, at: now };
    const available = Math.min(BURST_CHARS, budget.chars + ((now - budget.at) / 1000) * RATE_CHARS);
    const spent = Math.min(wanted, Math.floor(available));
    this.budgets.set(key, { chars: available - spent, at: now });
    return spent;
  }
}

// Where a cut meant for `at` falls: at the start of the next line when one begins within
// LINE_SEARCH_CHARS, so that the view (or a terminal) resumes on a whole line rather than
// in the middle of one, or of an escape sequence; else at `at`, never inside a character.
const LINE_SEARCH_CHARS = 4 * 1024;
function cutPoint(text: string, at: number): number {
  if (text[at - 1] === '\n') return at;
  const newline = text.indexOf('\n', at);
  if (newline !== -1 && newline + 1 < text.length && newline - at < LINE_SEARCH_CHARS) return newline + 1;
  return characterStart(text, at);
}

// `at`, or just past it when it falls between the two halves of a character.
function characterStart(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : Math.min(at, text.length);
}
