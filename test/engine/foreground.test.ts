// sys.foreground in a real terminal: the lab (the CLI) runs in a terminal of its own, the
// child inherits it on fds 0-2, and foreground makes the child's new process group the
// terminal's foreground group (TIOCSPGRP on the lab's fd for child slot ctty: Go's
// Foreground takes that parent fd, go#29458). A new pty of the run is not the lab's
// controlling terminal: ENOTTY there, at the step.
// Run: node --import tsx --test test/engine/foreground.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { ProbeReport } from '../../src/shared/api';
import { CLI, scratchDir, SPAWN_TIMEOUT_MS, TEST_TIMEOUT_MS, writeProfile } from '../support/cli-helpers';
import { noTerminalHarness, runInTerminal } from '../support/in-terminal';
import { probeProfile } from '../support/probe';

const T = { timeout: TEST_TIMEOUT_MS, skip: noTerminalHarness };
const inherit = (fd: number) => ({ type: 'inherit' as const, fd });

describe('foreground', () => {
  test("the child's group becomes the foreground group of the lab's terminal", T, async (t) => {
    const dir = scratchDir(t);
    const out = path.join(dir, 'report.json');
    const file = writeProfile(dir, probeProfile({ files: [inherit(0), inherit(1), inherit(2)], sys: { foreground: true } }, ['--out-file', out]));
    const session = await runInTerminal([process.execPath, CLI, 'run', file], { rows: 24, cols: 80, timeoutMs: SPAWN_TIMEOUT_MS });
    assert.match(session.output, /exited with status 0/, session.output);
    const report = JSON.parse(readFileSync(out, 'utf8')) as ProbeReport;
    assert.equal(report.pgid, report.pid, 'a new group, led by the child (foreground implies setpgid)');
    assert.equal(report.tty.foregroundPgid, report.pgid, "its group is the terminal's foreground group");
    assert.notEqual(report.sid, report.pid, "still in the lab's session");
  });

  test("on a new pty of the run, which is not the lab's controlling terminal: ENOTTY at foreground", T, async (t) => {
    const dir = scratchDir(t);
    const file = writeProfile(dir, probeProfile({ files: [{ type: 'pty' }, { type: 'pty' }, { type: 'pty' }], sys: { foreground: true } }));
    const session = await runInTerminal([process.execPath, CLI, 'run', file], { rows: 24, cols: 80, timeoutMs: SPAWN_TIMEOUT_MS });
    assert.match(session.output, /exec error at step foreground: ENOTTY/, session.output);
  });
});
