// The active profile's plan: the program, its steps, and its descriptor ops to step through.
import { useMemo, useRef } from 'react';

import type { PlanView as Plan } from '@shared/api';
import { profileSources } from '@shared/fd-sources';
import { hostTable } from '@shared/fd-view';
import { movedSteps, type StepOrder } from '@shared/step-order';
import type { Draft } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { FdPlanView } from '../fd/FdPlanView';
import { PlanSteps } from './PlanSteps';

const ORDERS: readonly { order: StepOrder; label: string; title: string }[] = [
  { order: 'seed', label: 'seed order', title: "The 2014 seed's ForkExec, which this lab reproduces" },
  { order: 'go', label: "Go's order today", title: "Go's exec_linux.go today: ptrace last, right before execve" },
];

const setOrder = (order: StepOrder) => updateDraft((d) => ({ ...d, engine: { ...(d.engine && typeof d.engine === 'object' ? d.engine : {}), order } }));

/** One click between the seed's order and Go's (engine.order), and what moves between them. */
function OrderSwitch({ order, moved }: { order: StepOrder; moved: readonly string[] }) {
  return (
    <div className="plan-program plan-order" data-testid="plan-order">
      <span className="muted">steps in</span>
      <span className="segmented" role="group" aria-label="Step order">
        {ORDERS.map((o) => (
          <button key={o.order} type="button" className="small" aria-pressed={o.order === order} title={o.title} data-testid={`plan-order-${o.order}`} onClick={() => setOrder(o.order)}>
            {o.label}
          </button>
        ))}
      </span>
      {moved.length > 0 && (
        <span className="muted" data-testid="plan-order-moved">
          the other order moves {moved.join(', ')}
        </span>
      )}
    </div>
  );
}

export function ProfilePlan({ plan, files, order }: { plan: Plan; files: Draft['files']; order: StepOrder }) {
  const fdView = useRef<HTMLDivElement>(null);
  const moved = useMemo(() => movedSteps(plan.plan.map((op) => op.step), order), [plan.plan, order]);
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
        {plan.cgroupControllers !== undefined && (
          <p className="field-hint" data-testid="plan-cgroup-controllers">
            {plan.cgroupControllers === null
              ? 'The cgroup’s cgroup.controllers could not be read: it is not a cgroup v2 directory, or not there (the launch will fail in clone3).'
              : plan.cgroupControllers.length === 0
                ? 'This cgroup has no controllers here: it groups the child, and limits nothing.'
                : `What this cgroup can limit here: ${plan.cgroupControllers.join(', ')} (its cgroup.controllers).`}
          </p>
        )}
      </div>
      <OrderSwitch order={order} moved={moved} />
      <PlanSteps plan={plan.plan} onShowFdOps={showFdOps} moved={moved} />
      <div ref={fdView} className="profile-fds">
        <FdPlanView host={host} slotFds={plan.slotFds} plan={plan.plan} seedPlan={plan.seedPlan} />
      </div>
    </>
  );
}
