// The builder: the profile being edited, every field, with the lab's problems inline.
import { useDeferredValue } from 'react';

import { fieldsOfSection, FIELD_SECTIONS } from '@shared/fields';
import { inheritsLabStdio } from '@shared/lab-stdio';
import { toProfile, type Draft } from '../../lib/draft';
import { activeSession, hasUnsavedWork, isDirty, overwriteActive, reloadActive, saveActive, useEditor } from '../../stores/editor';
import { discardSession, entryByFile, useProfiles } from '../../stores/profiles';
import { openCodeDialog } from '../../stores/code-dialog';
import { launch, useLaunchOptions } from '../../stores/runs';
import { showToast } from '../../stores/toasts';
import { UnsavedDot } from '../UnsavedDot';
import { CodeDialog } from './CodeDialog';
import { EnvironmentSection } from './EnvironmentSection';
import { FieldsSection, fieldValue } from './FieldsSection';
import { DirectorySection, FilesSection, ProfileSection, ProgramSection } from './sections';
import { SecretsSection } from './SecretsSection';
import { Problems } from './ui';

export function Builder() {
  const session = useEditor(activeSession);
  const selectedFile = useProfiles((s) => s.selectedFile);
  const draft = session?.draft;

  if (!session || !draft) {
    const broken = entryByFile(selectedFile);
    if (broken?.error) {
      return (
        <div className="builder builder-empty">
          <div className="notice notice-error" role="alert">
            <h2>{broken.file} is not a usable profile</h2>
            <p className="mono pre-wrap">{broken.error}</p>
            <p>The file is left untouched. Fix it in a text editor (the list updates by itself), or delete it from the sidebar.</p>
          </div>
        </div>
      );
    }
    return (
      <div className="builder builder-empty">
        <div className="empty-state">
          <h2>Compose a launch</h2>
          <p>Pick a profile on the left, or start a new one. Restore the examples to see a few classic setups: swapped stdout and stderr, a shell in a pty with job control, a chdir error, a ptrace stop, a credential drop, root in a user namespace.</p>
        </div>
      </div>
    );
  }

  return (
    <div className="builder">
      <EditorBar />
      <RestoredBanner />
      <StaleBanner />
      <BuilderBody draft={draft} />
    </div>
  );
}

/**
 * The sections. When the builder first shows a profile, the files and the sections below
 * them come a moment after the others, drawn as a transition (in slices, between other
 * work): opening the first profile was one task of 50-130 ms on a 2-core machine, and with
 * 10,000 file slots its first rows alone took a third of it (issue 17).
 */
function BuilderBody({ draft }: { draft: Draft }) {
  const drawAll = useDeferredValue(true, false);
  return (
    <div className="builder-body">
      <Problems at="top" />
      <ProfileSection name={draft.name} description={draft.description} />
      <ProgramSection path={draft.path} args={draft.args} />
      <DirectorySection dir={draft.dir} />
      <EnvironmentSection env={draft.env} inheritEnv={draft.inheritEnv} />
      <SecretsSection secrets={draft.secrets} />
      {drawAll && (
        <>
          <FilesSection files={draft.files} stdin={draft.stdin} />
          {FIELD_SECTIONS.map(({ id }) => (
            <FieldsSection key={id} section={id} values={fieldsOfSection(id).map((f) => fieldValue(draft, f))} />
          ))}
        </>
      )}
    </div>
  );
}

// How long the run stays pinned at the top while what is above it settles.
const KEEP_REVEALED_MS = 1500;

/**
 * Scrolls the right-hand column (only it) so that the run view starts at its top, and keeps
 * it there for a moment: the plan above it still grows as the lab answers (the launch's
 * plan, the table the child really got).
 */
function revealRun(): void {
  const view = document.querySelector<HTMLElement>('[data-testid="run-view"]');
  const column = view?.closest<HTMLElement>('.right');
  if (!view || !column) return;
  const toTop = (behavior: ScrollBehavior) => {
    const offset = view.getBoundingClientRect().top - column.getBoundingClientRect().top;
    column.scrollTo({ top: column.scrollTop + offset - 48, behavior });
  };
  toTop('smooth');
  const above = [...column.children].filter((child) => !child.contains(view));
  const observer = new ResizeObserver(() => toTop('auto'));
  for (const element of above) observer.observe(element);
  setTimeout(() => observer.disconnect(), KEEP_REVEALED_MS);
}

export async function launchActive(probe: boolean): Promise<void> {
  const session = activeSession();
  if (!session) return;
  const launched = launch(toProfile(session.draft), probe);
  // The run appears at once (launch() adds it before it waits): bring it into view.
  requestAnimationFrame(revealRun);
  const outcome = await launched;
  if (!outcome.ok) {
    if (outcome.problems.length > 0) useEditor.setState({ extraErrors: outcome.problems });
    showToast(outcome.message, { kind: 'error' });
  }
}

// More than this many screens away, the jump is made at once: a smooth scroll down a long
// files table would pass every block of rows on its way, and each would be drawn
// (useBlocksNearView.ts), thousands of rows the user never looks at.
const SMOOTH_WITHIN_SCREENS = 3;

function showFirstError(): void {
  const first = document.querySelector<HTMLElement>('.builder-body [data-testid="problem"][data-kind="error"]');
  if (!first) return;
  const distance = Math.abs(first.getBoundingClientRect().top - window.innerHeight / 2);
  first.scrollIntoView({ block: 'center', behavior: distance > SMOOTH_WITHIN_SCREENS * window.innerHeight ? 'auto' : 'smooth' });
}

function EditorBar() {
  const session = useEditor(activeSession);
  const saving = useEditor((s) => s.saving);
  const saveError = useEditor((s) => s.saveError);
  const checks = useEditor((s) => s.checks);
  const extraErrors = useEditor((s) => s.extraErrors);
  if (!session) return null;
  const dirty = isDirty(session);
  const errorCount = (checks?.errors.length ?? 0) + extraErrors.length;
  const warningCount = checks?.warnings.length ?? 0;
  const name = typeof session.draft.name === 'string' && session.draft.name !== '' ? session.draft.name : 'Untitled';
  return (
    <div className="editor-bar">
      <div className="editor-title">
        <h2 title={session.file ?? 'not saved yet'}>
          {name}
          {dirty && (
            <UnsavedDot className="dirty-dot" testId="editor-unsaved" />
          )}
        </h2>
        <span className="editor-file mono">{session.file ?? 'new profile, not saved yet'}</span>
      </div>
      <div className="editor-actions">
        <span className="check-summary" data-testid="check-summary" aria-live="polite">
          {errorCount > 0 && (
            <button type="button" className="count-error" onClick={showFirstError} title="Show the first error">
              {errorCount} error{errorCount === 1 ? '' : 's'}
            </button>
          )}
          {warningCount > 0 && <span className="count-warning">{warningCount} warning{warningCount === 1 ? '' : 's'}</span>}
          {errorCount === 0 && warningCount === 0 && checks && <span className="count-ok">valid</span>}
        </span>
        <button type="button" data-testid="save-profile" onClick={() => void saveActive()} disabled={saving} title="Save (Ctrl+S)" className={dirty ? 'primary-outline' : undefined}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" data-testid="as-code" onClick={openCodeDialog} title="The launch as a Go, Python, Node, Rust, C or shell program, verified against the lab's own">
          As code…
        </button>
        <button type="button" data-testid="launch-probe" onClick={() => void launchActive(true)} disabled={errorCount > 0} title="Run the probe with this same setup: see what the child really gets">
          Launch the probe instead
        </button>
        <button type="button" className="primary" data-testid="launch" onClick={() => void launchActive(false)} disabled={errorCount > 0} title="Launch (Ctrl+Enter)">
          ▶ Launch
        </button>
      </div>
      <LabStdioOption files={session.draft.files} />
      <CodeDialog />
      {saveError && (
        <div className="notice notice-error save-error" role="alert" data-testid="save-error">
          Not saved: {saveError}
        </div>
      )}
    </div>
  );
}

/** Shown when the profile inherits the lab's fd 1 or 2: their output can be seen here rather than in the lab's own output. */
function LabStdioOption({ files }: { files: unknown }) {
  const on = useLaunchOptions((s) => s.labStdioPanes);
  if (!inheritsLabStdio(Array.isArray(files) ? files : [])) return null;
  return (
    <label className="lab-stdio-option" title="Slots that inherit the lab's fd 1 or 2 get a pipe standing in for it, shown in the run as the lab's fd 1 and fd 2: a swap can be seen">
      <input type="checkbox" checked={on} onChange={(e) => useLaunchOptions.setState({ labStdioPanes: e.currentTarget.checked })} data-testid="lab-stdio-panes" />
      Show what goes to the lab’s fd 1 and 2 here, in panes of the run
    </label>
  );
}

function RestoredBanner() {
  const session = useEditor(activeSession);
  if (!session?.restored || !hasUnsavedWork(session)) return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="restored-banner">
      <div>
        <strong>Restored draft.</strong> The lab kept these unsaved changes from before a reload, a closed window or a restart. Save
        them, or discard them{session.file ? ' to go back to the file as it is on disk' : ''}.
      </div>
      <div className="banner-actions">
        <button type="button" data-testid="restored-discard" onClick={() => discardSession(session.key)}>
          Discard draft
        </button>
      </div>
    </div>
  );
}

function StaleBanner() {
  const session = useEditor(activeSession);
  const stale = session?.stale;
  if (!stale) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="stale-banner">
      <div>
        <strong>{stale.kind === 'deleted' ? 'Deleted on disk.' : 'Changed on disk.'}</strong> {stale.message}{' '}
        {stale.kind === 'deleted' ? 'Save again to write your version back, or discard it.' : 'Load the file as it is now (your changes are lost), or write your version over it.'}
      </div>
      <div className="banner-actions">
        <button type="button" data-testid="reload-profile" onClick={() => void reloadActive()}>
          {stale.kind === 'deleted' ? 'Discard mine' : 'Discard mine, load the file'}
        </button>
        <button type="button" data-testid="overwrite-profile" onClick={() => void overwriteActive()}>
          {stale.kind === 'deleted' ? 'Save mine again' : 'Keep mine, overwrite'}
        </button>
      </div>
    </div>
  );
}
