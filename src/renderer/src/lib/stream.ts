// One captured output stream of a run, kept outside React: chunks are appended as they
// arrive and views subscribe to draw them at their own pace. Only the last LIMIT bytes
// are kept; what falls off the front, and what the lab skipped sending (a child writing
// faster than anyone can read), is counted, so a view can say how much it dropped.

export const STREAM_LIMIT = 1024 * 1024;
/** Trim in steps rather than on every chunk once full: fewer redraws for a fast writer. */
const SLACK = 256 * 1024;

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

interface Chunk {
  text: string;
  bytes: number;
}

export class StreamBuffer {
  private chunks: Chunk[] = [];
  /** Absolute index of chunks[0] among every chunk ever appended. */
  private first = 0;
  private listeners = new Set<() => void>();
  /** Bytes kept now, dropped from the front, and seen in all. */
  bytes = 0;
  dropped = 0;
  total = 0;

  constructor(
    readonly key: string,
    private readonly limit = STREAM_LIMIT,
  ) {}

  /** `skippedBytes`: output before `text` that the lab did not send (counted as dropped). */
  append(text: string, skippedBytes = 0): void {
    if (text === '' && skippedBytes === 0) return;
    this.total += skippedBytes;
    this.dropped += skippedBytes;
    const bytes = utf8Length(text);
    this.chunks.push({ text, bytes });
    this.bytes += bytes;
    this.total += bytes;
    if (this.bytes > this.limit + SLACK) this.trim();
    this.listeners.forEach((l) => l());
  }

  /** Replaces everything with `text` (the run's final output), keeping its tail. */
  reset(text: string): void {
    this.first += this.chunks.length;
    this.chunks = [];
    this.dropped = 0;
    this.bytes = 0;
    this.total = 0;
    this.append(text);
  }

  private trim(): void {
    while (this.bytes > this.limit && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const excess = this.bytes - this.limit;
      if (head.bytes <= excess) {
        this.chunks.shift();
        this.first++;
        this.bytes -= head.bytes;
        this.dropped += head.bytes;
        continue;
      }
      // Keep the head chunk's tail (cut by characters, near enough in bytes).
      const cutChars = Math.ceil((excess / head.bytes) * head.text.length);
      const text = head.text.slice(cutChars);
      const bytes = utf8Length(text);
      this.chunks[0] = { text, bytes };
      this.bytes -= head.bytes - bytes;
      this.dropped += head.bytes - bytes;
      break;
    }
    this.generation++;
  }

  /** Bumped whenever something already drawn is gone: views redraw from scratch. */
  generation = 0;

  /** Absolute index of the next chunk to be appended. */
  get end(): number {
    return this.first + this.chunks.length;
  }

  /** The kept text from absolute chunk index `from` (clamped to what is kept). */
  textFrom(from: number): string {
    const start = Math.max(0, from - this.first);
    let out = '';
    for (let i = start; i < this.chunks.length; i++) out += this.chunks[i]!.text;
    return out;
  }

  text(): string {
    return this.textFrom(this.first);
  }

  /** The last `maxChars` characters kept (from a line start when one is near). */
  tail(maxChars: number): string {
    let out = '';
    for (let i = this.chunks.length - 1; i >= 0 && out.length < maxChars; i--) out = this.chunks[i]!.text + out;
    if (out.length <= maxChars) return out;
    out = out.slice(out.length - maxChars);
    const nl = out.indexOf('\n');
    return nl >= 0 && nl < 4096 ? out.slice(nl + 1) : out;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
