// `proclab export FILE --to LANG [--verify] [--json]` as a user runs it (contract section 4):
// the code on stdout, each gap a line on stderr, exit 0; 2 for bad usage or an invalid
// profile; with --verify, 0 only when the exported program's child got what the lab's did.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cli, cliAsync, lines, parseWhole, scratchDir, writeProfile } from '../support/cli-helpers';

const PROFILE = {
  version: 1,
  name: 'cli export',
  path: '/bin/true',
  args: ['/bin/true'],
  env: ['LANG=C'],
  files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
  sys: { setsid: true, umask: '077' },
};

test('export prints the code on stdout and each gap as a line on stderr, exit 0', (t) => {
  const file = writeProfile(scratchDir(t), PROFILE);
  const r = cli(['export', file, '--to', 'node']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^#!\/usr\/bin\/env node/);
  assert.match(r.stdout, /detached: true/);
  assert.deepEqual(lines(r.stderr).map((l) => l.split(':')[1]), [' sys.umask', ' files']);
  assert.ok(lines(r.stderr).every((l) => l.startsWith('gap: ')));
  // A target that expresses all of it: no stderr at all.
  const c = cli(['export', file, '--to', 'c']);
  assert.equal(c.status, 0);
  assert.equal(c.stderr, '');
  assert.match(c.stdout, /umask\(077\);/);
});

test('--json prints one object: lang, code, gaps, fileName', (t) => {
  const file = writeProfile(scratchDir(t), PROFILE);
  const out = parseWhole(cli(['export', file, '--to', 'go', '--json']).stdout);
  assert.deepEqual(Object.keys(out).sort(), ['code', 'fileName', 'gaps', 'lang']);
  assert.equal(out.lang, 'go');
  assert.equal(out.fileName, 'main.go');
  assert.deepEqual(out.gaps, []);
});

test('a bogus --to, a missing --to and an invalid profile exit 2, naming the option or the field', (t) => {
  const dir = scratchDir(t);
  const file = writeProfile(dir, PROFILE);
  const bogus = cli(['export', file, '--to', 'cobol']);
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /--to <lang>.*cobol.*expected one of go, go-syscall, python, node, rust, c, shell/);
  const missing = cli(['export', file]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--to <lang>/);
  const invalid = cli(['export', writeProfile(dir, { ...PROFILE, files: [{ type: 'inherit', fd: -1 }] }), '--to', 'c']);
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /^error: files\[0\]\.fd: /m);
  assert.equal(invalid.stdout, '');
});

test('--verify: exit 0 when the two children agree, 1 with each difference in words when not', async (t) => {
  const file = writeProfile(scratchDir(t), PROFILE);
  const [same, differs] = await Promise.all([cliAsync(['export', file, '--to', 'c', '--verify']), cliAsync(['export', file, '--to', 'node', '--verify'])]);
  assert.equal(same.status, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /^verified: the c program's child got the same as the lab's own launch$/m);
  assert.equal(differs.status, 1, differs.stdout + differs.stderr);
  assert.match(differs.stdout, /^differs: /m);
  assert.match(differs.stdout, /umask: the exported program's child got 0[0-7]{3}; the lab's got 0077/);
  assert.match(differs.stdout, /fds\.1: the exported program's child got socket .*; the lab's got pipe/);
});
