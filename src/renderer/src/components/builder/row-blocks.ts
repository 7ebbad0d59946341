// A long table cut into blocks of rows (the environment, the files): each block memoized on
// its entries, so that an edit draws its own block alone, and laid out only in view
// (content-visibility on the block's tbody; the table is displayed as blocks and grids,
// since a table's parts cannot be contained). The files table, which may have 10,000 rows,
// draws a block's rows only once it comes near the view (useBlocksNearView.ts).
export const BLOCK_ROWS = 32;

export const blockStarts = (rows: number): number[] => Array.from({ length: Math.ceil(rows / BLOCK_ROWS) }, (_, b) => b * BLOCK_ROWS);

export interface RowBlockProps {
  /** The index of the block's first row. */
  start: number;
  entries: readonly unknown[];
}

/** React.memo's comparison for a block: the same place and the same entries, by identity. */
export const sameBlock = (a: RowBlockProps, b: RowBlockProps): boolean =>
  a.start === b.start && a.entries.length === b.entries.length && a.entries.every((entry, k) => entry === b.entries[k]);
