// A profile launched again reuses the spec the engine read the first time (prepared-spec.ts,
// issue 17). What a launch resolves anew each time must still reach the child as it is then:
// the lab's environment under inheritEnv, and where a program name is found in PATH.
// Run: node --import tsx --test test/engine/prepared-spec.test.ts
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { launch } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import { scratchDir } from '../support/probe';

const CAPTURE: Profile['files'] = [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }];

async function stdout(profile: Profile): Promise<string> {
  const result = await launch(profile).result;
  assert.deepEqual(result.status, { kind: 'exited', code: 0 }, JSON.stringify(result.execError));
  return result.output['1']!;
}

test('inheritEnv: each launch of the same profile gets the lab’s environment as it is then', async () => {
  const profile = (): Profile => ({ version: 1, name: 'env', path: '/bin/sh', args: ['sh', '-c', 'echo "$PROCLAB_PREPARED"'], inheritEnv: true, files: CAPTURE });
  try {
    const seen: string[] = [];
    for (const value of ['first', 'second', 'second', 'third']) {
      process.env.PROCLAB_PREPARED = value;
      seen.push((await stdout(profile())).trim());
    }
    assert.deepEqual(seen, ['first', 'second', 'second', 'third']);
  } finally {
    delete process.env.PROCLAB_PREPARED;
  }
});

test('a program name: each launch runs what PATH finds then', async (t) => {
  const early = scratchDir(t);
  const late = scratchDir(t);
  const script = (dir: string) => {
    writeFileSync(path.join(dir, 'proclab-which'), `#!/bin/sh\necho ${dir}\n`);
    chmodSync(path.join(dir, 'proclab-which'), 0o755);
  };
  const profile = (): Profile => ({ version: 1, name: 'which', path: 'proclab-which', args: ['proclab-which'], env: [`PATH=${early}:${late}`], files: CAPTURE });
  script(late);
  assert.equal((await stdout(profile())).trim(), late);
  script(early);
  assert.equal((await stdout(profile())).trim(), early, 'the name found earlier in PATH now');
});

test('two profiles launched in turn each run as themselves', async () => {
  const echo = (word: string): Profile => ({ version: 1, name: word, path: '/bin/echo', args: ['echo', word], files: CAPTURE });
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) seen.push((await stdout(echo(i % 2 ? 'odd' : 'even'))).trim());
  assert.deepEqual(seen, ['even', 'odd', 'even', 'odd', 'even', 'odd']);
});

test('each run has a plan of its own: the same plan again is equal, not shared; another plan is its own', async () => {
  const profile = (): Profile => ({ version: 1, name: 'plan', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }] });
  const first = await launch(profile()).result;
  const expected = JSON.stringify(first.plan);
  first.plan[0]!.call = 'changed by the caller';
  first.plan[0]!.args?.push(99);
  const second = await launch(profile()).result;
  assert.equal(JSON.stringify(second.plan), expected, 'what a caller does to one result is not in the next');
  assert.notEqual(second.plan, first.plan);
  const other = await launch({ ...profile(), files: [{ type: 'closed' }, { type: 'null' }, { type: 'null' }] }).result;
  assert.notEqual(JSON.stringify(other.plan), expected);
  assert.ok(other.plan.some((op) => op.op === 'close' && op.args?.[0] === 0), JSON.stringify(other.plan));
});
