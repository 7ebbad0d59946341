// Shown while a long plan is replayed for the first time, a slice at a time (useWalkModel.ts).
export function ReplayingOps({ count }: { count: number }) {
  return (
    <p className="muted" role="status" data-testid="fd-replaying">
      Replaying the plan’s {count} steps…
    </p>
  );
}
