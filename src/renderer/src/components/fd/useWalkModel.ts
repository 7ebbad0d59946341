// A plan replayed over its host table (fd-view.ts), with what the view derives from it once:
// where each source is in the lab, which child fds need it, the child's stable rows, the ops
// under their headings, and how many rows the three columns show (the same for all three,
// fixed for the whole walk, so that stepping never resizes anything).
//
// A plan of up to a thousand ops is replayed while rendering. A longer one is replayed a
// slice at a time, a few ms a task, the last long walk kept meanwhile (an edit in a profile
// of 10,000 slots does not blank the view): 10,000 ops at once held the page for 100-200 ms
// on a 2-core machine (issue 17).
import { startTransition, useEffect, useMemo, useState } from 'react';

import { hostFdOfSource } from '@shared/fd-sources';
import { walkPlanSliced, type FdTable, type FdWalk } from '@shared/fd-view';
import { childRowFds, neededBy, opRows, type OpRow } from '@shared/fd-walk-display';
import type { PlanOp } from '@shared/result';
import { runToEnd, type Sliced } from '@shared/sliced';

const MAX_VISIBLE_ROWS = 12;
const REPLAYED_IN_RENDER = 1000;
// How long a slice may take before the page gets its main thread back.
const SLICE_MS = 8;

export interface WalkModel {
  walk: FdWalk;
  host: FdTable;
  hostFdOf: ReadonlyMap<string, number>;
  needed: ReadonlyMap<string, number[]>;
  childRows: number[];
  opRows: OpRow[];
  visibleRows: number;
}

function* walkModel(plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[]): Sliced<WalkModel> {
  const walk = yield* walkPlanSliced(plan, host, slotFds);
  yield;
  const childRows = childRowFds(walk);
  const ops = opRows(walk.steps);
  yield;
  return {
    walk,
    host,
    hostFdOf: hostFdOfSource(host),
    needed: neededBy(walk),
    childRows,
    opRows: ops,
    visibleRows: Math.min(MAX_VISIBLE_ROWS, Math.max(host.length, childRows.length, ops.length, 1)),
  };
}

/** The plan's walk model; null while a long plan is replayed for the first time. */
export function useWalkModel(plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[]): WalkModel | null {
  const long = plan.length > REPLAYED_IN_RENDER;
  const now = useMemo(() => (long ? null : runToEnd(walkModel(plan, host, slotFds))), [long, plan, host, slotFds]);
  const [later, setLater] = useState<WalkModel | null>(null);
  useEffect(() => {
    if (!long) return;
    const work = walkModel(plan, host, slotFds);
    let timer: number;
    const slice = () => {
      const until = performance.now() + SLICE_MS;
      for (let next = work.next(); ; next = work.next()) {
        // Drawn as a transition: the view of 10,000 ops renders in slices too.
        if (next.done) return startTransition(() => setLater(next.value));
        if (performance.now() > until) break;
      }
      timer = window.setTimeout(slice);
    };
    timer = window.setTimeout(slice);
    return () => window.clearTimeout(timer);
  }, [long, plan, host, slotFds]);
  return long ? later : now;
}
