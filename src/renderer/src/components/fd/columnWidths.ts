// Number columns as wide as their widest number (fd 7 or fd 65535), so that a table of
// 2,000 descriptors shows whole numbers and a table of 4 wastes no room. Set once per table
// from all its rows, never from the visible ones: widths do not change while stepping.
import type { CSSProperties } from 'react';

// At least two digits' room: the headings (fd, #) need it.
const width = (largest: number) => `calc(${Math.max(2, String(Math.max(0, largest)).length)}ch + 1.1em)`;

/** --num-w: the fd (or op number) column · --from-w: the "← lab fd" column. */
export function numberColumns(largestNumber: number, largestFrom = 0): CSSProperties {
  return { '--num-w': width(largestNumber), '--from-w': width(largestFrom) } as CSSProperties;
}

export const largest = (numbers: Iterable<number>): number => {
  let max = 0;
  for (const n of numbers) if (n > max) max = n;
  return max;
};
