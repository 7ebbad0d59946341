// Two sequences set side by side: items with the same key paired in order (a longest common
// subsequence), the rest left alone on their side. What diff(1) does with lines, for any
// list (the steps of two traces).

/** One row of the alignment: an index into each sequence, or null where that side has nothing. */
export type Aligned = readonly [a: number | null, b: number | null];

/** Past this many cells (middle of a by middle of b) the middles are paired by position instead. */
const MAX_CELLS = 4_000_000;

export function alignSequences<T>(a: readonly T[], b: readonly T[], key: (item: T) => string): Aligned[] {
  const ka = a.map(key);
  const kb = b.map(key);
  // The common start and end need no table.
  let start = 0;
  while (start < ka.length && start < kb.length && ka[start] === kb[start]) start++;
  let endA = ka.length;
  let endB = kb.length;
  while (endA > start && endB > start && ka[endA - 1] === kb[endB - 1]) {
    endA--;
    endB--;
  }
  const rows: Aligned[] = [];
  for (let i = 0; i < start; i++) rows.push([i, i]);
  rows.push(...alignMiddle(ka, kb, start, endA, start, endB));
  for (let i = 0; endA + i < ka.length; i++) rows.push([endA + i, endB + i]);
  return rows;
}

function alignMiddle(ka: readonly string[], kb: readonly string[], a0: number, a1: number, b0: number, b1: number): Aligned[] {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) return byPosition(a0, a1, b0, b1);
  // lcs[i][j]: the longest common subsequence of ka[a0+i..a1) and kb[b0+j..b1).
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = ka[a0 + i] === kb[b0 + j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const rows: Aligned[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ka[a0 + i] === kb[b0 + j]) rows.push([a0 + i++, b0 + j++]);
    else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) rows.push([a0 + i++, null]);
    else rows.push([null, b0 + j++]);
  }
  for (; i < n; i++) rows.push([a0 + i, null]);
  for (; j < m; j++) rows.push([null, b0 + j]);
  return rows;
}

/** Side by side as they come: row k holds the k-th item of each. */
function byPosition(a0: number, a1: number, b0: number, b1: number): Aligned[] {
  const rows: Aligned[] = [];
  for (let k = 0; k < Math.max(a1 - a0, b1 - b0); k++) rows.push([a0 + k < a1 ? a0 + k : null, b0 + k < b1 ? b0 + k : null]);
  return rows;
}
