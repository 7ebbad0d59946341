// A run's output, coalesced before it goes to clients: a child writing many small chunks
// would otherwise cost a message (IPC or WebSocket) and a render per chunk. Nothing is
// dropped; a flush sends everything held, per output key, in the order it came.
const HOLD_MS = 16;
const HOLD_AT_MOST_CHARS = 64 * 1024;

export class OutputBatcher {
  private held = new Map<string, string[]>();
  private heldChars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emit: (key: string, text: string) => void) {}

  push(key: string, text: string): void {
    if (text === '') return;
    const chunks = this.held.get(key);
    if (chunks) chunks.push(text);
    else this.held.set(key, [text]);
    this.heldChars += text.length;
    if (this.heldChars >= HOLD_AT_MOST_CHARS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), HOLD_MS);
  }

  /** Sends everything held now (before an event or the end, so that order is kept). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = new Map();
    this.heldChars = 0;
    for (const [key, chunks] of held) this.emit(key, chunks.join(''));
  }
}
