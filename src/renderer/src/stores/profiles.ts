// The profiles folder as the lab lists it: valid profiles and files that failed to parse.
import { create } from 'zustand';

import type { ProfileEntry } from '@shared/api';
import { downloadText } from '../lib/download';
import { getLabApi } from '../api';
import { toProfile, uniqueName, type Draft } from '../lib/draft';
import { activeSession, applyRename, closeSession, deactivate, onSaved, openDraft, openEntry, syncWithDisk, useEditor } from './editor';
import { showToast } from './toasts';

export interface ProfilesState {
  entries: ProfileEntry[];
  loaded: boolean;
  loadError: string | null;
  search: string;
  /** The file the sidebar's actions apply to. */
  selectedFile: string | null;
  renaming: boolean;
  renameError: string | null;
  importErrors: { fileName: string; messages: string[] } | null;
}

export const useProfiles = create<ProfilesState>()(() => ({
  entries: [],
  loaded: false,
  loadError: null,
  search: '',
  selectedFile: null,
  renaming: false,
  renameError: null,
  importErrors: null,
}));

const api = () => getLabApi();
let refreshing: Promise<void> | null = null;
let again = false;

/** Reloads the list (coalesced: one request at a time, one more if asked meanwhile). */
export function refreshProfiles(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      do {
        again = false;
        const entries = await api().listProfiles();
        entries.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
        useProfiles.setState((s) => ({
          entries,
          loaded: true,
          loadError: null,
          selectedFile: s.selectedFile && entries.some((e) => e.file === s.selectedFile) ? s.selectedFile : null,
        }));
        syncWithDisk(entries);
      } while (again);
    } catch (err) {
      useProfiles.setState({ loadError: err instanceof Error ? err.message : String(err) });
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export function nameOf(entry: ProfileEntry): string {
  return entry.profile?.name ?? entry.file;
}

export function entryByFile(file: string | null): ProfileEntry | undefined {
  return file ? useProfiles.getState().entries.find((e) => e.file === file) : undefined;
}

export function selectEntry(entry: ProfileEntry): void {
  useProfiles.setState({ selectedFile: entry.file, renaming: false, renameError: null });
  if (entry.profile) openEntry(entry);
  else deactivate();
}

/** Throws a session's unsaved work away: a new profile goes, a saved one shows its file as it is on disk. */
export function discardSession(key: string): void {
  const { sessions, activeKey } = useEditor.getState();
  const entry = entryByFile(sessions[key]?.file ?? null);
  closeSession(key);
  if (key === activeKey && entry) selectEntry(entry);
}

export function takenNames(): string[] {
  const names = useProfiles.getState().entries.flatMap((e) => (e.profile ? [e.profile.name] : []));
  for (const s of Object.values(useEditor.getState().sessions)) if (typeof s.draft.name === 'string') names.push(s.draft.name);
  return names;
}

export function newProfileDraft(template: (name: string) => Draft): void {
  useProfiles.setState({ selectedFile: null, renaming: false });
  openDraft(template(uniqueName('new profile', takenNames())), true);
}

/** An unsaved copy of the selected profile (as edited, when it is the one in the builder). */
export function duplicateSelected(): void {
  const entry = entryByFile(useProfiles.getState().selectedFile);
  if (!entry?.profile) return;
  const session = useEditor.getState().sessions[entry.file];
  const source = session ? toProfile(session.draft) : entry.profile;
  const copy = structuredClone(source);
  copy.name = uniqueName(`${typeof source.name === 'string' ? source.name : 'profile'} copy`, takenNames());
  useProfiles.setState({ selectedFile: null, renaming: false });
  openDraft(copy);
}

export async function renameSelected(name: string): Promise<boolean> {
  const entry = entryByFile(useProfiles.getState().selectedFile);
  if (!entry?.profile) return false;
  if (name.trim() === '') {
    useProfiles.setState({ renameError: 'A profile needs a name.' });
    return false;
  }
  if (name === entry.profile.name) {
    useProfiles.setState({ renaming: false, renameError: null });
    return true;
  }
  try {
    const outcome = await api().saveProfile({ file: entry.file, profile: { ...entry.profile, name }, baseRevision: entry.revision });
    if (!outcome.ok) {
      useProfiles.setState({ renameError: outcome.message });
      return false;
    }
    applyRename(entry.file, outcome.entry);
    useProfiles.setState({ renaming: false, renameError: null, selectedFile: outcome.entry.file });
    await refreshProfiles();
    return true;
  } catch (err) {
    useProfiles.setState({ renameError: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

/** How long a toast offers to undo a delete or a restore. */
export const UNDO_MS = 8000;

export async function deleteSelected(): Promise<void> {
  const entry = entryByFile(useProfiles.getState().selectedFile);
  if (!entry) return;
  try {
    const outcome = await api().deleteProfile(entry.file);
    if (!outcome.ok) {
      showToast(`Could not delete ${entry.file}: ${outcome.message ?? outcome.code ?? 'refused'}`, { kind: 'error' });
      return;
    }
  } catch (err) {
    showToast(`Could not delete ${entry.file}: ${err instanceof Error ? err.message : String(err)}`, { kind: 'error' });
    return;
  }
  closeSession(entry.file);
  useProfiles.setState((s) => ({
    selectedFile: null,
    renaming: false,
    entries: s.entries.filter((e) => e.file !== entry.file),
  }));
  const label = entry.profile ? `“${entry.profile.name}”` : entry.file;
  if (entry.profile) {
    showToast(`Deleted ${label}.`, {
      ms: UNDO_MS,
      action: { label: 'Undo', testId: 'undo-delete', run: () => void undoDelete(entry) },
    });
  } else {
    showToast(`Deleted ${label}.`);
  }
  void refreshProfiles();
}

async function undoDelete(entry: ProfileEntry): Promise<void> {
  if (!entry.profile) return;
  try {
    let outcome = await api().saveProfile({ file: entry.file, profile: entry.profile });
    if (!outcome.ok && outcome.reason !== 'exists') outcome = await api().saveProfile({ profile: entry.profile });
    if (!outcome.ok) {
      showToast(`Could not restore ${entry.profile.name}: ${outcome.message}`, { kind: 'error' });
      return;
    }
    await refreshProfiles();
    const restored = entryByFile(outcome.entry.file) ?? outcome.entry;
    selectEntry(restored);
  } catch (err) {
    showToast(`Could not restore ${entry.profile.name}: ${err instanceof Error ? err.message : String(err)}`, { kind: 'error' });
  }
}

/** Imports a profile file: it must parse and validate; then it is saved (renamed if its name is taken) and opened. */
export async function importFile(file: File): Promise<void> {
  const fail = (messages: string[]) => useProfiles.setState({ importErrors: { fileName: file.name, messages } });
  useProfiles.setState({ importErrors: null });
  let data: unknown;
  try {
    data = JSON.parse(await file.text());
  } catch (err) {
    fail([`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
    return;
  }
  try {
    const checks = await api().validate(data);
    if (checks.errors.length > 0) {
      fail(checks.errors.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)));
      return;
    }
    let profile = data as Draft;
    let outcome = await api().saveProfile({ profile });
    if (!outcome.ok && outcome.reason === 'exists') {
      profile = { ...profile, name: uniqueName(`${profile.name} (imported)`, takenNames()) };
      outcome = await api().saveProfile({ profile });
    }
    if (!outcome.ok) {
      fail([outcome.message, ...(outcome.problems ?? []).map((p) => `${p.path}: ${p.message}`)]);
      return;
    }
    showToast(`Imported “${profile.name}”.`);
    await refreshProfiles();
    selectEntry(entryByFile(outcome.entry.file) ?? outcome.entry);
  } catch (err) {
    fail([err instanceof Error ? err.message : String(err)]);
  }
}

/** Downloads the profile in the builder (as edited), or the selected one, as a JSON file. */
export function exportProfile(): void {
  const session = activeSession();
  const entry = entryByFile(useProfiles.getState().selectedFile);
  const profile = session ? toProfile(session.draft) : entry?.profile;
  if (!profile) return;
  const fileName = session?.file ?? entry?.file ?? `${slug(String(profile.name ?? 'profile'))}.json`;
  downloadText(fileName, `${JSON.stringify(profile, null, 2)}\n`, 'application/json');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'profile';
}

let started = false;

/** Loads the list and follows the folder's changes. */
export function startProfiles(): void {
  if (started) return;
  started = true;
  onSaved(() => void refreshProfiles());
  getLabApi().onProfilesChanged(() => void refreshProfiles());
  void refreshProfiles();
}

// Keep the sidebar's selection on the file the builder shows.
useEditor.subscribe((state, prev) => {
  if (state.activeKey === prev.activeKey) return;
  const session = state.activeKey ? state.sessions[state.activeKey] : undefined;
  if (session?.file) useProfiles.setState({ selectedFile: session.file });
  else if (state.activeKey) useProfiles.setState({ selectedFile: null });
});
