// Long work done a slice at a time: a generator that pauses (yields) between slices, so that
// a page can spread it over several tasks and leave its main thread free between them
// (fd/useWalkModel.ts); anything else runs it at once.

export type Sliced<T> = Generator<void, T, void>;

/** Runs sliced work to its end, at once: its result. */
export function runToEnd<T>(work: Sliced<T>): T {
  for (;;) {
    const next = work.next();
    if (next.done) return next.value;
  }
}
