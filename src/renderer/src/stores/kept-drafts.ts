// The builder's unsaved work, kept on the lab's side (LabApi.saveDraft) a moment after each
// edit, so that a reload, a closed window or a restart loses nothing; restored, marked as
// such, when the page loads. Never in the page's own storage: see src/main/lab/draft-store.ts.
//
// Each window writes and discards only the drafts it has written or restored itself: two
// windows editing the same profile share its draft (the last write wins), and neither ever
// touches the other's unrelated drafts.
import { create } from 'zustand';

import type { DraftKey, KeptDraft, KeptDraftEntry } from '@shared/api';
import { getLabApi } from '../api';
import type { Draft } from '../lib/draft';
import { activate, hasUnsavedWork, newDraftKey, restoreSessions, syncWithDisk, useEditor, type EditSession } from './editor';
import { refreshProfiles, useProfiles } from './profiles';
import { showToast } from './toasts';

/** How long after the last edit a draft is written. */
const KEEP_AFTER_MS = 400;

interface KeptDraftsState {
  /** Draft files the lab could not read (listed with why), until dismissed. */
  unreadable: KeptDraftEntry[];
}

export const useKeptDrafts = create<KeptDraftsState>()(() => ({ unreadable: [] }));

// By session key: the drafts this window has on the lab's side, the draft last sent for
// each (an unchanged one is not sent again), and the writes waiting for the typing to stop.
const kept = new Map<string, DraftKey>();
const sent = new Map<string, Draft>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
let lastFailure: string | null = null;

function draftKeyOf(session: EditSession): DraftKey | null {
  if (session.file !== undefined) return { file: session.file };
  return session.draftId !== undefined ? { draftId: session.draftId } : null;
}

/** Keeps the session's draft now, or forgets it when nothing in it is unsaved (any more). */
function keepNow(key: string): void {
  clearTimeout(timers.get(key));
  timers.delete(key);
  const session = useEditor.getState().sessions[key];
  const draftKey = session && hasUnsavedWork(session) ? draftKeyOf(session) : null;
  if (!session || !draftKey) {
    forget(key);
    return;
  }
  sent.set(key, session.draft);
  kept.set(key, draftKey);
  const request = { key: draftKey, profile: session.draft, ...(session.baseRevision !== undefined && { baseRevision: session.baseRevision }) };
  getLabApi()
    .saveDraft(request)
    .then((outcome) => {
      if (outcome.ok) lastFailure = null;
      else reportFailure(outcome.message ?? outcome.code ?? 'refused');
    })
    .catch((err: unknown) => reportFailure(err instanceof Error ? err.message : String(err)));
}

function forget(key: string): void {
  clearTimeout(timers.get(key));
  timers.delete(key);
  sent.delete(key);
  const draftKey = kept.get(key);
  kept.delete(key);
  // A discard that fails leaves the draft with the lab: restored on the next load, it can be discarded then.
  if (draftKey) void getLabApi().discardDraft(draftKey).catch(() => {});
}

// Said once until a write succeeds again: every keystroke would otherwise say it anew.
function reportFailure(message: string): void {
  if (message === lastFailure) return;
  lastFailure = message;
  showToast(`The lab could not keep your unsaved changes as a draft: ${message}`, { kind: 'error', ms: 10_000 });
}

// Cheap on every keystroke: whether a session has unsaved work (a canonical form of the
// whole profile, thousands of env rows perhaps) is asked once the typing stops.
function onSessionsChanged(sessions: Record<string, EditSession>, previous: Record<string, EditSession>): void {
  for (const [key, session] of Object.entries(sessions)) {
    if (session === previous[key] || sent.get(key) === session.draft) continue;
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => keepNow(key), KEEP_AFTER_MS));
  }
  // Saved under its file's name, discarded, renamed, or a deleted file's closed: nothing to keep.
  for (const key of new Set([...kept.keys(), ...timers.keys()])) if (!sessions[key]) forget(key);
}

/** Writes every unsaved edit of this window now (the page is going: no time to wait for the typing to stop). */
export function keepAllNow(): void {
  for (const session of Object.values(useEditor.getState().sessions)) if (hasUnsavedWork(session)) keepNow(session.key);
}

// A kept draft as a session of the builder, beside the profile on disk it edits (if any).
function sessionOf(draft: KeptDraft): EditSession {
  const base = { draft: draft.profile as Draft, stale: null, restored: true };
  if ('draftId' in draft.key) return { ...base, key: newDraftKey(draft.key.draftId), draftId: draft.key.draftId, saved: null };
  const { file } = draft.key;
  const entry = useProfiles.getState().entries.find((e) => e.file === file);
  return { ...base, key: file, file, saved: entry?.profile ?? null, ...(draft.baseRevision !== undefined && { baseRevision: draft.baseRevision }) };
}

/** Restores the drafts the lab kept, once the profiles are listed; the newest opens when nothing else is open. */
async function restore(): Promise<void> {
  let entries: KeptDraftEntry[];
  try {
    await refreshProfiles();
    entries = await getLabApi().listDrafts();
  } catch (err) {
    showToast(`Could not read the kept drafts: ${err instanceof Error ? err.message : String(err)}`, { kind: 'error' });
    return;
  }
  useKeptDrafts.setState({ unreadable: entries.filter((entry) => entry.error !== undefined) });
  const candidates: EditSession[] = [];
  for (const { draft } of entries) {
    if (!draft) continue;
    const session = sessionOf(draft);
    if (!hasUnsavedWork(session)) {
      void getLabApi().discardDraft(draft.key).catch(() => {}); // the same as on disk by now
      continue;
    }
    // Known before the sessions appear, so that they are not written straight back.
    kept.set(session.key, draft.key);
    sent.set(session.key, session.draft);
    candidates.push(session);
  }
  const added = restoreSessions(candidates);
  // Opened here meanwhile: this page's own edit is kept in its place (or the draft goes, when there is none).
  for (const session of candidates) if (!added.includes(session)) keepNow(session.key);
  // A file changed or deleted on disk since its draft was made gets the stale banner.
  syncWithDisk(useProfiles.getState().entries);
  if (added[0] && useEditor.getState().activeKey === null) activate(added[0].key);
}

let started = false;

/** Restores the kept drafts and keeps every edit from then on. */
export function startKeepingDrafts(): void {
  if (started) return;
  started = true;
  useEditor.subscribe((state, prev) => {
    if (state.sessions !== prev.sessions) onSessionsChanged(state.sessions, prev.sessions);
  });
  void restore();
}
