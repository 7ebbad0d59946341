// One walk of a plan's descriptor ops: the controls, the current op and why it is there,
// then the lab's table, the ops and the child's table side by side at the scrubber's moment,
// and what the program gets in the end.
import { useMemo, type ReactNode } from 'react';

import { momentAt } from '@shared/fd-walk-display';
import type { TraceEntry } from '@shared/result';
import { Heading, HeadingLevel } from '../Heading';
import { ChildTable } from './ChildTable';
import { CurrentOp } from './CurrentOp';
import { ExecTable } from './ExecTable';
import { HostTable } from './HostTable';
import { OpsList } from './OpsList';
import { Stepper } from './Stepper';
import { useStepper } from './useStepper';
import type { WalkModel } from './useWalkModel';

interface WalkViewProps {
  model: WalkModel;
  title: string;
  /** For people and specs: which walk this is (fd-walk, seed-walk, corrected-walk). */
  testId: string;
  /** The child's trace by plan index, after a run. */
  trace?: readonly (TraceEntry | null)[];
  /** What the program gets, at the bottom (a run shows its observed table instead). */
  showExecTable?: boolean;
  /** Shown under the title. */
  note?: ReactNode;
}

export function WalkView({ model, title, testId, trace, showExecTable = true, note }: WalkViewProps) {
  const { walk } = model;
  const stepper = useStepper(walk.steps.length);
  const moment = useMemo(() => momentAt(walk, stepper.position, model.needed), [walk, stepper.position, model.needed]);
  const atEnd = stepper.position === walk.steps.length;
  return (
    <section className="fd-walk" data-testid={testId} aria-label={title} tabIndex={-1} onKeyDown={stepper.onKeyDown}>
      <header className="fd-walk-head">
        <Heading className="fd-walk-title">{title}</Heading>
        {note}
      </header>
      <HeadingLevel>
        {walk.steps.length === 0 ? (
          <p className="muted">This plan has no descriptor ops.</p>
        ) : (
          <>
            <Stepper stepper={stepper} label={title} />
            <CurrentOp walkTitle={title} step={moment.step} position={stepper.position} count={walk.steps.length} trace={trace && moment.step ? trace[moment.step.planIndex] ?? null : undefined} />
            <div className="fd-columns">
              <div className="fd-column">
                <Heading className="fd-subtitle">The lab’s fds</Heading>
                <HostTable host={model.host} moment={moment} needed={model.needed} visibleRows={model.visibleRows} />
              </div>
              <div className="fd-column">
                <Heading className="fd-subtitle">Ops</Heading>
                <OpsList steps={walk.steps} rows={model.opRows} position={stepper.position} onPick={stepper.go} trace={trace} visibleRows={model.visibleRows} />
              </div>
              <div className="fd-column">
                <Heading className="fd-subtitle">The child’s fds {stepper.position === 0 ? 'after the clone' : `after op ${stepper.position}`}</Heading>
                <ChildTable rows={model.childRows} moment={moment} hostFdOf={model.hostFdOf} wrongFds={walk.wrongFds} atEnd={atEnd} visibleRows={model.visibleRows} />
              </div>
            </div>
          </>
        )}
        {showExecTable && <ExecTable walk={walk} hostFdOf={model.hostFdOf} />}
      </HeadingLevel>
    </section>
  );
}
