// The active profile's plan: the program, its steps, and its descriptor ops to step through.
import { useMemo, useRef } from 'react';

import type { PlanView as Plan } from '@shared/api';
import { profileSources } from '@shared/fd-sources';
import { hostTable } from '@shared/fd-view';
import type { Draft } from '../../lib/draft';
import { FdPlanView } from '../fd/FdPlanView';
import { PlanSteps } from './PlanSteps';

export function ProfilePlan({ plan, files }: { plan: Plan; files: Draft['files'] }) {
  const fdView = useRef<HTMLDivElement>(null);
  const host = useMemo(() => hostTable(plan.slotFds, plan.statusFd, profileSources(files)), [plan.slotFds, plan.statusFd, files]);
  const showFdOps = () => {
    fdView.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    fdView.current?.querySelector<HTMLElement>('[data-testid="fd-step-forward"]')?.focus({ preventScroll: true });
  };
  return (
    <>
      <div className="plan-program">
        <span className="muted">program</span>{' '}
        {plan.path ? <code>{plan.path}</code> : <span className="error-text">not found in PATH: the launch will fail at lookup</span>}
      </div>
      <div className="plan-program" data-testid="plan-clone">
        <span className="muted">created by</span> <code>{plan.clone.call}</code>
        {plan.clone.why && <p className="field-hint" data-testid="plan-clone-why">{plan.clone.why}</p>}
      </div>
      <PlanSteps plan={plan.plan} onShowFdOps={showFdOps} />
      <div ref={fdView} className="profile-fds">
        <FdPlanView host={host} slotFds={plan.slotFds} plan={plan.plan} seedPlan={plan.seedPlan} />
      </div>
    </>
  );
}
