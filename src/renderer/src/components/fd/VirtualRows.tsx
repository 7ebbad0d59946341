// A fixed-height scroller that renders only the rows in view (and a few either side), each
// row the same height: a table of 2,000 descriptors costs what a table of 30 does. The
// scroll position is the user's: it only moves to bring `reveal` into view when that row is
// hidden, and never for a row already on screen.
import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactElement } from 'react';

const ROW_HEIGHT = 26;
const OVERSCAN = 6;

interface VirtualRowsProps {
  count: number;
  /** Every row's height in px (default ROW_HEIGHT). */
  rowHeight?: number;
  /** The scroller's height, in rows. */
  visibleRows: number;
  /** The row element for an index, placed with `style`. */
  renderRow: (index: number, style: CSSProperties) => ReactElement;
  /** A row to keep in view (scrolled to only when it is hidden); changes when the op does. */
  reveal?: number | null;
  label: string;
  className?: string;
  testId?: string;
}

export function VirtualRows({ count, rowHeight = ROW_HEIGHT, visibleRows, renderRow, reveal, label, className, testId }: VirtualRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = Math.max(1, visibleRows) * rowHeight;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || reveal === null || reveal === undefined || reveal < 0) return;
    const top = reveal * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    setScrollTop(el.scrollTop);
  }, [reveal, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows: ReactElement[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i, { position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }));

  return (
    <div
      ref={scroller}
      className={`vrows${className ? ` ${className}` : ''}`}
      style={{ height }}
      role="rowgroup"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vrows-space" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
