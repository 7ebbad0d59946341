// The plan: the steps the child will run, as the engine computed them, updated live.
import { STEP_DESCRIPTIONS, type StepName } from '../../../../shared/steps';
import type { PlanOp } from '../../../../shared/result';
import { activeSession, useEditor } from '../../stores/editor';

function slotLabel(slot: number | undefined): string | null {
  if (slot === undefined) return null;
  if (slot === -1 || slot === -2) return 'status pipe';
  return `fd ${slot}`;
}

function describe(step: StepName | string): string | undefined {
  return (STEP_DESCRIPTIONS as Record<string, string>)[step];
}

function PlanStep({ op, index, showDescription, testId }: { op: PlanOp; index: number; showDescription: boolean; testId: string }) {
  const description = describe(op.step);
  const slot = slotLabel(op.slot);
  const clobbers = op.clobbers ?? [];
  return (
    <li
      className={`plan-step step-${op.step}${clobbers.length ? ' clobbers' : ''}`}
      data-testid={testId}
      data-step={op.step}
      data-clobbers={clobbers.length ? clobbers.join(',') : undefined}
      title={description}
    >
      <span className="step-index mono">{index + 1}</span>
      <div className="step-body">
        <div className="step-line">
          <span className="step-name">{op.step}</span>
          <code className="step-call">{op.call}</code>
          {op.pass !== undefined && <span className="tag">pass {op.pass}</span>}
          {slot && <span className="tag">{slot}</span>}
        </div>
        {clobbers.length > 0 && (
          <div className="clobber-note" role="note">
            ✗ destroys the source of {clobbers.map((c) => (c === -2 ? 'the status pipe' : `fd ${c}`)).join(', ')} before it is used
          </div>
        )}
        {showDescription && description && <div className="step-desc">{description}</div>}
      </div>
    </li>
  );
}

/** Descriptions once per run of the same step (fd ops come in a row). */
function withDescriptions(plan: PlanOp[]): boolean[] {
  return plan.map((op, i) => i === 0 || plan[i - 1]!.step !== op.step);
}

export function PlanView() {
  const plan = useEditor((s) => s.plan);
  const session = useEditor(activeSession);
  if (!session) return null;
  return (
    <section className="panel plan-panel" data-testid="plan-view" aria-labelledby="plan-heading">
      <div className="panel-head">
        <h2 id="plan-heading">Plan</h2>
        <span className="panel-sub">what the child will do, in order</span>
      </div>
      {!plan && <p className="muted">Computing the plan…</p>}
      {plan && !plan.ok && (
        <p className="muted" data-testid="plan-invalid">
          The plan appears once the profile has no errors ({plan.errors.length} to fix in the builder).
        </p>
      )}
      {plan?.ok && (
        <>
          <div className="plan-program">
            <span className="muted">program</span>{' '}
            {plan.plan.path ? <code>{plan.plan.path}</code> : <span className="error-text">not found in PATH: the launch will fail at lookup</span>}
          </div>
          <ol className="plan-steps">
            {plan.plan.plan.map((op, i) => (
              <PlanStep key={i} op={op} index={i} showDescription={withDescriptions(plan.plan.plan)[i]!} testId="plan-step" />
            ))}
          </ol>
          <HostFds slotFds={plan.plan.slotFds} statusFd={plan.plan.statusFd} />
          {plan.plan.seedPlan && <SeedPlan plan={plan.plan.seedPlan} />}
        </>
      )}
    </section>
  );
}

function HostFds({ slotFds, statusFd }: { slotFds: number[]; statusFd: number }) {
  return (
    <details className="host-fds" data-testid="plan-host-fds">
      <summary>
        Predicted host descriptors <span className="muted">(in the lab, before the child moves them)</span>
      </summary>
      <table className="grid-table compact">
        <thead>
          <tr>
            <th scope="col">child fd</th>
            <th scope="col">comes from host fd</th>
          </tr>
        </thead>
        <tbody>
          {slotFds.map((fd, slot) => (
            <tr key={slot}>
              <td className="mono">{slot}</td>
              <td className="mono">{fd < 0 ? <span className="muted">closed</span> : fd}</td>
            </tr>
          ))}
          <tr>
            <td className="muted">status pipe</td>
            <td className="mono">{statusFd}</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}

function SeedPlan({ plan }: { plan: PlanOp[] }) {
  return (
    <section className="seed-plan" data-testid="seed-plan" aria-labelledby="seed-plan-heading">
      <h3 id="seed-plan-heading">The seed’s own plan would break here</h3>
      <p>
        Go’s ForkExec takes pass 1’s fresh descriptors starting at len(files), so it can overwrite a source that a later
        slot still needs. That is the bug reported as <cite>golang/go#61751</cite> (seen from the user’s side in <cite>golang/go#37857</cite>).
        The lab takes them above every source instead; this is what the seed would have done:
      </p>
      <ol className="plan-steps">
        {plan.map((op, i) => (
          <PlanStep key={i} op={op} index={i} showDescription={false} testId="seed-plan-step" />
        ))}
      </ol>
    </section>
  );
}
