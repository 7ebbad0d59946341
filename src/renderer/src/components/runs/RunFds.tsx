// A run's descriptors: the plan's descriptor ops with what the child's trace says of each
// (✓, or ✗ and its errno), and the table the child really got beside the predicted one.
import { useMemo } from 'react';

import { compareFdTables } from '@shared/fd-compare';
import { profileSources, sourceIdentities } from '@shared/fd-sources';
import { alignTrace } from '@shared/fd-trace';
import { hostTable } from '@shared/fd-view';
import type { LaunchedRun } from '@shared/api';
import type { LaunchFds } from '@shared/result';
import type { RunView as Run } from '../../stores/runs';
import { ObservedTable } from '../fd/ObservedTable';
import { ReplayingOps } from '../fd/ReplayingOps';
import { HeadingLevel } from '../Heading';
import { useWalkModel } from '../fd/useWalkModel';
import { WalkView } from '../fd/WalkView';

/** Under the run's <h3>: its headings are <h4>. */
export function RunFds({ run }: { run: Run }) {
  return (
    <HeadingLevel level={4}>
      <RunDescriptors run={run} />
    </HeadingLevel>
  );
}

function RunDescriptors({ run }: { run: Run }) {
  // The clone's part of the result is known at once: no need to wait for the end.
  const result = run.result ?? run.launched;
  if (!result) {
    return (
      <section className="run-fds" aria-label="Descriptors">
        <ObservedTable rows={null} observed={run.observed} launchedAt={run.launchedAt} waiting="The comparison with the plan comes once the child is cloned." />
      </section>
    );
  }
  if (!result.fds) {
    return (
      <section className="run-fds" aria-label="Descriptors">
        <p className="muted">No child was created, so no descriptors were handed over.</p>
      </section>
    );
  }
  return <LaunchedFds run={run} result={result} fds={result.fds} />;
}

function LaunchedFds({ run, result, fds }: { run: Run; result: LaunchedRun; fds: LaunchFds }) {
  const host = useMemo(() => hostTable(fds.slotFds, fds.statusFd, profileSources(run.profile.files)), [fds, run.profile.files]);
  const model = useWalkModel(result.plan, host, fds.slotFds);
  const trace = useMemo(() => alignTrace(result.plan, result.trace), [result.plan, result.trace]);
  const observed = run.observed;
  const atExec = model?.walk.atExec;
  const rows = useMemo(
    () => (atExec && observed && !observed.error ? compareFdTables(atExec, sourceIdentities(host, fds), observed.fds, observed.source) : null),
    [observed, atExec, host, fds],
  );
  if (!model) {
    return (
      <section className="run-fds" aria-label="Descriptors">
        <ReplayingOps count={result.plan.length} />
      </section>
    );
  }
  return (
    <section className="run-fds fd-plan" aria-label="Descriptors" data-testid="fd-view">
      <WalkView
        model={model}
        title="Descriptors: the plan, and what the child did"
        testId="fd-walk"
        trace={trace}
        showExecTable={false}
        note={<span className="muted">each op with its outcome in the child’s trace</span>}
      />
      <ObservedTable rows={rows} observed={observed} launchedAt={run.launchedAt} />
    </section>
  );
}
