// Sandbox mode: a seed-style Files list and a sketch of the lab's open fds, as typed, and
// the lab's plan for the last valid pair (kept while the text is being fixed, so the view
// below does not collapse with every keystroke). Asked ~150 ms after the last keystroke;
// an older answer never overwrites a newer one's.
import { create } from 'zustand';

import type { SandboxPlan } from '@shared/api';
import { defaultSketch, parseFdList } from '@shared/fd-sandbox';
import { getLabApi } from '../api';

export interface SandboxInputs {
  filesText: string;
  /** Empty: the default sketch (0, 1, 2 and every source). */
  hostText: string;
}

export interface SandboxState extends SandboxInputs {
  /** What is wrong with each input as typed. */
  filesError: string | null;
  hostError: string | null;
  /** The lab's answer for the last valid inputs, with the sketch it was planned against. */
  planned: { plan: SandboxPlan; sketch: number[] } | null;
  /** The request failed (not connected, refused). */
  requestError: string | null;
  /** The inputs changed since `planned` was made. */
  pending: boolean;
}

export const SANDBOX_EXAMPLES = ['1 0 2', '2 0', '-1 5 3 4', '0 2 1', '1 3 0'] as const;

export const useSandbox = create<SandboxState>()(() => ({
  filesText: SANDBOX_EXAMPLES[0],
  hostText: '',
  filesError: null,
  hostError: null,
  planned: null,
  requestError: null,
  pending: true,
}));

const DEBOUNCE_MS = 150;
let timer: ReturnType<typeof setTimeout> | null = null;
let generation = 0;

/** Edits the inputs; a valid pair is planned shortly after. */
export function setSandboxInputs(change: Partial<SandboxInputs>): void {
  const next = { ...useSandbox.getState(), ...change };
  const files = parseFdList(next.filesText, 'files');
  const host = next.hostText.trim() === '' ? null : parseFdList(next.hostText, 'host');
  useSandbox.setState({
    ...change,
    filesError: files.ok ? null : files.error,
    hostError: host && !host.ok ? host.error : null,
    pending: true,
  });
  if (timer) clearTimeout(timer);
  if (!files.ok || (host && !host.ok)) return;
  const sketch = host ? host.fds : defaultSketch(files.fds);
  timer = setTimeout(() => void plan(files.fds, sketch), DEBOUNCE_MS);
}

async function plan(files: number[], sketch: number[]): Promise<void> {
  timer = null;
  const mine = ++generation;
  try {
    const answer = await getLabApi().sandboxPlan(files, sketch);
    if (mine === generation) useSandbox.setState({ planned: { plan: answer, sketch }, requestError: null, pending: false });
  } catch (err) {
    if (mine === generation) useSandbox.setState({ requestError: err instanceof Error ? err.message : String(err), pending: false });
  }
}

/** Plans the inputs as they are (when the sandbox opens, or after a reconnect). */
export function refreshSandbox(): void {
  setSandboxInputs({});
}
