// A plan replayed over its host table (fd-view.ts), with what the view derives from it once:
// where each source is in the lab, which child fds need it, the child's stable rows, the ops
// under their headings, and how many rows the three columns show (the same for all three,
// fixed for the whole walk, so that stepping never resizes anything).
import { useMemo } from 'react';

import { hostFdOfSource } from '@shared/fd-sources';
import { walkPlan, type FdTable, type FdWalk } from '@shared/fd-view';
import { childRowFds, neededBy, opRows, type OpRow } from '@shared/fd-walk-display';
import type { PlanOp } from '@shared/result';

const MAX_VISIBLE_ROWS = 12;

export interface WalkModel {
  walk: FdWalk;
  host: FdTable;
  hostFdOf: ReadonlyMap<string, number>;
  needed: ReadonlyMap<string, number[]>;
  childRows: number[];
  opRows: OpRow[];
  visibleRows: number;
}

export function walkModel(plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[]): WalkModel {
  const walk = walkPlan(plan, host, slotFds);
  const childRows = childRowFds(walk);
  const ops = opRows(walk.steps);
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

export function useWalkModel(plan: readonly PlanOp[], host: FdTable, slotFds: readonly number[]): WalkModel {
  return useMemo(() => walkModel(plan, host, slotFds), [plan, host, slotFds]);
}
