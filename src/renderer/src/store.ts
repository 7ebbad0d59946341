import { create } from 'zustand';

export interface LabState {
  title: string;
}

/** The renderer's app state. Grows into profiles, plans and runs with the builder. */
export const useLabStore = create<LabState>()(() => ({
  title: 'Process Lab',
}));
