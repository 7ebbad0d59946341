// Profiles on disk, as a user finds them: saved files that list again, broken files shown
// and left alone, edits from elsewhere never overwritten, renames, read-only folders.
// Run: node --import tsx --test test/service/profile-store.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { ProfileEntry, SaveOutcome } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { defaultProfilesDir } from '../../src/main/lab/default-profiles-dir';
import { ProfileStore } from '../../src/main/lab/profile-store';
import { waitFor } from '../support/lab-api';
import { isRoot, scratchDir } from '../support/probe';

const profile = (name: string, extra: Partial<Profile> = {}): Profile => ({
  version: 1,
  name,
  path: '/bin/echo',
  args: ['echo', name],
  ...extra,
});

function saved(outcome: SaveOutcome): ProfileEntry {
  assert.ok(outcome.ok, `save refused: ${JSON.stringify(outcome)}`);
  return outcome.entry;
}

function refused(outcome: SaveOutcome, reason: string): string {
  assert.equal(outcome.ok, false, `expected a refusal (${reason}), got ${JSON.stringify(outcome)}`);
  assert.equal(outcome.reason, reason, outcome.message);
  return outcome.message;
}

describe('profile store', () => {
  test('a saved profile is one pretty JSON file that lists again with the same revision', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const entry = saved(await store.save({ profile: profile('List fds (long)') }));
    assert.equal(entry.file, 'list-fds-long.json');
    assert.deepEqual(readdirSync(store.dir), ['list-fds-long.json'], 'no temp file left behind');
    const text = readFileSync(path.join(store.dir, entry.file), 'utf8');
    assert.deepEqual(JSON.parse(text), profile('List fds (long)'));
    assert.match(text, /^\{\n {2}"version": 1,/, 'indented for people and diffs');
    assert.deepEqual(await store.list(), [entry]);
  });

  test('a file that is not JSON, or not a valid profile, is listed with its error and never touched', async (t) => {
    const dir = scratchDir(t);
    const store = new ProfileStore(dir);
    const notJson = '{ "version": 1, "name": "half';
    const notProfile = JSON.stringify({ version: 1, name: 'chdir error', colour: 'red' });
    writeFileSync(path.join(dir, 'broken.json'), notJson);
    writeFileSync(path.join(dir, 'chdir-error.json'), notProfile);
    writeFileSync(path.join(dir, 'notes.txt'), 'not a profile file name');
    saved(await store.save({ profile: profile('good') }));

    const entries = await store.list();
    assert.deepEqual(entries.map((e) => e.file), ['broken.json', 'chdir-error.json', 'good.json']);
    const [broken, invalid, good] = entries;
    assert.match(broken!.error!, /^not valid JSON/);
    assert.equal(broken!.profile, undefined);
    assert.match(invalid!.error!, /path: required/);
    assert.match(invalid!.error!, /colour: unknown field "colour"/);
    assert.equal(good!.profile?.name, 'good');

    // Saving over it, or restoring an example whose file name it has, leaves it as it was.
    refused(await store.save({ file: 'broken.json', profile: profile('fixed'), baseRevision: broken!.revision }), 'stale');
    const [located] = await store.locate([profile('chdir error')]);
    assert.deepEqual(located, { file: 'chdir-error-2.json', state: 'missing' });
    const [written] = await store.apply([{ file: located!.file, expected: null, content: JSON.stringify(profile('chdir error')) }]);
    assert.equal(written!.ok, true);
    const [overBroken] = await store.apply([{ file: 'broken.json', expected: broken!.revision, content: JSON.stringify(profile('fixed')) }]);
    assert.equal(overBroken!.ok, false);
    assert.match((overBroken as { message: string }).message, /^broken\.json on disk is not a valid profile \(not valid JSON: .*\); the lab never overwrites it\.$/);
    assert.equal(readFileSync(path.join(dir, 'broken.json'), 'utf8'), notJson);
    assert.equal(readFileSync(path.join(dir, 'chdir-error.json'), 'utf8'), notProfile);
  });

  test('a save that started from an older revision is refused and writes nothing', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const entry = saved(await store.save({ profile: profile('shared') }));
    const file = path.join(store.dir, entry.file);
    const theirs = JSON.stringify(profile('shared', { args: ['echo', 'edited in an editor'] }));
    writeFileSync(file, theirs);

    const mine = profile('shared', { args: ['echo', 'edited in the lab'] });
    const message = refused(await store.save({ file: entry.file, profile: mine, baseRevision: entry.revision }), 'stale');
    assert.match(message, /changed on disk since it was opened/);
    refused(await store.save({ file: entry.file, profile: mine }), 'stale'); // no revision: cannot tell
    assert.equal(readFileSync(file, 'utf8'), theirs);

    // Starting again from what is on disk now works.
    const [current] = await store.list();
    saved(await store.save({ file: entry.file, profile: mine, baseRevision: current!.revision }));

    rmSync(file);
    const gone = refused(await store.save({ file: entry.file, profile: mine, baseRevision: current!.revision }), 'stale');
    assert.match(gone, /deleted on disk/);
    assert.deepEqual(readdirSync(store.dir), []);
  });

  test('a rename writes the new file, then removes the old one', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const first = saved(await store.save({ profile: profile('first') }));
    const renamed = saved(await store.save({ file: first.file, profile: profile('second'), baseRevision: first.revision }));
    assert.equal(renamed.file, 'second.json');
    assert.deepEqual(readdirSync(store.dir), ['second.json']);
    // Same name, another field: the same file.
    const edited = saved(
      await store.save({ file: renamed.file, profile: profile('second', { description: 'more' }), baseRevision: renamed.revision }),
    );
    assert.equal(edited.file, 'second.json');
    assert.notEqual(edited.revision, renamed.revision);
  });

  test('names are unique: a name another file holds is refused; file names never collide', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const one = saved(await store.save({ profile: profile('one') }));
    const two = saved(await store.save({ profile: profile('two') }));
    assert.match(refused(await store.save({ profile: profile('one') }), 'exists'), /"one" already exists \(one\.json\)/);
    refused(await store.save({ file: two.file, profile: profile('one'), baseRevision: two.revision }), 'exists');
    assert.equal(readFileSync(path.join(store.dir, one.file), 'utf8'), `${JSON.stringify(profile('one'), null, 2)}\n`);

    // Different names, the same slug: the second gets a numbered file.
    assert.equal(saved(await store.save({ profile: profile('A b') })).file, 'a-b.json');
    assert.equal(saved(await store.save({ profile: profile('a-b') })).file, 'a-b-2.json');
  });

  test('an invalid profile is refused with its problems', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const outcome = await store.save({ profile: { version: 1, name: 'x', args: [] } });
    refused(outcome, 'invalid');
    assert.deepEqual(outcome.ok === false && outcome.problems, [{ path: 'path', message: 'required' }]);
    assert.deepEqual(readdirSync(store.dir), []);
  });

  test('delete removes the file; a missing one says so', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const entry = saved(await store.save({ profile: profile('doomed') }));
    assert.deepEqual(await store.delete(entry.file), { ok: true });
    assert.deepEqual(await store.list(), []);
    const again = await store.delete(entry.file);
    assert.equal(again.ok, false);
    assert.equal(again.code, 'ENOENT');
  });

  test('a folder it may not write to: the save says why, and the old file is intact', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const entry = saved(await store.save({ profile: profile('kept') }));
    const before = readFileSync(path.join(store.dir, entry.file), 'utf8');
    const readOnly = makeReadOnly(store.dir);
    if (!readOnly) {
      t.skip('cannot make a folder read-only here: running as root and chattr +i is refused');
      return;
    }
    try {
      const outcome = await store.save({ file: entry.file, profile: profile('kept', { description: 'new' }), baseRevision: entry.revision });
      const message = refused(outcome, 'io');
      assert.match(message, /cannot save kept\.json in .*: (Permission denied \(EACCES\)|Operation not permitted \(EPERM\)): .*Nothing was changed\./);
      refused(await store.save({ profile: profile('new one') }), 'io');
      assert.equal((await store.delete(entry.file)).ok, false);
    } finally {
      readOnly.undo();
    }
    assert.deepEqual(readdirSync(store.dir), [entry.file]);
    assert.equal(readFileSync(path.join(store.dir, entry.file), 'utf8'), before);
  });

  test('a folder whose fsync fails after the rename: the save says the file holds the new version', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    const entry = saved(await store.save({ profile: profile('synced') }));
    const realOpen = fsPromises.open;
    t.mock.method(fsPromises, 'open', async (...args: Parameters<typeof fsPromises.open>) => {
      const handle = await realOpen(...args);
      if (args[0] === store.dir) handle.sync = () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }));
      return handle;
    });
    const edited = profile('synced', { description: 'new' });
    const message = refused(await store.save({ file: entry.file, profile: edited, baseRevision: entry.revision }), 'io');
    assert.equal(
      message,
      `synced.json now holds the new version, but ${store.dir} could not be synced to disk (Input/output error (EIO)): ` +
        'the save may not survive a crash or power cut. Save again to be sure.',
    );
    assert.deepEqual(JSON.parse(readFileSync(path.join(store.dir, entry.file), 'utf8')), edited);
    assert.deepEqual(readdirSync(store.dir), [entry.file]);
  });

  test('a change made on disk by someone else is noticed', async (t) => {
    const store = new ProfileStore(scratchDir(t));
    let changes = 0;
    const stop = store.watch(() => changes++);
    t.after(stop);
    writeFileSync(path.join(store.dir, 'from-git.json'), JSON.stringify(profile('from git')));
    await waitFor('the watcher to report the new file', () => changes > 0);
    assert.equal((await store.list())[0]?.profile?.name, 'from git');
  });

  test('the folder the lab makes is 0700 and each profile 0600: another user cannot read one', async (t) => {
    const parent = scratchDir(t);
    chmodSync(parent, 0o755); // another user may look in here: only the lab's own modes stop them
    const store = new ProfileStore(path.join(parent, 'profiles'));
    assert.equal(await store.createFolder(), true);
    const entry = saved(await store.save({ profile: profile('secrets', { env: ['API_TOKEN=hunter2'] }) }));
    const file = path.join(store.dir, entry.file);
    const nobody = asNobody(['cat', file]);
    if (!('skip' in nobody)) {
      assert.notEqual(nobody.status, 0, `uid 65534 read the profile: ${nobody.stdout}`);
      assert.doesNotMatch(nobody.stdout, /hunter2/);
      assert.match(nobody.stderr, /Permission denied/);
      const listing = asNobody(['ls', store.dir]);
      assert.ok('status' in listing && listing.status !== 0, 'uid 65534 listed the folder');
    }
    assert.equal((statSync(store.dir).mode & 0o777).toString(8), '700');
    assert.equal((statSync(file).mode & 0o777).toString(8), '600');
    if ('skip' in nobody) t.skip(`modes checked; ${nobody.skip}`);
  });

  test('a symlink in the folder is listed as refused, and nothing of its target shows', async (t) => {
    const dir = scratchDir(t);
    const secret = path.join(scratchDir(t), 'secret');
    writeFileSync(secret, 'root:$6$s3cr3tSalt$hashhashhash:19000:0:99999:7:::\n');
    symlinkSync(secret, path.join(dir, 'secret.json'));
    // /etc/shadow too, where it exists (the lab may run as root, who can read it).
    const shadow = existsSync('/etc/shadow') ? '/etc/shadow' : null;
    if (shadow) symlinkSync(shadow, path.join(dir, 'shadow.json'));
    saved(await new ProfileStore(dir).save({ profile: profile('good') }));

    const entries = await new ProfileStore(dir).list();
    const answer = JSON.stringify(entries);
    const refusedLinks = entries.filter((e) => e.file !== 'good.json');
    assert.equal(refusedLinks.length, shadow ? 2 : 1);
    for (const entry of refusedLinks) {
      assert.equal(entry.profile, undefined);
      assert.equal(entry.revision, '');
      assert.match(entry.error!, /^refused: a symbolic link/);
    }
    for (const target of shadow ? [secret, shadow] : [secret]) {
      let content = '';
      try {
        content = readFileSync(target, 'utf8');
      } catch {
        continue; // not readable here: nothing of it can show either
      }
      // Any 6 bytes in a row from the target's start (JSON.parse's error quotes the first ones).
      for (let i = 0; i + 6 <= Math.min(content.length, 64); i++) {
        const piece = content.slice(i, i + 6);
        assert.ok(!answer.includes(piece) && !answer.includes(JSON.stringify(piece).slice(1, -1)), `${JSON.stringify(piece)} of ${target} shows: ${answer}`);
      }
    }
    assert.equal(entries.find((e) => e.file === 'good.json')?.profile?.name, 'good');
  });

  test('a found folder that another user owns is refused, with the folder and why', async (t) => {
    if (!isRoot) {
      t.skip('needs root to give a folder to uid 65534');
      return;
    }
    const dir = path.join(scratchDir(t), 'profiles');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(path.join(dir, 'planted.json'), JSON.stringify(profile('planted')));
    chownSync(dir, 65534, 65534);
    const why = `the profiles folder ${dir} is refused: it belongs to uid 65534, not to this user (uid 0)`;
    await assert.rejects(new ProfileStore(dir).list(), (err: Error) => err.message.startsWith(why));
    await assert.rejects(new ProfileStore(dir).createFolder(), (err: Error) => err.message.startsWith(why));
    assert.ok(refused(await new ProfileStore(dir).save({ profile: profile('mine') }), 'io').startsWith(why));
    assert.deepEqual(readdirSync(dir), ['planted.json'], 'nothing written there');
  });

  test('a found folder that others may write to (0777, 0775) is refused, with the folder and why', async (t) => {
    for (const mode of [0o777, 0o775]) {
      const dir = path.join(scratchDir(t), 'profiles');
      mkdirSync(dir);
      chmodSync(dir, mode);
      const writers = mode === 0o777 ? 'its group and everyone' : 'its group';
      const why = `the profiles folder ${dir} is refused: its mode is 0${mode.toString(8)}, writable by ${writers}`;
      await assert.rejects(new ProfileStore(dir).list(), (err: Error) => err.message.startsWith(why), why);
      assert.ok(refused(await new ProfileStore(dir).save({ profile: profile('mine') }), 'io').startsWith(why));
      assert.deepEqual(readdirSync(dir), [], 'nothing written there');
    }
  });

  test('the default folder is $PROCLAB_HOME/profiles, else ~/.local/share/proclab/profiles', () => {
    assert.equal(defaultProfilesDir({ PROCLAB_HOME: '/srv/lab' }), '/srv/lab/profiles');
    assert.equal(defaultProfilesDir({}), path.join(os.homedir(), '.local/share/proclab/profiles'));
  });
});

const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/** A command run as uid 65534, or why it cannot be here. */
function asNobody(command: string[]): { status: number | null; stdout: string; stderr: string } | { skip: string } {
  if (!isRoot) return { skip: 'needs root to run a command as uid 65534 (setpriv)' };
  const run = spawnSync(NOBODY[0]!, [...NOBODY.slice(1), ...command], { encoding: 'utf8' });
  if (run.error) return { skip: `setpriv cannot run here: ${run.error.message}` };
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Makes dir unwritable for this process: mode 0555, and for root (whom modes do not stop)
// the immutable attribute. null when neither stops this process here.
function makeReadOnly(dir: string): { undo(): void } | null {
  const canCreate = () => {
    const probe = path.join(dir, '.write-probe');
    try {
      writeFileSync(probe, '');
      rmSync(probe);
      return true;
    } catch {
      return false;
    }
  };
  chmodSync(dir, 0o555);
  if (!canCreate()) return { undo: () => chmodSync(dir, 0o755) };
  const immutable = spawnSync('chattr', ['+i', dir]).status === 0;
  const undo = () => {
    if (immutable) spawnSync('chattr', ['-i', dir]);
    chmodSync(dir, 0o755);
  };
  if (immutable && !canCreate()) return { undo };
  undo();
  assert.ok(existsSync(dir));
  return null;
}
