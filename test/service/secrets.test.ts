// Secrets (issue 11): an environment value a profile names rather than holds, from the
// lab's secret store or from the lab's own environment. The value reaches the child and
// nothing else: not the profile file, not the report the page shows, not another user.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import type { LaunchOutcome } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { launch } from '../../src/main/lab/index';
import { LabService } from '../../src/main/lab/service';
import { SecretStore } from '../../src/main/lab/secret-store';
import { UpdateLog } from '../support/lab-api';
import { isRoot, PROBE, scratchDir } from '../support/probe';

const SECRET = 's3cr3t-value';

// A shell that shows what it got as a digest, neither it nor the profile holding the value.
const checks = (secrets: Profile['secrets'], extra: Partial<Profile> = {}): Profile => ({
  version: 1, name: 'secret user', path: '/bin/sh', args: ['sh', '-c', 'printf %s "$TOKEN" | sha256sum'],
  env: ['PATH=/usr/bin:/bin'], files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }], secrets, ...extra,
});
const MATCH = `${createHash('sha256').update(SECRET).digest('hex')}  -\n`;

function runIdOf(outcome: LaunchOutcome): string {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.runId;
}

describe('the secret store', () => {
  test('keeps values in a 0600 file in a 0700 folder, lists keys only, and forgets', async (t) => {
    const dir = path.join(scratchDir(t), 'secrets');
    const store = new SecretStore(dir);
    assert.deepEqual(await store.values(), {});
    assert.deepEqual(await store.set('tok', SECRET), { ok: true });
    assert.deepEqual(await store.set('other', 'x'), { ok: true });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, 'secrets.json')).mode & 0o777, 0o600);
    assert.deepEqual(await store.keys(), ['other', 'tok']);
    assert.equal((await store.values()).tok, SECRET);
    assert.deepEqual(await store.remove('other'), { ok: true });
    assert.deepEqual(await store.keys(), ['tok']);
  });

  test('another user cannot read it', { skip: isRoot ? false : 'needs root to run as uid 65534' }, async (t) => {
    const dir = path.join(scratchDir(t), 'secrets');
    chmodSync(path.dirname(dir), 0o755);
    await new SecretStore(dir).set('tok', SECRET);
    const cat = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cat', path.join(dir, 'secrets.json')], { encoding: 'utf8' });
    assert.notEqual(cat.status, 0);
    assert.ok(!cat.stdout.includes(SECRET));
  });

  test('a folder open to others, or a symlinked file, is refused without showing a value', async (t) => {
    const open = path.join(scratchDir(t), 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    await assert.rejects(new SecretStore(open).values(), /writable by/);
    const linked = path.join(scratchDir(t), 'linked');
    mkdirSync(linked, { mode: 0o700 });
    const target = path.join(scratchDir(t), 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ version: 1, values: { tok: SECRET } }));
    symlinkSync(target, path.join(linked, 'secrets.json'));
    await assert.rejects(new SecretStore(linked).values(), (err: Error) => /symbolic link/.test(err.message) && !err.message.includes(SECRET));
  });
});

describe('a profile with secrets', () => {
  test('from the lab\'s environment: the child gets the value; a variable the lab lacks refuses the launch at its field', async () => {
    process.env.PROCLAB_TEST_SECRET = SECRET;
    const result = await launch(checks([{ name: 'TOKEN', fromLabEnv: 'PROCLAB_TEST_SECRET' }])).result;
    assert.equal(result.output['1'], MATCH);
    assert.throws(() => launch(checks([{ name: 'TOKEN', fromLabEnv: 'PROCLAB_NO_SUCH_VARIABLE' }])), (err: { problems?: unknown }) => {
      assert.deepEqual(err.problems, [{ path: 'secrets[0].fromLabEnv', message: "the lab's environment has no PROCLAB_NO_SUCH_VARIABLE" }]);
      return true;
    });
  });

  test('from the store, through the service: the child gets it, the profile file and the probe report do not', async (t) => {
    const home = scratchDir(t);
    const service = await LabService.open({ profilesDir: path.join(home, 'profiles') });
    t.after(() => service.dispose());
    const log = new UpdateLog();
    service.onRunUpdate(log.listener);
    assert.deepEqual(await service.setSecret('tok', SECRET), { ok: true });
    assert.deepEqual(await service.listSecretKeys(), ['tok']);
    const profile = checks([{ name: 'TOKEN', fromStore: 'tok' }]);

    const done = await log.done(runIdOf(await service.launch(profile)));
    assert.equal(done.result.output['1'], MATCH);

    const saved = await service.saveProfile({ profile });
    assert.ok(saved.ok, JSON.stringify(saved));
    const files = (await service.listProfiles()).filter((e) => e.profile?.name === 'secret user');
    assert.equal(files.length, 1);
    const text = readFileSync(path.join(home, 'profiles', files[0]!.file), 'utf8');
    assert.ok(!text.includes(SECRET) && text.includes('"fromStore": "tok"'), text);

    const probed = await log.done(runIdOf(await service.launch({ ...profile, path: PROBE, args: ['probe'] }, { probe: true })));
    assert.deepEqual(probed.probeReport!.env.filter((e) => e.startsWith('TOKEN=')), ['TOKEN=••••••']);
    assert.ok(!JSON.stringify(probed).includes(SECRET));

    const warned = await service.validate(checks([{ name: 'TOKEN', fromStore: 'nope' }, { name: 'OTHER', fromLabEnv: 'PROCLAB_NO_SUCH_VARIABLE' }]));
    assert.deepEqual(warned.warnings.filter((w) => w.path.startsWith('secrets')), [
      { path: 'secrets[0].fromStore', message: "nope: the lab's secret store has no such key" },
      { path: 'secrets[1].fromLabEnv', message: "the lab's environment has no PROCLAB_NO_SUCH_VARIABLE" },
    ]);
    const missing = await service.launch(checks([{ name: 'TOKEN', fromStore: 'nope' }]));
    assert.deepEqual(missing, { ok: false, errors: [{ path: 'secrets[0].fromStore', message: "nope: the lab's secret store has no such key" }] });
  });
});
