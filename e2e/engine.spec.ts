// The engine as the run view shows it (issue 10): a launch held up by a FIFO can be killed
// from the page, and says where it stopped; a plain launch is not held up meanwhile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test } from './fixtures';

test('a launch waiting on a FIFO is killed from the run view, and says it never started', async ({ lab }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'proclab-e2e-fifo-'));
  try {
    const fifo = path.join(dir, 'in');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    await lab.profiles.newProfile();
    await lab.builder.fill('name', 'fifo reader');
    await lab.builder.fill('path', '/bin/cat');
    await lab.builder.fill('argv0', 'cat');
    await lab.builder.file(0).setType('file');
    await lab.builder.file(0).setPath(fifo);
    await lab.run.launch();
    await expect(lab.run.status()).toContainText('starting');
    await lab.run.signal('SIGKILL');
    const error = lab.run.execError();
    await expect(error.step).toHaveText('open');
    await expect(error.code).toHaveText('ECANCELED');
    await expect(error.message).toContainText('files[0] was still being opened when the launch was killed');
    await expect(error.explanation).toContainText('FIFO');
    await expect(lab.run.status()).toContainText('never started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
