// Medians and quantiles for the bench, in any of the runtimes it measures (no imports).

/** The median of the numbers in `xs` (null and undefined left out), or null. */
export const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
