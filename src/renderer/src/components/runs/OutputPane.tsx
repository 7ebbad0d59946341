// One captured output stream, drawn straight into a <pre> (not through React state) at
// most every 100 ms, as blocks that are laid out only while on screen (output-blocks.ts).
// The stream keeps its last ~1 MB; while a child writes the pane shows only the last
// 64 KiB of it, and "Show all" draws everything kept. Under the head, where it says how
// much was dropped from view, `saved` says where all of it is (SavedOutputLine).
import { useEffect, useRef, useState, type ReactNode } from 'react';

import { bytes } from '../../lib/format';
import type { StreamBuffer } from '../../lib/stream';
import { OutputBlocks } from './output-blocks';

const FRAME_MS = 100;
/** Characters drawn in tail mode; the pane redraws from the tail when it holds twice this. */
const VIEW_CHARS = 64 * 1024;

export function OutputPane({ stream, label, live, saved }: { stream: StreamBuffer; label: string; live: boolean; saved?: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const [showAll, setShowAll] = useState(false);
  const [info, setInfo] = useState({ dropped: stream.dropped, total: stream.total, kept: stream.bytes, shown: 0 });

  useEffect(() => {
    const el = pre.current;
    if (!el) return;
    let drawnTo = stream.end;
    let generation = stream.generation;
    const blocks = new OutputBlocks(el);
    let timer: ReturnType<typeof setTimeout> | null = null;

    const redraw = () => blocks.replace(showAll ? stream.text() : stream.tail(VIEW_CHARS));
    const draw = () => {
      timer = null;
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      const text = stream.textFrom(drawnTo);
      const cap = showAll ? Infinity : 2 * VIEW_CHARS;
      if (generation !== stream.generation || blocks.chars + text.length > cap) {
        generation = stream.generation;
        redraw();
      } else {
        blocks.append(text);
      }
      drawnTo = stream.end;
      if (atBottom) el.scrollTop = el.scrollHeight;
      setInfo({ dropped: stream.dropped, total: stream.total, kept: stream.bytes, shown: blocks.chars });
    };
    redraw();
    el.scrollTop = el.scrollHeight;
    setInfo({ dropped: stream.dropped, total: stream.total, kept: stream.bytes, shown: blocks.chars });
    // Throttled, leading edge: a quiet stream's chunk shows at once, a busy one every FRAME_MS.
    let lastDraw = 0;
    let scheduled = false;
    const run = () => {
      scheduled = false;
      lastDraw = performance.now();
      draw();
    };
    const unsubscribe = stream.subscribe(() => {
      if (scheduled) return;
      scheduled = true;
      const wait = lastDraw + FRAME_MS - performance.now();
      if (wait <= 0) queueMicrotask(run);
      else timer = setTimeout(run, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [stream, showAll]);

  // Characters vs bytes: near enough to decide whether part of what is kept is off screen.
  const partial = !showAll && info.shown < info.kept - 1;
  return (
    <div className="output">
      <div className="output-head">
        <span className="output-label">{label}</span>
        <span className="muted" data-testid={`output-total-${stream.key}`} data-bytes={info.total}>
          {bytes(info.total)}
        </span>
        {info.dropped > 0 && (
          <span className="output-dropped" data-testid={`output-dropped-${stream.key}`}>
            {info.dropped.toLocaleString('en-US')} bytes dropped from view
          </span>
        )}
        {partial && (
          <span className="output-partial">
            showing the last {bytes(info.shown)} of {bytes(info.kept)} kept
            <button
              type="button"
              className="link-button"
              data-testid={`output-show-all-${stream.key}`}
              onClick={() => setShowAll(true)}
              disabled={live}
              title={live ? 'Available when the run has ended' : 'Draw everything kept (up to 1 MiB)'}
            >
              show all
            </button>
          </span>
        )}
      </div>
      {saved}
      {/* A named region: it scrolls, so it takes the focus, and a screen reader says which stream it is. */}
      <pre ref={pre} className="output-text" data-testid={`output-${stream.key}`} data-key={stream.key} tabIndex={0} role="region" aria-label={label} />
    </div>
  );
}
