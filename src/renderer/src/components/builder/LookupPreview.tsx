// Beside the program's path: where it resolves, in which PATH (the launch environment's, or
// the lab's own when that has none: golang/go#53996), what was passed over and why, and under
// chroot whether the path found exists inside the new root, where execve will look; for a
// script, the interpreter its #! line names and whether that exists.
import type { LookupView } from '@shared/api';

export function LookupPreview({ program, view }: { program: string; view: LookupView | undefined }) {
  if (!view) return <span className="lookup lookup-pending" data-testid="path-lookup">looking up…</span>;
  const { path, search, inRoot, interpreter } = view;
  const missingInRoot = inRoot && !inRoot.exists;
  return (
    <>
      {path === null ? (
        <span className="lookup lookup-missing" data-testid="path-lookup">
          {program.includes('/') ? 'not found' : 'not found in PATH'}
        </span>
      ) : missingInRoot ? (
        <span className="lookup lookup-missing" data-testid="path-lookup">
          → <code>{path}</code> in the lab, but not inside <code>{inRoot.root}</code>, where execve looks
        </span>
      ) : (
        <span className="lookup lookup-ok" data-testid="path-lookup">
          → <code>{path}</code>
          {inRoot && <> inside <code>{inRoot.root}</code></>}
        </span>
      )}
      {interpreter && (
        <span className={`lookup ${interpreter.exists ? 'lookup-ok' : 'lookup-missing'}`} data-testid="path-interpreter">
          a script for <code>{interpreter.path}</code>
          {interpreter.crlf ? ', but its #! line ends in \r (Windows line ends): the kernel looks for a name with \r' : interpreter.exists ? '' : `, which does not exist${inRoot ? ' inside the root' : ''}`}
        </span>
      )}
      {search && (
        <details className="lookup-search" data-testid="path-search">
          <summary>
            {search.from === 'launch' ? 'in the launch environment’s PATH' : 'in the lab’s own PATH (the launch environment has none)'}
            {search.skipped.length > 0 && `, ${search.skipped.length} passed over`}
          </summary>
          <p className="mono break">PATH={search.value}</p>
          {search.skipped.length > 0 && (
            <ul className="mono">
              {search.skipped.map((s) => (
                <li key={s.path}>
                  {s.path}: {s.why}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </>
  );
}
