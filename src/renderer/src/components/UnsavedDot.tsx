// The marker of unsaved changes: a dot, and words for screen readers.
export function UnsavedDot({ className, testId }: { className: string; testId: string }) {
  return (
    <span className={className} data-testid={testId} title="Unsaved changes">
      <span aria-hidden="true">●</span>
      <span className="sr-only">unsaved changes</span>
    </span>
  );
}
