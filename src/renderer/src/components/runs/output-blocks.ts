// A stream's text in its <pre>, as blocks of whole lines (BLOCK_CHARS at most) that the
// browser lays out only while they are on screen (`content-visibility: auto` on settled
// blocks, styles.css). Laying out 64 KiB of text as one run of lines takes this page tens
// of milliseconds, on every draw of a fast stream; as blocks, a draw costs the lines in
// view and the new ones. The newest two blocks, the ones in view while the pane follows
// the tail, are always drawn: a block only becomes visible a frame after it is found on
// screen, and the tail would blink. The line still being written stays in the last block,
// which is redone as it grows.
// Control characters show in caret notation, as `cat -v` and `less` show them (NUL is
// ^@, ESC ^[): a page draws them as nothing, at several times the cost of letters. Apart
// from those, the <pre>'s textContent is exactly the text (each block keeps its newlines).
const BLOCK_CHARS = 4096;
/**
 * A guess at the pane's width in characters, for a block's height before it is first drawn.
 * It need not be right, only near: a block of one long line that is guessed one row high
 * would pull every such block into view, and the whole tail would be laid out again.
 */
const GUESSED_COLUMNS = 80;
/** The line height of `.output-text` in styles.css, in em. */
const ROW_EM = 1.3;
/** Blocks at the end that are always drawn. */
const LIVE_BLOCKS = 2;

export class OutputBlocks {
  /** Characters shown. */
  chars = 0;
  private last: HTMLElement | null = null;
  private lastText = '';

  constructor(private readonly pre: HTMLElement) {}

  replace(text: string): void {
    this.pre.replaceChildren();
    this.last = null;
    this.lastText = '';
    this.chars = 0;
    this.append(text);
  }

  append(text: string): void {
    if (text === '') return;
    this.chars += text.length;
    // The last block is redone with the new text: its line may go on.
    let rest = this.lastText + text;
    this.last?.remove();
    while (rest !== '') {
      const end = blockEnd(rest);
      this.last = this.block(rest.slice(0, end));
      this.lastText = rest.slice(0, end);
      rest = rest.slice(end);
    }
    // A block that ends its line is done: the next text starts a new one.
    if (this.lastText.endsWith('\n') && this.lastText.length >= BLOCK_CHARS / 2) {
      this.last = null;
      this.lastText = '';
    }
  }

  private block(text: string): HTMLElement {
    const block = document.createElement('span');
    block.className = 'output-block';
    block.textContent = caretNotation(text);
    // Its height until it is first drawn (then the browser remembers the real one).
    block.style.setProperty('contain-intrinsic-block-size', `auto ${guessRows(text) * ROW_EM}em`);
    this.pre.appendChild(block);
    this.pre.children[this.pre.children.length - 1 - LIVE_BLOCKS]?.classList.add('settled');
    return block;
  }
}

// Where the first block of `text` ends: after its last newline within BLOCK_CHARS, or at
// BLOCK_CHARS in a line longer than that.
function blockEnd(text: string): number {
  if (text.length <= BLOCK_CHARS) return text.length;
  const newline = text.lastIndexOf('\n', BLOCK_CHARS - 1);
  return newline >= 0 ? newline + 1 : BLOCK_CHARS;
}

// The rows `text` takes in a pane GUESSED_COLUMNS wide (its lines wrap).
function guessRows(text: string): number {
  let rows = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    rows += Math.max(1, Math.ceil((end - start) / GUESSED_COLUMNS));
    start = end + 1;
  }
  return Math.max(1, rows);
}

// Runs of one C0 control (but tab, newline and carriage return) or DEL: a NUL stream is
// one run per block, not a callback per byte.
const CONTROL_RUNS = /([\x00-\x08\x0b\x0c\x0e-\x1f\x7f])\1*/g;

function caretNotation(text: string): string {
  return text.replace(CONTROL_RUNS, (run: string, c: string) => {
    const code = c.charCodeAt(0);
    return (code === 0x7f ? '^?' : `^${String.fromCharCode(code + 64)}`).repeat(run.length);
  });
}
