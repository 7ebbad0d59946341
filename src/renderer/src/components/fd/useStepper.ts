// The scrubber's position over a walk: 0 is right after the clone, k is after the k-th op.
// Kept (clamped) when the walk changes under it, so editing a sandbox list does not throw
// the learner back to the start. Left/Right step, Home/End jump, from anywhere in the view
// except a text field or the scrubber itself (which moves on its own arrow keys).
import { useCallback, useState, type KeyboardEvent } from 'react';

export interface Stepper {
  position: number;
  count: number;
  go(position: number): void;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
}

export function useStepper(count: number): Stepper {
  const [wanted, setWanted] = useState(0);
  const position = Math.min(wanted, count);
  const go = useCallback((next: number) => setWanted(Math.max(0, Math.min(count, next))), [count]);
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement).closest('input, textarea, select')) return;
      const moves: Record<string, number> = { ArrowLeft: position - 1, ArrowRight: position + 1, Home: 0, End: count };
      const next = moves[e.key];
      if (next === undefined) return;
      e.preventDefault();
      go(next);
    },
    [position, count, go],
  );
  return { position, count, go, onKeyDown };
}
