// The profiles sidebar: the profiles folder, searchable, with the file actions.
import { useEffect, useId, useRef, useState } from 'react';

import type { ProfileEntry } from '@shared/api';
import { newProfile } from '../../lib/draft';
import { activate, isDirty, useEditor, type EditSession } from '../../stores/editor';
import { openRestoreDialog, useExampleRestore } from '../../stores/example-restore';
import { useKeptDrafts } from '../../stores/kept-drafts';
import { UnsavedDot } from '../UnsavedDot';
import { openImportDialog } from '../../stores/import-dialog';
import { ImportDialog } from './ImportDialog';
import { RestoreExamplesDialog } from './RestoreExamplesDialog';
import {
  deleteSelected,
  discardSession,
  duplicateSelected,
  exportProfile,
  importFile,
  nameOf,
  newProfileDraft,
  renameSelected,
  selectEntry,
  useProfiles,
} from '../../stores/profiles';

function matches(entry: ProfileEntry, search: string): boolean {
  if (search === '') return true;
  const hay = [entry.file, entry.profile?.name, entry.profile?.description, entry.profile?.path, entry.error]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

export function Sidebar() {
  const entries = useProfiles((s) => s.entries);
  const loaded = useProfiles((s) => s.loaded);
  const loadError = useProfiles((s) => s.loadError);
  const search = useProfiles((s) => s.search);
  const selectedFile = useProfiles((s) => s.selectedFile);
  const sessions = useEditor((s) => s.sessions);
  const activeKey = useEditor((s) => s.activeKey);
  const searchId = useId();
  const drafts = Object.values(sessions).filter((s) => !s.file);
  const shown = entries.filter((e) => matches(e, search));

  return (
    <aside className="sidebar" aria-label="Profiles">
      <div className="sidebar-head">
        <h2>Profiles</h2>
        <button type="button" className="primary small" data-testid="profile-new" onClick={() => newProfileDraft(newProfile)}>
          + New
        </button>
      </div>
      <label htmlFor={searchId} className="sr-only">Search profiles</label>
      <input
        id={searchId}
        type="search"
        className="sidebar-search"
        data-testid="profile-search"
        placeholder="Search profiles"
        value={search}
        onChange={(e) => useProfiles.setState({ search: e.target.value })}
      />
      <SelectionActions />
      <nav className="profile-list-wrap" aria-label="Profile list">
        <ul className="profile-list">
          {drafts.map((d) => (
            <DraftItem key={d.key} session={d} active={d.key === activeKey} />
          ))}
          {shown.map((entry) => (
            <ProfileItem key={entry.file} entry={entry} selected={entry.file === selectedFile} session={sessions[entry.file]} />
          ))}
        </ul>
        <UnreadableDrafts />
        {loaded && entries.length === 0 && drafts.length === 0 && (
          <p className="sidebar-empty">No profiles yet. Start a new one, or restore the examples.</p>
        )}
        {loaded && entries.length > 0 && shown.length === 0 && <p className="sidebar-empty">No profile matches “{search}”.</p>}
        {!loaded && !loadError && <p className="sidebar-empty">Loading…</p>}
        {loadError && (
          <p className="sidebar-empty error-text" role="alert">
            Could not list the profiles: {loadError}
          </p>
        )}
      </nav>
      <SidebarFoot />
    </aside>
  );
}

function ProfileItem({ entry, selected, session }: { entry: ProfileEntry; selected: boolean; session: EditSession | undefined }) {
  const broken = !entry.profile;
  const dirty = isDirty(session);
  const restored = dirty && session?.restored === true;
  return (
    <li
      data-testid="profile-item"
      data-file={entry.file}
      className={`profile-item${selected ? ' selected' : ''}${broken ? ' broken' : ''}`}
    >
      <button type="button" className="profile-item-button" aria-current={selected ? 'true' : undefined} onClick={() => selectEntry(entry)}>
        <span className="profile-item-name" data-testid="profile-item-name">
          {broken && <span className="broken-icon" aria-hidden="true">⚠ </span>}
          <span className="profile-item-title">{nameOf(entry)}</span>
          {dirty && (
            <UnsavedDot className="unsaved-marker" testId="unsaved-marker" />
          )}
        </span>
        {broken ? (
          <span className="profile-item-error" data-testid="profile-item-error">
            {entry.error}
          </span>
        ) : (
          <span className="profile-item-sub">
            {restored && <RestoredMarker />}
            <span className="mono">{entry.profile!.description || entry.file}</span>
          </span>
        )}
      </button>
      {restored && <DiscardButton sessionKey={entry.file} label={`Discard the restored changes to ${nameOf(entry)}`} />}
    </li>
  );
}

/** A session the lab kept from an earlier page or start, and restored here. */
function RestoredMarker() {
  return (
    <span className="restored-marker" data-testid="restored-marker" title="Kept by the lab from before the last reload, window or restart">
      restored draft
    </span>
  );
}

function DiscardButton({ sessionKey, label }: { sessionKey: string; label: string }) {
  return (
    <button type="button" className="link-button draft-discard" data-testid="draft-discard" onClick={() => discardSession(sessionKey)} aria-label={label}>
      Discard
    </button>
  );
}

/** Draft files the lab could not read: left where they are, said once. */
function UnreadableDrafts() {
  const unreadable = useKeptDrafts((s) => s.unreadable);
  if (unreadable.length === 0) return null;
  return (
    <div className="notice notice-error unreadable-drafts" role="alert" data-testid="unreadable-drafts">
      <div className="notice-head">
        <strong>
          {unreadable.length === 1 ? 'A kept draft could not be read' : `${unreadable.length} kept drafts could not be read`}
        </strong>
        <button type="button" className="link-button" onClick={() => useKeptDrafts.setState({ unreadable: [] })} aria-label="Dismiss">
          ×
        </button>
      </div>
      <ul>
        {unreadable.map((entry) => (
          <li key={entry.path} className="mono">
            {entry.path}: {entry.error}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DraftItem({ session, active }: { session: EditSession; active: boolean }) {
  const name = typeof session.draft.name === 'string' && session.draft.name !== '' ? session.draft.name : 'Untitled';
  return (
    <li data-testid="profile-draft" className={`profile-item draft${active ? ' selected' : ''}`}>
      <button type="button" className="profile-item-button" aria-current={active ? 'true' : undefined} onClick={() => activate(session.key)}>
        <span className="profile-item-name" data-testid="profile-item-name">
          <span className="profile-item-title">{name}</span>
          <span className="unsaved-marker" data-testid="unsaved-marker" title="Not saved yet">
            <span aria-hidden="true">●</span>
            <span className="sr-only">not saved yet</span>
          </span>
        </span>
        <span className="profile-item-sub">
          {session.restored && <RestoredMarker />}
          new, not saved yet
        </span>
      </button>
      <DiscardButton sessionKey={session.key} label={`Discard the unsaved profile ${name}`} />
    </li>
  );
}

function SelectionActions() {
  const selectedFile = useProfiles((s) => s.selectedFile);
  const renaming = useProfiles((s) => s.renaming);
  const entries = useProfiles((s) => s.entries);
  const activeKey = useEditor((s) => s.activeKey);
  const entry = entries.find((e) => e.file === selectedFile);
  const valid = !!entry?.profile;
  return (
    <div className="selection-actions">
      <div className="button-row" role="toolbar" aria-label={entry ? `Actions for ${nameOf(entry)}` : 'Profile actions'}>
        <button type="button" className="small" data-testid="profile-duplicate" disabled={!valid} onClick={duplicateSelected}>
          Duplicate
        </button>
        <button type="button" className="small" data-testid="profile-rename" disabled={!valid} onClick={() => useProfiles.setState({ renaming: true, renameError: null })}>
          Rename
        </button>
        <button type="button" className="small" data-testid="profile-export" disabled={!valid && !activeKey} onClick={exportProfile}>
          Export
        </button>
        <button type="button" className="small danger" data-testid="profile-delete" disabled={!entry} onClick={() => void deleteSelected()}>
          Delete
        </button>
      </div>
      {renaming && entry?.profile && <RenameForm key={entry.file} current={entry.profile.name} />}
    </div>
  );
}

function RenameForm({ current }: { current: string }) {
  const [name, setName] = useState(current);
  const error = useProfiles((s) => s.renameError);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      className="rename-form"
      onSubmit={(e) => {
        e.preventDefault();
        void renameSelected(name);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') useProfiles.setState({ renaming: false, renameError: null });
      }}
    >
      <label htmlFor={id}>New name</label>
      <input ref={input} id={id} type="text" data-testid="rename-input" value={name} onChange={(e) => setName(e.target.value)} />
      <div className="button-row">
        <button type="submit" className="small primary" data-testid="rename-confirm">
          Rename
        </button>
        <button type="button" className="small" data-testid="rename-cancel" onClick={() => useProfiles.setState({ renaming: false, renameError: null })}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert" data-testid="rename-error">
          {error}
        </p>
      )}
    </form>
  );
}

function SidebarFoot() {
  const busy = useExampleRestore((s) => s.busy);
  const importErrors = useProfiles((s) => s.importErrors);
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <div className="sidebar-foot">
      <div className="button-row">
        <button type="button" className="small" data-testid="profile-import" onClick={openImportDialog}>
          Import…
        </button>
        <button type="button" className="small" data-testid="restore-examples" onClick={() => void openRestoreDialog()} disabled={busy}>
          Restore examples
        </button>
      </div>
      <RestoreExamplesDialog />
      <ImportDialog chooseFile={() => fileInput.current?.click()} />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="profile-import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
      {importErrors && (
        <div className="notice notice-error import-errors" role="alert" data-testid="import-error">
          <div className="notice-head">
            <strong>Not imported: {importErrors.fileName}</strong>
            <button type="button" className="link-button" onClick={() => useProfiles.setState({ importErrors: null })} aria-label="Dismiss">
              ×
            </button>
          </div>
          <ul>
            {importErrors.messages.map((m, i) => (
              <li key={i} className="mono">
                {m}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

