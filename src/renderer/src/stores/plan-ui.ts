// How the plan panel is shown: the active profile's plan or the sandbox, and whether the
// panel takes the builder's room too (wide: the descriptor tables side by side need it).
import { create } from 'zustand';

export type PlanMode = 'profile' | 'sandbox';

interface PlanUiState {
  mode: PlanMode;
  wide: boolean;
}

export const usePlanUi = create<PlanUiState>()(() => ({ mode: 'profile', wide: false }));

export const setPlanMode = (mode: PlanMode): void => usePlanUi.setState({ mode });
export const toggleWide = (): void => usePlanUi.setState((s) => ({ wide: !s.wide }));
