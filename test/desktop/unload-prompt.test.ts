// Closing the desktop window while it holds unsaved drafts: the page's beforeunload asks to
// stay, Electron cancels the close silently and main asks the user (src/main/index.ts,
// will-prevent-unload). The prompt and what its answer means, without Electron.
// Run: node --import tsx --test test/desktop/unload-prompt.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { leavesAfterPrompt, UNLOAD_PROMPT } from '../../src/main/unload-prompt';

test('the prompt offers Leave and Stay, and says the drafts are kept either way', () => {
  assert.deepEqual(UNLOAD_PROMPT.buttons, ['Leave', 'Stay']);
  assert.match(UNLOAD_PROMPT.detail, /kept as drafts either way/);
  assert.match(UNLOAD_PROMPT.detail, /restored/);
});

test('only Leave lets the window go; Stay, Enter, Escape and closing the prompt keep it', () => {
  const leave = UNLOAD_PROMPT.buttons.indexOf('Leave');
  const stay = UNLOAD_PROMPT.buttons.indexOf('Stay');
  assert.equal(leavesAfterPrompt(leave), true);
  assert.equal(leavesAfterPrompt(stay), false);
  assert.equal(UNLOAD_PROMPT.defaultId, stay, 'Enter stays');
  assert.equal(UNLOAD_PROMPT.cancelId, stay, 'Escape and closing the prompt stay');
  assert.equal(leavesAfterPrompt(UNLOAD_PROMPT.cancelId), false);
  assert.equal(leavesAfterPrompt(-1), false, 'no answer: stay');
});
