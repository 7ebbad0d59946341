// Which two runs are compared: picked in the history, A first, then B. With two picked the
// runs panel shows them side by side instead of the selected run; picking a third takes B's
// place. Selecting a run (a click in the history, a launch) leaves the comparison.
import { create } from 'zustand';

import { useRuns } from './runs';

interface CompareState {
  /** Run ids: [] · [A] · [A, B]. */
  picked: string[];
  /** Only the rows that differ (or cannot be compared); the equal ones folded away. */
  onlyDifferences: boolean;
}

export const useCompare = create<CompareState>()(() => ({ picked: [], onlyDifferences: true }));

export function togglePick(runId: string): void {
  useCompare.setState(({ picked }) => {
    if (picked.includes(runId)) return { picked: picked.filter((id) => id !== runId) };
    return { picked: picked.length < 2 ? [...picked, runId] : [picked[0]!, runId] };
  });
}

export function swapPicks(): void {
  useCompare.setState(({ picked }) => ({ picked: [...picked].reverse() }));
}

export function leaveComparison(): void {
  useCompare.setState({ picked: [] });
}

export function setOnlyDifferences(on: boolean): void {
  useCompare.setState({ onlyDifferences: on });
}

// A run of this page takes the lab's id once its launch is answered (its viewKey keeps the
// page's own): a pick follows it, and that is no new selection.
const renamedTo = (id: string, runs: ReturnType<typeof useRuns.getState>['runs']): string =>
  runs[id] ? id : (Object.values(runs).find((r) => r.viewKey === id)?.runId ?? id);

useRuns.subscribe((state, previous) => {
  const { picked } = useCompare.getState();
  const followed = picked.map((id) => renamedTo(id, state.runs));
  if (followed.some((id, i) => id !== picked[i])) useCompare.setState({ picked: followed });
  const selectedBefore = previous.selected === null ? null : renamedTo(previous.selected, state.runs);
  if (state.selected !== selectedBefore) leaveComparison();
});
