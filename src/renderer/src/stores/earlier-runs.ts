// The runs that ended before this page loaded (it was reloaded, or the lab restarted), as
// the lab lists them from its runs folder (LabApi.listRecentRuns): only their summaries,
// newest first. Shown in the runs panel's history below this page's own runs.
import { create } from 'zustand';

import type { RecentRun } from '@shared/api';
import { getLabApi } from '../api';
import { useRuns } from './runs';

export const useEarlierRuns = create<{ runs: RecentRun[] }>()(() => ({ runs: [] }));

/** Lists them once, as the page loads (the runs this page sees from then on are its own). */
export async function loadEarlierRuns(): Promise<void> {
  try {
    const recent = await getLabApi().listRecentRuns();
    const own = useRuns.getState().runs;
    useEarlierRuns.setState({ runs: recent.filter((run) => !own[run.runId]) });
  } catch {
    // Not connected, or the runs folder unreadable: no history to show, nothing else lost.
  }
}
