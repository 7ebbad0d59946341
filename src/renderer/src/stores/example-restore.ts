// "Restore examples", asked first: the dialog lists each shipped example as missing, as
// shipped or changed; the restore writes the missing ones and the changed ones the user
// ticked, and its toast offers an undo that puts back exactly what it overwrote.
import { create } from 'zustand';

import type { ExampleStatus, FileChangeOutcome, RestoreUndoStep } from '@shared/api';
import { getLabApi } from '../api';
import { refreshProfiles, UNDO_MS } from './profiles';
import { showToast } from './toasts';

interface ExampleRestoreState {
  /** The examples as listed when the dialog opened; null: the dialog is closed. */
  examples: ExampleStatus[] | null;
  /** The changed examples ticked to be overwritten, by file. */
  overwrite: string[];
  /** Listing, restoring or undoing: one at a time. */
  busy: boolean;
}

export const useExampleRestore = create<ExampleRestoreState>()(() => ({ examples: null, overwrite: [], busy: false }));

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Lists the examples and opens the dialog: nothing is written yet. */
export async function openRestoreDialog(): Promise<void> {
  useExampleRestore.setState({ busy: true });
  try {
    const examples = await getLabApi().examplesStatus();
    useExampleRestore.setState({ examples, overwrite: [] });
  } catch (err) {
    showToast(`Could not list the examples: ${errorText(err)}`, { kind: 'error' });
  } finally {
    useExampleRestore.setState({ busy: false });
  }
}

export function closeRestoreDialog(): void {
  useExampleRestore.setState({ examples: null, overwrite: [] });
}

export function setOverwrite(file: string, on: boolean): void {
  useExampleRestore.setState((s) => ({ overwrite: on ? [...s.overwrite, file] : s.overwrite.filter((f) => f !== file) }));
}

/** What the restore will write: every missing example, and the changed ones ticked. */
export function toWrite(examples: readonly ExampleStatus[], overwrite: readonly string[]): ExampleStatus[] {
  return examples.filter((e) => e.state === 'missing' || (e.state === 'changed' && overwrite.includes(e.file)));
}

export async function confirmRestore(): Promise<void> {
  const { examples, overwrite } = useExampleRestore.getState();
  if (!examples) return;
  const chosen = toWrite(examples, overwrite).filter((e) => e.state === 'changed');
  useExampleRestore.setState({ busy: true });
  try {
    const restored = await getLabApi().restoreExamples(chosen.map((e) => ({ file: e.file, revision: e.revision! })));
    closeRestoreDialog();
    const written = restored.changes.filter((c) => c.ok).length;
    const failures = failureText(restored.changes);
    const text = `Restored ${written} example profile${written === 1 ? '' : 's'}.${failures}`;
    if (restored.undo.length > 0) {
      showToast(text, {
        kind: failures ? 'error' : 'info',
        ms: UNDO_MS,
        action: { label: 'Undo', testId: 'undo-restore-examples', run: () => void undoRestore(restored.undo) },
      });
    } else {
      showToast(text, { kind: failures ? 'error' : 'info' });
    }
    await refreshProfiles();
  } catch (err) {
    showToast(`Could not restore the examples: ${errorText(err)}`, { kind: 'error' });
  } finally {
    useExampleRestore.setState({ busy: false });
  }
}

async function undoRestore(undo: RestoreUndoStep[]): Promise<void> {
  useExampleRestore.setState({ busy: true });
  try {
    const undone = await getLabApi().undoRestoreExamples(undo);
    const failures = failureText(undone);
    showToast(failures ? `Undid part of the restore.${failures}` : 'Undid the restore: the example files are as they were.', {
      kind: failures ? 'error' : 'info',
    });
    await refreshProfiles();
  } catch (err) {
    showToast(`Could not undo the restore: ${errorText(err)}`, { kind: 'error' });
  } finally {
    useExampleRestore.setState({ busy: false });
  }
}

// " Not changed: a.json (why); b.json (why)", or "" when every change was made.
function failureText(changes: readonly FileChangeOutcome[]): string {
  const failed = changes.flatMap((c) => (c.ok ? [] : [`${c.file} (${c.message})`]));
  return failed.length > 0 ? ` Not changed: ${failed.join('; ')}` : '';
}
