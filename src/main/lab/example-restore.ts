// Bringing the shipped examples back without losing anyone's edits: a restore writes the
// missing examples, and overwrites a changed one only when the user chose it, as they saw
// it. It answers with what undoes it, the overwritten files' exact bytes included.
import type { ExampleOverwrite, ExamplesRestored, ExampleStatus, FileChangeOutcome, RestoreUndoStep } from '../../shared/api';
import { exampleProfiles } from './examples';
import { serializeProfile, type AppliedChange, type FileChange, type ProfileStore } from './profile-store';

export async function examplesStatus(store: ProfileStore): Promise<ExampleStatus[]> {
  const examples = exampleProfiles();
  const located = await store.locate(examples);
  return located.map((at, i) => ({ name: examples[i]!.name, ...at }));
}

export async function restoreExamples(store: ProfileStore, overwrite: readonly ExampleOverwrite[]): Promise<ExamplesRestored> {
  const examples = exampleProfiles();
  const located = await store.locate(examples);
  const changes = located.flatMap((at, i): FileChange[] => {
    const content = serializeProfile(examples[i]);
    if (at.state === 'missing') return [{ file: at.file, expected: null, content }];
    const chosen = at.state === 'changed' ? overwrite.find((o) => o.file === at.file) : undefined;
    return chosen ? [{ file: at.file, expected: chosen.revision, content }] : [];
  });
  const applied = await store.apply(changes);
  return {
    changes: applied.map(outcomeOf),
    undo: applied.flatMap((change) =>
      change.ok ? [{ file: change.file, revision: change.revision!, previousBase64: change.previous?.toString('base64') ?? null }] : [],
    ),
  };
}

export async function undoRestoreExamples(store: ProfileStore, undo: readonly RestoreUndoStep[]): Promise<FileChangeOutcome[]> {
  const applied = await store.apply(
    undo.map((step) => ({
      file: step.file,
      expected: step.revision,
      content: step.previousBase64 === null ? null : Buffer.from(step.previousBase64, 'base64'),
    })),
  );
  return applied.map(outcomeOf);
}

const outcomeOf = (change: AppliedChange): FileChangeOutcome =>
  change.ok ? { file: change.file, ok: true } : { file: change.file, ok: false, message: change.message };
