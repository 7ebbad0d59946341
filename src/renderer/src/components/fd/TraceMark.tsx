// What the child's trace says of one op: ✓, ✗ with its errno, or that it never ran.
import type { TraceEntry } from '@shared/result';

export function TraceMark({ entry }: { entry: TraceEntry | null }) {
  if (!entry) {
    return (
      <span className="fd-trace not-run" data-testid="fd-op-trace" data-ok="none" title="The child never ran this op">
        not run
      </span>
    );
  }
  if (entry.ok) {
    return (
      <span className="fd-trace ok" data-testid="fd-op-trace" data-ok="true" title="The child ran it and it succeeded" aria-label="succeeded">
        ✓
      </span>
    );
  }
  return (
    <span className="fd-trace failed" data-testid="fd-op-trace" data-ok="false" title={entry.ignored ? 'It failed; the step goes on regardless' : 'It failed: the child stopped here'}>
      ✗ <code className="errno-code small">{entry.code ?? `errno ${entry.errno}`}</code>
      {entry.ignored && ' ignored'}
    </span>
  );
}
