// Bytes, not just text (contract 1c): a program path, an argument, an environment entry,
// dir, a file path and stdin given as { "hex": ... } reach the child exactly, bytes that
// are not UTF-8 included, and plans and results show those bytes as \xNN escapes.
// Run: node --import tsx --test test/engine/bytes.test.ts
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { launch, plan } from '../../src/main/lab/index';
import type { ProbeReport } from '../../src/shared/api';
import { showBytes } from '../../src/shared/bytes';
import { checkProfile } from '../../src/shared/validate';
import { PROBE, probe, probeProfile, scratchDir } from '../support/probe';

const hex = (bytes: Buffer | string) => ({ hex: Buffer.from(bytes).toString('hex') });
// Latin-1 "café" (0xe9 alone is not UTF-8) and a UTF-8 "é" beside it.
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

describe('bytes that are not UTF-8', () => {
  test('shown with \\xNN escapes where they are not UTF-8, as text where they are', () => {
    assert.equal(showBytes(hex(LATIN1)), 'caf\\xe9');
    assert.equal(showBytes(hex(Buffer.from('é\u{1F600}'))), 'é\u{1F600}');
    // An overlong "/" and a lone continuation byte are not UTF-8.
    assert.equal(showBytes({ hex: 'c0af80' }), '\\xc0\\xaf\\x80');
  });

  test('an argument, an environment entry and a directory reach the child exactly', async (t) => {
    const dir = scratchDir(t);
    const odd = path.join(dir, LATIN1.toString('latin1'));
    mkdirSync(Buffer.concat([Buffer.from(`${dir}/`), LATIN1]));
    const { report, result } = await probe(
      probeProfile({
        args: ['proclab_probe', hex(LATIN1)],
        env: ['A=plain', hex(Buffer.concat([Buffer.from('B='), LATIN1]))],
        dir: hex(Buffer.concat([Buffer.from(`${dir}/`), LATIN1])),
      }),
    );
    // The probe writes a byte that is not UTF-8 as \xNN, as the lab shows it.
    assert.deepEqual((report as ProbeReport).argv, ['proclab_probe', 'caf\\xe9']);
    assert.ok(report.env.includes('B=caf\\xe9'), report.env.join());
    assert.equal(report.cwd, `${path.dirname(odd)}/caf\\xe9`);
    const chdir = result.plan.find((op) => op.step === 'chdir');
    assert.equal(chdir?.call, `chdir("${dir}/caf\\xe9")`);
    assert.match(result.plan.find((op) => op.step === 'execve')!.call, /\["proclab_probe", "caf\\xe9"\]/);
  });

  test('a program path and a file path given as bytes', async (t) => {
    const dir = scratchDir(t);
    const program = Buffer.concat([Buffer.from(`${dir}/probe-`), LATIN1]);
    copyFileSync(PROBE, program);
    const out = Buffer.concat([Buffer.from(`${dir}/out-`), LATIN1]);
    const result = await launch({
      version: 1,
      name: 'bytes',
      path: hex(program),
      args: ['probe', '--say', '3:written'],
      files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'file', path: hex(out), mode: 'w', create: true }],
    }).result;
    assert.equal(result.execError, null, JSON.stringify(result.execError));
    assert.equal(result.path, `${dir}/probe-caf\\xe9`);
    assert.equal(readFileSync(out, 'utf8'), 'written\n');
  });

  test('stdin as bytes reaches the pipe exactly, NUL and 0xff included', async () => {
    const result = await launch({
      version: 1,
      name: 'od',
      path: '/usr/bin/od',
      args: ['od', '-An', '-tx1'],
      files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }],
      stdin: { hex: '00ff0a41' },
    }).result;
    assert.equal(result.output['1']?.trim(), '00 ff 0a 41');
  });

  test('bad bytes are refused at their field', () => {
    const errors = (p: object) => checkProfile({ version: 1, name: 'x', path: '/bin/true', args: ['true'], ...p }, { isRoot: true, uid: 0, gid: 0, execCause: () => null, hostFd: () => ({ open: true, terminal: false }) }).errors;
    assert.deepEqual(errors({ args: ['true', { hex: 'abc' }] }), [{ path: 'args[1].hex', message: 'expected hex digits, two per byte' }]);
    assert.deepEqual(errors({ args: ['true', { hex: '610062' }] }), [{ path: 'args[1]', message: 'must not contain a NUL byte' }]);
    assert.deepEqual(errors({ path: { hex: '' } }), [{ path: 'path', message: 'must not be empty' }]);
    assert.deepEqual(errors({ env: [{ hex: '3d78' }] }), [{ path: 'env[0]', message: 'expected KEY=VALUE: the name before "=" is empty' }]);
    assert.deepEqual(errors({ dir: 5 }), [{ path: 'dir', message: 'expected a string, or {"hex": "..."} for bytes that are not UTF-8' }]);
  });

  test('the plan shows the bytes escaped, before any launch', () => {
    const planned = plan(probeProfile({ args: ['p', hex(LATIN1)] }));
    assert.match(planned.plan.at(-1)!.call, /\["p", "caf\\xe9"\]/);
  });
});
