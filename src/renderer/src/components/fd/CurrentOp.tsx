// The op the scrubber is at: its call, pass and slot, what the child's trace says of it,
// and the one sentence saying why it is there. A fixed height, so nothing below moves; a
// long sentence scrolls, so the box takes the focus (Up and Down scroll it; Left and Right
// still step the walk) and is named for a screen reader.
import type { FdStep } from '@shared/fd-view';
import type { TraceEntry } from '@shared/result';
import { TraceMark } from './TraceMark';

const AT_CLONE =
  "Right after the clone the child's table is a copy of the lab's, every descriptor in it close-on-exec (the lab opens them with O_CLOEXEC): execve would close them all. Step through the ops to see each one put in place.";

interface CurrentOpProps {
  /** The walk's title: the box is named after it ("The seed’s plan: the current op"). */
  walkTitle: string;
  step: FdStep | null;
  position: number;
  count: number;
  /** After a run, the trace entry of this op (null: the child did not run it); absent before one. */
  trace?: TraceEntry | null | undefined;
}

export function CurrentOp({ walkTitle, step, position, count, trace }: CurrentOpProps) {
  const destroys = (step?.destroys.length ?? 0) > 0;
  return (
    <div
      className={`fd-current${destroys ? ' destroys' : ''}${step?.error ? ' fails' : ''}`}
      data-testid="fd-current-op"
      data-destroys={destroys ? 'true' : undefined}
      role="region"
      aria-label={`${walkTitle}: the current op`}
      tabIndex={0}
    >
      <div className="fd-current-head">
        {step ? (
          <>
            <span className="muted">
              op {position} of {count}
            </span>
            {step.op.pass && <span className="tag">pass {step.op.pass}</span>}
            {step.op.slot !== undefined && <span className="tag">{step.op.slot < 0 ? 'status pipe' : `for child fd ${step.op.slot}`}</span>}
            <code className="fd-current-call">{step.op.call}</code>
            {trace !== undefined && <TraceMark entry={trace} />}
          </>
        ) : (
          <span className="muted">after the clone, before any op ({count} to go)</span>
        )}
      </div>
      <p className="fd-why" data-testid="fd-why" aria-live="polite">
        {step ? step.why : AT_CLONE}
      </p>
    </div>
  );
}
