// The walk's controls: first, back, the scrubber, forward, last, and where we are. At either
// end the buttons are marked aria-disabled rather than disabled, so that keyboard focus stays
// on them (a disabled button drops it).
import type { Stepper as StepperState } from './useStepper';

export function Stepper({ stepper, label }: { stepper: StepperState; label: string }) {
  const { position, count, go } = stepper;
  const where = position === 0 ? 'after the clone' : `after op ${position} of ${count}`;
  return (
    <div className="fd-stepper" role="group" aria-label={`Step through ${label}`}>
      <button type="button" className="small icon-button" data-testid="fd-step-first" title="First: right after the clone (Home)" aria-label="First" aria-disabled={position === 0} onClick={() => go(0)}>
        ⇤
      </button>
      <button type="button" className="small icon-button" data-testid="fd-step-back" title="Back one op (←)" aria-label="Back one op" aria-disabled={position === 0} onClick={() => go(position - 1)}>
        ◀
      </button>
      <input
        type="range"
        className="fd-scrubber"
        data-testid="fd-scrubber"
        min={0}
        max={count}
        step={1}
        value={position}
        aria-label={`Position in ${label}`}
        aria-valuetext={where}
        onChange={(e) => go(Number(e.target.value))}
      />
      <button type="button" className="small icon-button" data-testid="fd-step-forward" title="Forward one op (→)" aria-label="Forward one op" aria-disabled={position === count} onClick={() => go(position + 1)}>
        ▶
      </button>
      <button type="button" className="small icon-button" data-testid="fd-step-last" title="Last: what execve gets (End)" aria-label="Last" aria-disabled={position === count} onClick={() => go(count)}>
        ⇥
      </button>
      <span className="fd-position mono" data-testid="fd-position" aria-live="polite">
        {position}/{count}
      </span>
    </div>
  );
}
