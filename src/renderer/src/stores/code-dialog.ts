// "As code…" (issue 15): the profile in the builder as a program in each language the lab
// exports, what each cannot express, and Verify: the lab builds and runs the export with the
// probe in the program's place and compares what that child got with its own launch. And,
// beside the languages, the profile as `proclab exec` takes it.
import { create } from 'zustand';

import type { ExecPreview, ExportOutcome, VerifyExportOutcome } from '@shared/api';
import type { ExportLang } from '@shared/export/index';
import { getLabApi } from '../api';
import { toProfile } from '../lib/draft';
import { activeSession } from './editor';

export type CodeTab = ExportLang | 'exec';

interface CodeDialogState {
  open: boolean;
  tab: CodeTab;
  /** The profile as it was when the dialog opened (edits after it need a reopen). */
  profile: unknown;
  exported: Partial<Record<ExportLang, ExportOutcome>>;
  exec: ExecPreview | null;
  verifying: ExportLang | null;
  verified: Partial<Record<ExportLang, VerifyExportOutcome | { ok: false; message: string }>>;
  error: string | null;
}

export const useCodeDialog = create<CodeDialogState>()(() => ({ open: false, tab: 'go', profile: null, exported: {}, exec: null, verifying: null, verified: {}, error: null }));

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function openCodeDialog(): void {
  const session = activeSession();
  if (!session) return;
  useCodeDialog.setState({ open: true, profile: toProfile(session.draft), exported: {}, exec: null, verified: {}, error: null });
  void showTab(useCodeDialog.getState().tab);
}

export function closeCodeDialog(): void {
  useCodeDialog.setState({ open: false });
}

export async function showTab(tab: CodeTab): Promise<void> {
  useCodeDialog.setState({ tab, error: null });
  const { profile, exported, exec } = useCodeDialog.getState();
  try {
    if (tab === 'exec') {
      if (!exec) useCodeDialog.setState({ exec: await getLabApi().execPreview(profile) });
    } else if (!exported[tab]) {
      const outcome = await getLabApi().exportCode(profile, tab);
      useCodeDialog.setState((s) => ({ exported: { ...s.exported, [tab]: outcome } }));
    }
  } catch (err) {
    useCodeDialog.setState({ error: message(err) });
  }
}

/** Builds and runs the export (a first Go build takes a while); the answer stays with its language. */
export async function verify(lang: ExportLang): Promise<void> {
  useCodeDialog.setState({ verifying: lang });
  try {
    const outcome = await getLabApi().verifyExport(useCodeDialog.getState().profile, lang);
    useCodeDialog.setState((s) => ({ verified: { ...s.verified, [lang]: outcome } }));
  } catch (err) {
    useCodeDialog.setState((s) => ({ verified: { ...s.verified, [lang]: { ok: false, message: message(err) } } }));
  } finally {
    useCodeDialog.setState({ verifying: null });
  }
}
