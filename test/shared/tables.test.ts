// The errno, signal and step tables.
// Run: node --import tsx --test test/shared/tables.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeErrno,
  describeSignal,
  ERRNOS,
  errnoByCode,
  errnoByNumber,
  isStepName,
  SIGNALS,
  signalByName,
  signalByNumber,
  STEP_DESCRIPTIONS,
  STEPS,
} from '../../src/shared';
import { ALL_FIELDS } from '../../src/shared/fields';
import { LAB_STEP_DESCRIPTIONS } from '../../src/shared/steps';

describe('errno', () => {
  test('covers 1..133 except the unused 41 and 58, once each', () => {
    const numbers = ERRNOS.map((e) => e.number);
    const expected = Array.from({ length: 133 }, (_, i) => i + 1).filter((n) => n !== 41 && n !== 58);
    assert.deepEqual(numbers, expected);
    assert.equal(new Set(ERRNOS.map((e) => e.code)).size, ERRNOS.length);
  });

  test('by number, with glibc messages and the kernel names', () => {
    assert.deepEqual(errnoByNumber(2), { number: 2, code: 'ENOENT', message: 'No such file or directory' });
    assert.deepEqual(errnoByNumber(25), { number: 25, code: 'ENOTTY', message: 'Inappropriate ioctl for device' });
    assert.equal(errnoByNumber(35)?.code, 'EDEADLK');
    assert.equal(errnoByNumber(95)?.code, 'EOPNOTSUPP');
    assert.deepEqual(errnoByNumber(133), { number: 133, code: 'EHWPOISON', message: 'Memory page has hardware error' });
    assert.equal(errnoByNumber(41), undefined);
  });

  test('by code, in any case and through the aliases', () => {
    assert.equal(errnoByCode('EPERM')?.number, 1);
    assert.equal(errnoByCode('eacces')?.number, 13);
    assert.equal(errnoByCode('EWOULDBLOCK')?.number, 11);
    assert.equal(errnoByCode('ENOTSUP')?.number, 95);
    assert.equal(errnoByCode('EDEADLOCK')?.number, 35);
    assert.equal(errnoByCode('ENOPE'), undefined);
  });

  test('describeErrno falls back for unknown numbers', () => {
    assert.deepEqual(describeErrno(13), { number: 13, code: 'EACCES', message: 'Permission denied' });
    assert.deepEqual(describeErrno(41), { number: 41, code: 'errno 41', message: 'Unknown error 41' });
    assert.deepEqual(describeErrno(4000), { number: 4000, code: 'errno 4000', message: 'Unknown error 4000' });
  });
});

describe('signals', () => {
  test('1..31 and 34..64, named as kill -l prints them', () => {
    const expected = [
      ...Array.from({ length: 31 }, (_, i) => i + 1),
      ...Array.from({ length: 31 }, (_, i) => i + 34),
    ];
    assert.deepEqual(SIGNALS.map((s) => s.number), expected);
    const names = Object.fromEntries(SIGNALS.map((s) => [s.number, s.name]));
    assert.deepEqual(
      [6, 7, 10, 12, 16, 17, 29, 30, 31, 34, 35, 49, 50, 63, 64].map((n) => names[n]),
      ['SIGABRT', 'SIGBUS', 'SIGUSR1', 'SIGUSR2', 'SIGSTKFLT', 'SIGCHLD', 'SIGIO', 'SIGPWR', 'SIGSYS',
        'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+15', 'SIGRTMAX-14', 'SIGRTMAX-1', 'SIGRTMAX'],
    );
  });

  test('descriptions as strsignal', () => {
    assert.deepEqual(signalByNumber(15), { number: 15, name: 'SIGTERM', description: 'Terminated' });
    assert.equal(signalByNumber(11)?.description, 'Segmentation fault');
    assert.equal(signalByNumber(34)?.description, 'Real-time signal 0');
    assert.equal(signalByNumber(32), undefined);
  });

  test('by name: with or without SIG, in any case', () => {
    for (const name of ['TERM', 'SIGTERM', 'sigterm', 'term']) assert.equal(signalByName(name)?.number, 15, name);
    assert.equal(signalByName('RTMIN+3')?.number, 37);
    assert.equal(signalByName('SIGRTMAX')?.number, 64);
    assert.equal(signalByName('SIGPOLL')?.number, 29);
    assert.equal(signalByName('IOT')?.number, 6);
    assert.equal(signalByName('SIGNOPE'), undefined);
  });

  test('describeSignal falls back to SIG<n>', () => {
    assert.equal(describeSignal(9).name, 'SIGKILL');
    assert.deepEqual(describeSignal(32), { number: 32, name: 'SIG32', description: 'Unknown signal 32' });
  });
});

describe('steps', () => {
  test('every step has a description and nothing else does', () => {
    assert.deepEqual(Object.keys(STEP_DESCRIPTIONS).sort(), [...STEPS].sort());
    for (const step of STEPS) assert.ok(STEP_DESCRIPTIONS[step].length > 20, step);
  });

  test('each step is described in one place: by the lab, or by the one field that asks for it', () => {
    const sources = [LAB_STEP_DESCRIPTIONS, ...ALL_FIELDS.map((f) => f.field.steps ?? {})];
    for (const step of STEPS) assert.equal(sources.filter((s) => Object.hasOwn(s, step)).length, 1, step);
  });

  test('isStepName', () => {
    assert.equal(isStepName('setsid'), true);
    assert.equal(isStepName('fork'), false);
    assert.equal(isStepName(3), false);
  });
});
