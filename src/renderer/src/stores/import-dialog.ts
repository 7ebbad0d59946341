// The Import dialog (issue 15): a launch brought in as a new unsaved profile, from a JSON
// file (profiles.ts importFile), a shell command line, or a running process picked from the
// ones this user may read. What could not be carried over is shown as the lab's warnings,
// and the profile opens in the builder, where it can be checked and saved.
import { create } from 'zustand';

import type { ImportResult, ProcessEntry } from '@shared/import';
import { getLabApi } from '../api';
import { uniqueName, type Draft } from '../lib/draft';
import { openDraft } from './editor';
import { takenNames } from './profiles';

export type ImportSource = 'file' | 'shell' | 'process';

interface ImportDialogState {
  open: boolean;
  source: ImportSource;
  line: string;
  processes: ProcessEntry[] | null;
  filter: string;
  busy: boolean;
  error: string | null;
  /** What the last import could not carry over, for the profile it opened. */
  imported: { name: string; warnings: string[] } | null;
}

const closed = { open: false, busy: false, error: null, imported: null } as const;

export const useImportDialog = create<ImportDialogState>()(() => ({ ...closed, source: 'shell', line: '', processes: null, filter: '' }));

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function openImportDialog(): void {
  useImportDialog.setState({ ...closed, open: true });
}

export function closeImportDialog(): void {
  useImportDialog.setState({ open: false });
}

export function chooseSource(source: ImportSource): void {
  useImportDialog.setState({ source, error: null, imported: null });
  if (source === 'process') void refreshProcesses();
}

export async function refreshProcesses(): Promise<void> {
  try {
    useImportDialog.setState({ processes: await getLabApi().listProcesses(), error: null });
  } catch (err) {
    useImportDialog.setState({ error: `The processes cannot be listed: ${message(err)}` });
  }
}

/** Of a command line, as much as a profile's name shows. */
const NAME_CHARS = 48;

/** Opens the imported profile in the builder as a new one, named after where it came from. */
function open(result: ImportResult, from: string): void {
  const short = from.length > NAME_CHARS ? `${from.slice(0, NAME_CHARS - 1)}…` : from;
  const name = uniqueName(`imported: ${short}`, takenNames());
  openDraft({ ...(result.profile as Draft), name });
  useImportDialog.setState({ imported: { name, warnings: result.warnings } });
}

export async function importLine(): Promise<void> {
  const { line } = useImportDialog.getState();
  if (line.trim() === '') {
    useImportDialog.setState({ error: 'Paste a command line first.' });
    return;
  }
  useImportDialog.setState({ busy: true, error: null });
  try {
    open(await getLabApi().importShell(line), line.trim());
  } catch (err) {
    useImportDialog.setState({ error: message(err) });
  } finally {
    useImportDialog.setState({ busy: false });
  }
}

export async function importPid(entry: ProcessEntry): Promise<void> {
  useImportDialog.setState({ busy: true, error: null });
  try {
    const outcome = await getLabApi().importProcess(entry.pid);
    if (!outcome.ok) useImportDialog.setState({ error: outcome.message });
    else open(outcome, `pid ${entry.pid} ${entry.command}`);
  } catch (err) {
    useImportDialog.setState({ error: message(err) });
  } finally {
    useImportDialog.setState({ busy: false });
  }
}
