// The plan's steps in order, as the engine computed them. The descriptor ops (the fd step
// and closefds) are summed up in one entry: the descriptor view below steps through them.
import { STEP_DESCRIPTIONS, type StepName } from '@shared/steps';
import type { PlanOp } from '@shared/result';
import { stepOrigin, type StepOrigin } from '@shared/step-order';

type Entry = { kind: 'op'; op: PlanOp; index: number } | { kind: 'fd-ops'; ops: PlanOp[]; index: number };

/** Runs of descriptor ops (those with an `op`) become one entry. */
function entries(plan: readonly PlanOp[]): Entry[] {
  const out: Entry[] = [];
  plan.forEach((op, index) => {
    const last = out[out.length - 1];
    if (op.op && last?.kind === 'fd-ops') last.ops.push(op);
    else out.push(op.op ? { kind: 'fd-ops', ops: [op], index } : { kind: 'op', op, index });
  });
  return out;
}

const describe = (step: StepName | string): string | undefined => (STEP_DESCRIPTIONS as Record<string, string>)[step];

const ORIGIN_TAGS: Record<StepOrigin, string | null> = { seed: null, go: 'Go since the seed', lab: "the lab's" };

function StepItem({ op, index, moved }: { op: PlanOp; index: number; moved: boolean }) {
  const description = describe(op.step);
  const origin = ORIGIN_TAGS[stepOrigin(op.step)];
  return (
    <li className={`plan-step step-${op.step}${moved ? ' moved' : ''}`} data-testid="plan-step" data-step={op.step} title={description}>
      <span className="step-index mono">{index + 1}</span>
      <div className="step-body">
        <div className="step-line">
          <span className="step-name">{op.step}</span>
          {origin && <span className="tag">{origin}</span>}
          {moved && <span className="tag tag-moved" data-testid="plan-step-moved">moved by the order</span>}
          <code className="step-call">{op.call}</code>
        </div>
        {description && <div className="step-desc">{description}</div>}
      </div>
    </li>
  );
}

function FdOpsItem({ ops, index, onShow }: { ops: PlanOp[]; index: number; onShow(): void }) {
  const count = (pass: 1 | 2) => ops.filter((o) => o.pass === pass).length;
  const closefds = ops.some((o) => o.step === 'closefds');
  return (
    <li className="plan-step step-fd" data-testid="plan-step" data-step="fd">
      <span className="step-index mono">
        {index + 1}–{index + ops.length}
      </span>
      <div className="step-body">
        <div className="step-line">
          <span className="step-name">fd{closefds ? ', closefds' : ''}</span>
          <span className="fd-ops-summary">
            {ops.length} descriptor ops: {count(1)} in pass 1, {count(2)} in pass 2{closefds && ', then the rest close-on-exec'}
          </span>
          <button type="button" className="link-button fd-show" onClick={onShow}>
            step through them ↓
          </button>
        </div>
        <div className="step-desc">{describe('fd')}</div>
      </div>
    </li>
  );
}

export function PlanSteps({ plan, onShowFdOps, moved = [] }: { plan: readonly PlanOp[]; onShowFdOps(): void; moved?: readonly string[] }) {
  return (
    <ol className="plan-steps">
      {entries(plan).map((entry) =>
        entry.kind === 'op' ? (
          <StepItem key={entry.index} op={entry.op} index={entry.index} moved={moved.includes(entry.op.step)} />
        ) : (
          <FdOpsItem key={entry.index} ops={entry.ops} index={entry.index} onShow={onShowFdOps} />
        ),
      )}
    </ol>
  );
}
