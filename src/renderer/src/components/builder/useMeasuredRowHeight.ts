// The height a row of the files table really takes, measured in its first drawn block and
// set as the table's --row-height (styles.css: 2.6rem until then). The blocks whose rows are
// not drawn yet (useBlocksNearView.ts) are that high, so drawing them as they come near moves
// nothing: the error count's jump to a row far down lands on it, and the scrollbar does not
// grow under the user's scroll. A file row with its two lines is half as high again as the
// estimate at the builder's usual width, enough to miss a row 4,000 down by 17 rows.
import { useLayoutEffect, type RefObject } from 'react';

export function useMeasuredRowHeight(table: RefObject<HTMLTableElement | null>, rows: number): void {
  useLayoutEffect(() => {
    const block = table.current?.querySelector('.row-block');
    if (!table.current || !block) return;
    // A problem row (the message under a row) is not counted: most rows have none.
    const measured = [...block.querySelectorAll(':scope > tr:not(.problem-row)')].map((row) => row.getBoundingClientRect().height);
    const height = measured.reduce((sum, h) => sum + h, 0) / measured.length;
    if (height > 0) table.current.style.setProperty('--row-height', `${height}px`);
  }, [table, rows]);
}
