// The profiles being edited. One is active (shown in the builder); others stay here while
// they have unsaved changes, so switching profiles loses nothing. For the active one the
// store also holds the lab's live answers: validation, plan and PATH lookup, refreshed
// ~150 ms after the last keystroke.
import { create } from 'zustand';

import type { Checked, LookupView, PlanOutcome, ProfileEntry } from '@shared/api';
import type { Problem } from '@shared/problems';
import { getLabApi } from '../api';
import { canonical, draftOf, isCopyOf, toProfile, type Draft } from '../lib/draft';
import { randomUuid } from '../lib/random-uuid';

export interface Stale {
  /** save: a save was refused as stale · disk: changed on disk while edited · deleted: gone from disk */
  kind: 'save' | 'disk' | 'deleted';
  message: string;
}

export interface EditSession {
  /** The file name, or `draft:<draft id>` for a profile never saved. */
  key: string;
  file?: string;
  /** A profile never saved: its id (a UUID), which its kept draft goes by on the lab's side. */
  draftId?: string;
  baseRevision?: string;
  /** The profile as on disk (null: never saved). */
  saved: Draft | null;
  draft: Draft;
  stale: Stale | null;
  /** A new profile from the template: forgotten when left untouched (canonical form of the template). */
  pristine?: string;
  /** Kept by the lab from an earlier page or start (a reload, a closed window, a restart), and restored here. */
  restored?: boolean;
}

export interface EditorState {
  sessions: Record<string, EditSession>;
  activeKey: string | null;
  checks: Checked | null;
  plan: PlanOutcome | null;
  lookup: { program: string; view: LookupView } | null;
  /** Problems from a refused save or launch, shown until the next validation. */
  extraErrors: Problem[];
  saving: boolean;
  saveError: string | null;
}

export const useEditor = create<EditorState>()(() => ({
  sessions: {},
  activeKey: null,
  checks: null,
  plan: null,
  lookup: null,
  extraErrors: [],
  saving: false,
  saveError: null,
}));

export function isDirty(session: EditSession | undefined): boolean {
  if (!session) return false;
  if (session.saved === null) return true;
  return !isCopyOf(session.draft, session.saved) && canonical(session.draft) !== canonical(session.saved);
}

export function activeSession(state: EditorState = useEditor.getState()): EditSession | undefined {
  return state.activeKey ? state.sessions[state.activeKey] : undefined;
}

/**
 * Whether the session holds work that is not on disk: unsaved changes, except a new profile
 * from the template that was never touched. Such a session is kept while switching
 * profiles, kept by the lab as a draft, and warned about before the window goes.
 */
export function hasUnsavedWork(session: EditSession): boolean {
  return isDirty(session) && !isUntouchedTemplate(session);
}

const isUntouchedTemplate = (session: EditSession): boolean => session.pristine !== undefined && session.pristine === canonical(session.draft);

function setSessions(update: (sessions: Record<string, EditSession>) => Record<string, EditSession>, extra: Partial<EditorState> = {}): void {
  useEditor.setState((s) => ({ sessions: update({ ...s.sessions }), ...extra }));
}

/** Leaving a session: a clean one is forgotten, a dirty one kept for later. */
function leave(sessions: Record<string, EditSession>, key: string | null): void {
  const session = key ? sessions[key] : undefined;
  if (!key || !session) return;
  if ((!isDirty(session) && !session.stale) || isUntouchedTemplate(session)) delete sessions[key];
}

const fresh = { checks: null, plan: null, lookup: null, extraErrors: [], saveError: null } satisfies Partial<EditorState>;

export function openEntry(entry: ProfileEntry): void {
  if (!entry.profile) return;
  const { activeKey } = useEditor.getState();
  if (activeKey === entry.file) return;
  setSessions((sessions) => {
    leave(sessions, activeKey);
    if (!sessions[entry.file]) {
      sessions[entry.file] = {
        key: entry.file,
        file: entry.file,
        baseRevision: entry.revision,
        saved: entry.profile!,
        draft: draftOf(entry.profile!),
        stale: null,
      };
    }
    return sessions;
  }, { activeKey: entry.file, ...fresh });
}

/** Opens an unsaved profile; a `fromTemplate` one is forgotten if left untouched. */
export function openDraft(draft: Draft, fromTemplate = false): void {
  const draftId = randomUuid();
  const key = newDraftKey(draftId);
  const { activeKey } = useEditor.getState();
  setSessions((sessions) => {
    leave(sessions, activeKey);
    sessions[key] = { key, draftId, saved: null, draft, stale: null };
    if (fromTemplate) sessions[key].pristine = canonical(draft);
    return sessions;
  }, { activeKey: key, ...fresh });
}

/** The session key of a profile never saved. */
export const newDraftKey = (draftId: string): string => `draft:${draftId}`;

/**
 * Adds sessions kept from an earlier page (restored drafts), except where this page has a
 * session of its own by now; returns those added. Nothing becomes active.
 */
export function restoreSessions(restored: readonly EditSession[]): EditSession[] {
  const added = restored.filter((session) => !useEditor.getState().sessions[session.key]);
  if (added.length > 0) {
    setSessions((sessions) => {
      for (const session of added) sessions[session.key] = session;
      return sessions;
    });
  }
  return added;
}

export function activate(key: string): void {
  const { activeKey } = useEditor.getState();
  if (key === activeKey) return;
  setSessions((sessions) => {
    leave(sessions, activeKey);
    return sessions;
  }, { activeKey: key, ...fresh });
}

/** Nothing in the builder (a broken file is selected in the sidebar). */
export function deactivate(): void {
  const { activeKey } = useEditor.getState();
  if (!activeKey) return;
  setSessions((sessions) => {
    leave(sessions, activeKey);
    return sessions;
  }, { activeKey: null, ...fresh });
}

/** Drops a session (a discarded draft, a deleted file). */
export function closeSession(key: string): void {
  const { activeKey } = useEditor.getState();
  setSessions((sessions) => {
    delete sessions[key];
    return sessions;
  }, key === activeKey ? { activeKey: null, ...fresh } : {});
}

/** Edits the active draft. */
export function updateDraft(edit: (draft: Draft) => Draft): void {
  const { activeKey } = useEditor.getState();
  if (!activeKey) return;
  setSessions((sessions) => {
    const session = sessions[activeKey];
    if (session) sessions[activeKey] = { ...session, draft: edit(session.draft) };
    return sessions;
  });
}

let savesInFlight = 0;
let refreshProfiles: () => void = () => {};

/** The profiles store registers how to reload the list (it checks every session against the disk). */
export function onSaved(refresh: () => void): void {
  refreshProfiles = refresh;
}

export async function saveActive(): Promise<boolean> {
  const state = useEditor.getState();
  const session = activeSession(state);
  if (!session || state.saving) return false;
  return saveSession(session, session.baseRevision);
}

async function saveSession(session: EditSession, baseRevision: string | undefined): Promise<boolean> {
  useEditor.setState({ saving: true, saveError: null });
  savesInFlight++;
  try {
    const request: Parameters<ReturnType<typeof getLabApi>['saveProfile']>[0] = { profile: toProfile(session.draft) };
    if (session.file) request.file = session.file;
    if (baseRevision) request.baseRevision = baseRevision;
    const outcome = await getLabApi().saveProfile(request);
    if (outcome.ok) {
      const { entry } = outcome;
      setSessions((sessions) => {
        const current = sessions[session.key] ?? session;
        delete sessions[session.key];
        sessions[entry.file] = {
          key: entry.file,
          file: entry.file,
          baseRevision: entry.revision,
          saved: entry.profile ?? toProfile(session.draft),
          draft: current.draft,
          stale: null,
        };
        return sessions;
      });
      useEditor.setState((s) => (s.activeKey === session.key ? { activeKey: entry.file } : {}));
      return true;
    }
    if (outcome.reason === 'stale') {
      setStale(session.key, { kind: 'save', message: outcome.message });
    } else {
      useEditor.setState({ saveError: outcome.message, extraErrors: outcome.problems ?? [] });
    }
    return false;
  } catch (err) {
    useEditor.setState({ saveError: err instanceof Error ? err.message : String(err) });
    return false;
  } finally {
    savesInFlight--;
    useEditor.setState({ saving: false });
    // Changes seen while the save was in flight were not compared: compare now.
    refreshProfiles();
  }
}

function setStale(key: string, stale: Stale | null): void {
  setSessions((sessions) => {
    const session = sessions[key];
    if (session) sessions[key] = { ...session, stale };
    return sessions;
  });
}

/** Stale banner: throw my changes away and load what is on disk. */
export async function reloadActive(): Promise<void> {
  const session = activeSession();
  if (!session?.file) return;
  const entries = await getLabApi().listProfiles();
  const entry = entries.find((e) => e.file === session.file);
  if (!entry?.profile) {
    closeSession(session.key);
    return;
  }
  setSessions((sessions) => {
    sessions[session.key] = {
      ...session,
      baseRevision: entry.revision,
      saved: entry.profile!,
      draft: draftOf(entry.profile!),
      stale: null,
    };
    return sessions;
  }, { extraErrors: [], saveError: null });
}

/** Stale banner: keep my changes, writing them over the file as it is now. */
export async function overwriteActive(): Promise<void> {
  const session = activeSession();
  if (!session) return;
  const entries = await getLabApi().listProfiles();
  const entry = session.file ? entries.find((e) => e.file === session.file) : undefined;
  // Gone from disk: write it back as a new file.
  const target: EditSession = entry ? { ...session, stale: null } : { ...session, file: undefined, stale: null };
  if (!entry) delete target.file;
  await saveSession(target, entry?.revision);
}

/** Renamed from the sidebar: `oldFile` is now `entry` (the lab renames the file with the profile). */
export function applyRename(oldFile: string, entry: ProfileEntry): void {
  const session = useEditor.getState().sessions[oldFile];
  if (!session || !entry.profile) return;
  setSessions((sessions) => {
    delete sessions[oldFile];
    sessions[entry.file] = {
      ...session,
      key: entry.file,
      file: entry.file,
      baseRevision: entry.revision,
      saved: entry.profile!,
      draft: { ...session.draft, name: entry.profile!.name },
    };
    return sessions;
  });
  useEditor.setState((s) => (s.activeKey === oldFile ? { activeKey: entry.file } : {}));
}

/**
 * The profiles folder changed. A file edited here that changed on disk is reloaded when it
 * has no unsaved changes; with unsaved changes it gets the stale banner, never a silent
 * overwrite either way.
 */
export function syncWithDisk(entries: readonly ProfileEntry[]): void {
  if (savesInFlight > 0) return;
  const byFile = new Map(entries.map((e) => [e.file, e]));
  const { sessions, activeKey } = useEditor.getState();
  let changed = false;
  const next = { ...sessions };
  let nextActive = activeKey;
  for (const session of Object.values(sessions)) {
    if (!session.file) continue;
    const entry = byFile.get(session.file);
    const dirty = isDirty(session);
    if (!entry) {
      changed = true;
      if (dirty) {
        next[session.key] = { ...session, stale: { kind: 'deleted', message: `${session.file} was deleted on disk.` } };
      } else {
        delete next[session.key];
        if (nextActive === session.key) nextActive = null;
      }
      continue;
    }
    if (entry.revision === session.baseRevision) continue;
    changed = true;
    if (dirty) {
      if (session.stale?.kind !== 'disk') {
        next[session.key] = { ...session, stale: { kind: 'disk', message: `${session.file} changed on disk while you were editing it.` } };
      }
    } else if (entry.profile) {
      next[session.key] = { ...session, baseRevision: entry.revision, saved: entry.profile, draft: draftOf(entry.profile), stale: null };
    } else {
      delete next[session.key];
      if (nextActive === session.key) nextActive = null;
    }
  }
  if (changed) useEditor.setState(nextActive === activeKey ? { sessions: next } : { sessions: next, activeKey: nextActive, ...fresh });
}

// Live checks of the active draft: validate, plan and the PATH lookup, debounced, the
// answers of an older draft never overwriting a newer one's.
const DEBOUNCE_MS = 150;
let timer: ReturnType<typeof setTimeout> | null = null;
let generation = 0;

function scheduleChecks(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(runChecks, DEBOUNCE_MS);
}

/** `previous` when `next` says the same (compared as JSON), else `next`. */
function sameAnswer<T>(previous: T | null | undefined, next: T): T {
  return previous != null && JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

async function runChecks(): Promise<void> {
  timer = null;
  const session = activeSession();
  const mine = ++generation;
  if (!session) return;
  const api = getLabApi();
  const profile = toProfile(session.draft);
  const key = session.key;
  const current = () => mine === generation && useEditor.getState().activeKey === key;
  const program = typeof profile.path === 'string' ? profile.path : '';
  const env = Array.isArray(profile.env) ? profile.env.filter((e): e is string => typeof e === 'string') : [];
  const inheritEnv = profile.inheritEnv === true;
  try {
    const [checks, plan] = await Promise.all([api.validate(profile), api.plan(profile)]);
    // An answer equal to the one shown keeps its object: the views it feeds (a plan of
    // thousands of ops) are not drawn again for an edit that changed nothing there.
    const shown = useEditor.getState();
    if (current()) useEditor.setState({ checks: sameAnswer(shown.checks, checks), plan: sameAnswer(shown.plan, plan), extraErrors: [] });
  } catch {
    // Not connected: the banner says so; the next edit or reconnect tries again.
  }
  try {
    const chroot = typeof profile.sys?.chroot === 'string' ? profile.sys.chroot : '';
    const view = program === '' ? null : await api.lookPath(program, env, inheritEnv, chroot);
    if (current()) useEditor.setState({ lookup: view && { program, view } });
  } catch {
    if (current()) useEditor.setState({ lookup: null });
  }
}

/** Checks the active draft again now (after a reconnect, or a profiles change). */
export function recheck(): void {
  scheduleChecks();
}

useEditor.subscribe((state, prev) => {
  const a = activeSession(state);
  const b = activeSession(prev);
  if (state.activeKey !== prev.activeKey || a?.draft !== b?.draft) scheduleChecks();
});
