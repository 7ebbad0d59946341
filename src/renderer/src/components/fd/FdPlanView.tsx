// A plan's descriptor ops to step through: the corrected plan alone, or, when the seed's own
// plan would destroy a source the child still needs (golang/go#61751), both side by side.
import type { FdTable } from '@shared/fd-view';
import { destroyingSteps } from '@shared/fd-walk-display';
import type { PlanOp } from '@shared/result';
import { ReplayingOps } from './ReplayingOps';
import { SeedComparison } from './SeedComparison';
import { useWalkModel } from './useWalkModel';
import { WalkView } from './WalkView';

interface FdPlanViewProps {
  host: FdTable;
  slotFds: readonly number[];
  plan: readonly PlanOp[];
  seedPlan?: readonly PlanOp[] | undefined;
}

// Without a seed plan there is nothing to replay: an empty walk over an empty table.
const NO_PLAN: readonly PlanOp[] = [];
const NO_HOST: FdTable = [];
const NO_SLOTS: readonly number[] = [];

const samePlan = (a: readonly PlanOp[], b: readonly PlanOp[]) => a.length === b.length && a.every((op, i) => op.call === b[i]!.call);

export function FdPlanView({ host, slotFds, plan, seedPlan }: FdPlanViewProps) {
  const corrected = useWalkModel(plan, host, slotFds);
  const seed = useWalkModel(seedPlan ?? NO_PLAN, seedPlan ? host : NO_HOST, seedPlan ? slotFds : NO_SLOTS);
  if (!corrected || !seed) return <ReplayingOps count={plan.length} />;
  const seedDestroys = seedPlan !== undefined && destroyingSteps(seed.walk).length > 0;
  if (seedDestroys) return <SeedComparison seed={seed} corrected={corrected} />;
  return (
    <div className="fd-plan" data-testid="fd-view">
      <WalkView model={corrected} title="The descriptor ops" testId="fd-walk" />
      {seedPlan !== undefined && (
        <p className="muted fd-seed-same" data-testid="fd-seed-harmless">
          {samePlan(seedPlan, plan)
            ? 'The seed’s own plan (pass 1 from len(files)) is the same here.'
            : 'The seed’s own plan (pass 1 from len(files)) destroys nothing here: only the fresh fds it moves sources to differ.'}
        </p>
      )}
    </div>
  );
}
