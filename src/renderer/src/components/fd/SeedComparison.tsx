// Seed versus corrected: Go's own pass 1 takes its fresh descriptors from len(files) up and
// can overwrite a source a later slot still needs (golang/go#61751, seen from the user's side
// as golang/go#37857); the lab takes them above every source. Both walks side by side (one
// above the other when the panel is narrow), the seed's destroying op and wrong table marked.
import { destroyingSteps } from '@shared/fd-walk-display';
import type { WalkModel } from './useWalkModel';
import { WalkView } from './WalkView';

export function SeedComparison({ seed, corrected }: { seed: WalkModel; corrected: WalkModel }) {
  const lost = seed.walk.steps[destroyingSteps(seed.walk)[0]!]!;
  return (
    <div className="fd-plan fd-comparison" data-testid="fd-view">
      <div className="seed-warning" role="note">
        <strong>Go’s own algorithm would get this wrong.</strong> Its pass 1 takes fresh descriptors from len(files) up, so{' '}
        <code>{lost.op.call}</code> overwrites {lost.destroys.map((d) => d.source.label).join(' and ')} before{' '}
        {lost.destroys.some((d) => d.neededBy.includes(-2)) ? 'the child reports through it' : 'a later slot reads it'}: <cite>golang/go#61751</cite>, the
        bug behind what users saw as <cite>golang/go#37857</cite> (a descriptor lost or swapped). The lab takes them above every source
        instead.
      </div>
      <div className="fd-side-by-side">
        <WalkView
          model={seed}
          title="The seed’s plan"
          testId="seed-walk"
          note={<span className="muted">pass 1 from len(files), as Go’s forkAndExecInChild</span>}
        />
        <WalkView
          model={corrected}
          title="The corrected plan"
          testId="corrected-walk"
          note={<span className="muted">pass 1 above every source: what the lab runs</span>}
        />
      </div>
    </div>
  );
}
