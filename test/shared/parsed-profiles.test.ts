// Profiles seen a moment ago skip the schema (src/shared/parsed-profiles.ts): the outcome
// must be exactly what the schema says, whatever was seen before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseProfile } from '../../src/shared/parsed-profiles';
import { parseOrProblems } from '../../src/shared/problems';
import { ProfileSchema } from '../../src/shared/profile';

const good = () => ({ version: 1, name: 'p', path: '/bin/true', args: ['true'], files: [{ type: 'null' }, { type: 'pipe' }] });

describe('profiles parsed again', () => {
  test('the same profile again: the same normalized profile, the object seen before', () => {
    const first = parseProfile(good());
    const again = parseProfile(JSON.parse(JSON.stringify(good())));
    assert.ok(first.ok && again.ok);
    assert.deepEqual(again.value, ProfileSchema.parse(good()));
    assert.equal(again.value, first.value);
  });

  // Each differs from the good profile only where JSON text cannot show it: each must get
  // the schema's own answer, not the good profile's.
  const lookalikes: [string, () => unknown][] = [
    ['an unknown field set to undefined', () => ({ ...good(), extra: undefined })],
    ['a required field set to undefined', () => ({ ...good(), name: undefined })],
    ['a hole in an array', () => ({ ...good(), args: ['true', , 'x'] })],
    ['NaN where a number goes', () => ({ ...good(), timeoutMs: Number.NaN })],
    ['Infinity where a number goes', () => ({ ...good(), files: [{ type: 'inherit', fd: Infinity }] })],
    ['a class instance', () => Object.assign(new (class Profile {})(), good())],
    ['a toJSON method', () => ({ ...good(), toJSON: () => good() })],
  ];
  for (const [what, input] of lookalikes) {
    test(`after the good profile, ${what}: the schema's own answer`, () => {
      assert.ok(parseProfile(good()).ok);
      const expected = parseOrProblems(ProfileSchema, input());
      assert.deepEqual(parseProfile(input()), expected.ok ? { ok: true, value: expected.value } : expected);
    });
  }

  test('an invalid profile is refused every time, seen before or not', () => {
    const bad = { ...good(), files: [{ type: 'inherit' }] };
    for (let i = 0; i < 2; i++) assert.deepEqual(parseProfile(bad), { ok: false, problems: [{ path: 'files[0].fd', message: 'required' }] });
  });
});
