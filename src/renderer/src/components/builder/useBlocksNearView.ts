// Which blocks of a long table (row-blocks.ts) have come near the view of the panel it
// scrolls in, within a screen of it: the rows of a block far down a table of 10,000 are
// drawn only once the user scrolls near them, so that opening such a profile creates the
// rows on screen, not all of them (issue 17). The first block is near from the start, and a
// block once near stays so: drawn rows are never taken away under the focus or the scroll.
import { startTransition, useCallback, useRef, useState } from 'react';

const MARGIN = '100% 0px';
const FIRST: ReadonlySet<number> = new Set([0]);

// The nearest ancestor that scrolls (the builder's column), or null for the viewport: an
// observer's margin applies to its root only, never to a panel scrolling inside it.
function scrollParent(el: Element): Element | null {
  for (let at = el.parentElement; at; at = at.parentElement) {
    const { overflowY } = getComputedStyle(at);
    if (overflowY === 'auto' || overflowY === 'scroll') return at;
  }
  return null;
}

/**
 * `near`: the first rows of the blocks near the view so far. `watch`: the ref of a block not
 * drawn yet, an element as high as its rows would be, with its first row in `data-first`.
 */
export function useBlocksNearView(): { near: ReadonlySet<number>; watch: (el: HTMLElement | null) => (() => void) | undefined } {
  const [near, setNear] = useState(FIRST);
  const observer = useRef<IntersectionObserver | null>(null);
  const watch = useCallback((el: HTMLElement | null) => {
    if (!el) return undefined;
    observer.current ??= new IntersectionObserver(
      (entries) => {
        const come = entries.filter((e) => e.isIntersecting).map((e) => Number((e.target as HTMLElement).dataset.first));
        // Drawn as a transition: React draws the rows in slices, between frames of the scroll.
        if (come.length > 0) startTransition(() => setNear((before) => new Set([...before, ...come])));
      },
      { root: scrollParent(el), rootMargin: MARGIN },
    );
    const watching = observer.current;
    watching.observe(el);
    return () => watching.unobserve(el);
  }, []);
  return { near, watch };
}
