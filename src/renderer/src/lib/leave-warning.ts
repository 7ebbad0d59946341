// Before the window goes (closed, reloaded) while it holds unsaved work: the work is written
// to the lab as drafts at once, and the page asks to stay. A browser shows its own "Leave
// site?" prompt; Electron cancels the close without a word and tells the main process,
// which asks the user itself (src/main/unload-prompt.ts).
import { hasUnsavedWork, useEditor } from '../stores/editor';
import { keepAllNow } from '../stores/kept-drafts';

export function warnBeforeLeaving(): void {
  window.addEventListener('beforeunload', (event) => {
    keepAllNow();
    if (!Object.values(useEditor.getState().sessions).some(hasUnsavedWork)) return;
    event.preventDefault();
    // Older Chromium (and so some Electron versions) asks only when returnValue is set.
    event.returnValue = '';
  });
}
