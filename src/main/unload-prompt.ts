// Closing (or reloading) a window whose page holds unsaved drafts. The page asks to stay
// from its `beforeunload` whenever it has any; in Electron that cancels the close
// silently, and main hears `will-prevent-unload` instead: it asks the user with this
// prompt, and lets the window go when the answer is to leave. The drafts are on the lab's
// side by then (kept as the user edits), so the prompt says they are kept either way.
// No `electron` import: tests run where there is no Electron.

/** The prompt, as Electron's dialog.showMessageBox options. */
export const UNLOAD_PROMPT = {
  type: 'question',
  title: 'Unsaved changes',
  message: 'This window has profiles with unsaved changes.',
  detail:
    'They are kept as drafts either way: the next time the lab opens, they are back, marked as restored drafts. ' +
    'Stay to save them now, or leave.',
  buttons: ['Leave', 'Stay'],
  // Enter and Escape (or closing the prompt) both stay: leaving takes a deliberate choice.
  defaultId: 1,
  cancelId: 1,
  noLink: true,
} as const;

/** Whether the window may close (or reload) after the prompt's answer: the index of the button chosen. */
export function leavesAfterPrompt(response: number): boolean {
  return UNLOAD_PROMPT.buttons[response] === 'Leave';
}
