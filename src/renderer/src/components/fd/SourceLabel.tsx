// What a descriptor refers to, in words, marked by kind (pipe, file, /dev/null, pty, the
// lab's own fd, the status pipe).
import type { FdSource } from '@shared/fd-view';

export function SourceLabel({ source }: { source: FdSource }) {
  return (
    <span className={`fd-source kind-${source.kind}`} title={source.label}>
      <span className="fd-kind" aria-hidden="true" />
      {source.label}
    </span>
  );
}
