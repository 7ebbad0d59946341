// The plan panel: what the child will do, for the profile in the builder (its steps and its
// descriptor ops to step through), or for any Files list typed into the sandbox.
import { memo, useDeferredValue, useRef, type KeyboardEvent } from 'react';

import { activeSession, useEditor } from '../../stores/editor';
import { HeadingLevel } from '../Heading';
import { setPlanMode, toggleWide, usePlanUi, type PlanMode } from '../../stores/plan-ui';
import { ProfilePlan } from './ProfilePlan';
import { SandboxPanel } from './SandboxPanel';

const TABS: { mode: PlanMode; label: string; testId: string }[] = [
  { mode: 'profile', label: 'This profile', testId: 'fd-profile-tab' },
  { mode: 'sandbox', label: 'Sandbox', testId: 'fd-sandbox-tab' },
];

export function PlanView() {
  const mode = usePlanUi((s) => s.mode);
  const wide = usePlanUi((s) => s.wide);
  return (
    <section className="panel plan-panel" data-testid="plan-view" aria-labelledby="plan-heading">
      <div className="panel-head plan-head">
        <h2 id="plan-heading">Plan</h2>
        <span className="panel-sub">what the child will do, in order</span>
        <PlanTabs mode={mode} />
        <button type="button" className="small" data-testid="plan-wide" aria-pressed={wide} title={wide ? 'Give the builder its room back' : "Give the plan the builder's room too (Ctrl+Enter still launches)"} onClick={toggleWide}>
          {wide ? '⇥ Narrow' : '⇤ Wide'}
        </button>
      </div>
      <div role="tabpanel" id={`plan-tabpanel-${mode}`} aria-labelledby={`plan-tab-${mode}`}>
        <HeadingLevel level={3}>{mode === 'sandbox' ? <SandboxPanel /> : <ActiveProfilePlan />}</HeadingLevel>
      </div>
    </section>
  );
}

/** Tabs, with the arrow keys moving between them (the ARIA tabs pattern). */
function PlanTabs({ mode }: { mode: PlanMode }) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = TABS.findIndex((t) => t.mode === mode);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    setPlanMode(next.mode);
    list.current?.querySelector<HTMLElement>(`[data-testid="${next.testId}"]`)?.focus();
  };
  return (
    <div ref={list} className="plan-tabs" role="tablist" aria-label="Plan of" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.mode}
          type="button"
          role="tab"
          id={`plan-tab-${tab.mode}`}
          aria-selected={tab.mode === mode}
          aria-controls={`plan-tabpanel-${tab.mode}`}
          tabIndex={tab.mode === mode ? 0 : -1}
          className={`plan-tab${tab.mode === mode ? ' selected' : ''}`}
          data-testid={tab.testId}
          onClick={() => setPlanMode(tab.mode)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

// Drawn after what is typed: the plan of a profile with a thousand slots takes a while to
// draw, and React draws a deferred value in the background, between keystrokes (issue 17).
const DeferredProfilePlan = memo(ProfilePlan);

function ActiveProfilePlan() {
  const plan = useDeferredValue(useEditor((s) => s.plan));
  // Only what the plan shows: typing elsewhere in the builder does not render it again.
  const open = useEditor((s) => activeSession(s) !== undefined);
  const files = useDeferredValue(useEditor((s) => activeSession(s)?.draft.files));
  const order = useEditor((s) => (activeSession(s)?.draft.engine?.order === 'go' ? 'go' : 'seed'));
  if (!open) return <p className="muted">Open a profile to see its plan, or try any Files list in the sandbox.</p>;
  if (!plan) return <p className="muted">Computing the plan…</p>;
  if (!plan.ok) {
    return (
      <p className="muted" data-testid="plan-invalid">
        The plan appears once the profile has no errors ({plan.errors.length} to fix in the builder).
      </p>
    );
  }
  return <DeferredProfilePlan plan={plan.plan} files={files} order={order} />;
}
