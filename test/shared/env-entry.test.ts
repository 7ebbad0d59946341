// The builder's environment rows and the profile's "KEY=VALUE" entries: a row goes back as
// the entry that splits into the same name and value, or stays the row when none does.
// Run: node --import tsx --test test/shared/env-entry.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { envEntryOfRow, splitEnvEntry } from '../../src/shared/env-entry';

test('a row and its entry: the entry splits back into the same name and value', () => {
  for (const row of [
    { name: 'LANG', value: 'C' },
    { name: 'URL', value: 'a=b=c' },
    { name: 'EMPTY', value: '' },
    { name: '', value: 'no name yet' },
  ]) {
    const entry = envEntryOfRow(row);
    assert.equal(typeof entry, 'string');
    assert.deepEqual(splitEnvEntry(entry as string), row);
  }
  assert.equal(envEntryOfRow({ name: '', value: '' }), '', 'a row not filled in yet');
});

test('a name with "=" has no entry: the row comes back as typed, nothing moved to the value', () => {
  assert.deepEqual(envEntryOfRow({ name: 'LANG=X', value: 'C' }), { name: 'LANG=X', value: 'C' });
  assert.deepEqual(envEntryOfRow({ name: '=X', value: '' }), { name: '=X', value: '' });
});
