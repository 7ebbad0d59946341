// execError.cause: each way an execve fails, built for real, and the cause the lab finds by
// looking (contract section 3): a missing program or interpreter, a #! line with Windows
// line ends, a musl binary's missing loader, no x bit, a folder the dropped uid cannot
// search, a noexec mount, a directory, a script without #!, an ELF for another machine, a
// file open for writing, a 200 KB argument, a symlink loop.
// Run: node --import tsx --test test/engine/exec-causes.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { launch, validate } from '../../src/main/lab/index';
import type { Profile } from '../../src/shared/profile';
import type { RunResult } from '../../src/shared/result';
import { isRoot, scratchDir } from '../support/probe';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/proclab.js');
const ROOT_ONLY = isRoot ? {} : { skip: 'needs root' };

const profile = (program: string, overrides: Partial<Profile> = {}): Profile => ({
  version: 1,
  name: 'cause',
  path: program,
  args: [path.basename(program)],
  env: ['PATH=/usr/bin:/bin'],
  files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
  ...overrides,
});

async function cause(program: string, overrides: Partial<Profile> = {}): Promise<NonNullable<RunResult['execError']>> {
  const result = await launch(profile(program, overrides)).result;
  assert.equal(result.execError?.step, 'execve', JSON.stringify(result.execError));
  assert.ok(result.execError.cause, 'a cause');
  return result.execError;
}

function script(dir: string, name: string, text: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

describe('execError.cause', () => {
  test('program-missing', async (t) => {
    const file = path.join(scratchDir(t), 'nothing-here');
    const e = await cause(file);
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['ENOENT', 'program-missing', file]);
  });

  test('interpreter-missing: the #! line names the interpreter', async (t) => {
    const e = await cause(script(scratchDir(t), 'run.sh', '#!/usr/bin/nonexistent-interp -x\necho hi\n'));
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['ENOENT', 'interpreter-missing', '/usr/bin/nonexistent-interp']);
    assert.match(e.cause!.text, /names \/usr\/bin\/nonexistent-interp, which does not exist/);
  });

  test('interpreter-crlf: a #! line saved with Windows line ends', async (t) => {
    const e = await cause(script(scratchDir(t), 'win.sh', '#!/bin/sh\r\necho hi\r\n'));
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['ENOENT', 'interpreter-crlf', '/bin/sh']);
    assert.match(e.cause!.text, /carriage return.*dos2unix/);
  });

  test('elf-interpreter-missing: a binary linked for musl’s loader', async (t) => {
    const dir = scratchDir(t);
    const source = path.join(dir, 'hello.c');
    writeFileSync(source, 'int main(void) { return 0; }\n');
    const binary = path.join(dir, 'hello-musl');
    const cc = spawnSync('gcc', ['-o', binary, source, '-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1'], { encoding: 'utf8' });
    if (cc.error || cc.status !== 0) return t.skip(`no gcc to build the binary: ${cc.stderr ?? cc.error?.message}`);
    const e = await cause(binary);
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['ENOENT', 'elf-interpreter-missing', '/lib/ld-musl-x86_64.so.1']);
  });

  test('not-executable: mode 0644', async (t) => {
    const e = await cause(script(scratchDir(t), 'plain', '#!/bin/sh\n', 0o644));
    assert.deepEqual([e.code, e.cause?.code], ['EACCES', 'not-executable']);
    assert.match(e.cause!.text, /mode 0644/);
  });

  test('dir-not-searchable: a 0700 folder and the child dropped to uid 65534', ROOT_ONLY, async (t) => {
    const dir = scratchDir(t);
    chmodSync(dir, 0o755);
    const folder = path.join(dir, 'private');
    mkdirSync(folder, { mode: 0o700 });
    copyFileSync('/bin/true', path.join(folder, 'true'));
    chmodSync(path.join(folder, 'true'), 0o755);
    const e = await cause(path.join(folder, 'true'), { sys: { credential: { uid: 65534, gid: 65534 } } });
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['EACCES', 'dir-not-searchable', folder]);
    assert.match(e.cause!.text, /uid 65534, gid 65534/);
  });

  test('noexec-mount: a tmpfs mounted noexec (in a private mount namespace)', ROOT_ONLY, (t) => {
    const dir = scratchDir(t);
    const mount = path.join(dir, 'noexec');
    mkdirSync(mount);
    const file = path.join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify(profile(path.join(mount, 'true'))));
    const r = spawnSync(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o noexec none '${mount}' && cp /bin/true '${mount}/' && '${process.execPath}' '${CLI}' run '${file}' --json`],
      { cwd: ROOT, encoding: 'utf8', timeout: 20_000 },
    );
    const result = JSON.parse(r.stdout) as RunResult;
    assert.deepEqual([result.execError?.code, result.execError?.cause?.code, result.execError?.cause?.path], ['EACCES', 'noexec-mount', mount]);
  });

  test('is-directory', async (t) => {
    const dir = scratchDir(t);
    const e = await cause(dir);
    assert.deepEqual([e.code, e.cause?.code, e.cause?.path], ['EACCES', 'is-directory', dir]);
  });

  test('no-shebang: a script without #!, which execvp would run with /bin/sh', async (t) => {
    const e = await cause(script(scratchDir(t), 'bare', 'echo hi\n'));
    assert.deepEqual([e.code, e.cause?.code], ['ENOEXEC', 'no-shebang']);
    assert.match(e.cause!.text, /execvp\(3\).*\/bin\/sh/);
  });

  test('wrong-architecture: an ELF for AArch64', async (t) => {
    const file = path.join(scratchDir(t), 'arm');
    const elf = readFileSync('/bin/true');
    elf.writeUInt16LE(process.arch === 'arm64' ? 62 : 183, 18);
    writeFileSync(file, elf, { mode: 0o755 });
    const e = await cause(file);
    assert.deepEqual([e.code, e.cause?.code], ['ENOEXEC', 'wrong-architecture']);
    assert.match(e.cause!.text, process.arch === 'arm64' ? /for x86-64 \(e_machine 62\)/ : /for AArch64 \(e_machine 183\); this machine is x86-64/);
  });

  test('text-busy: the program is open for writing, and the lab names who holds it', async (t) => {
    const file = path.join(scratchDir(t), 'busy');
    copyFileSync('/bin/true', file);
    chmodSync(file, 0o755);
    const writer = openSync(file, 'r+');
    t.after(() => closeSync(writer));
    const e = await cause(file);
    assert.deepEqual([e.code, e.cause?.code], ['ETXTBSY', 'text-busy']);
    assert.match(e.cause!.text, new RegExp(`open for writing by pid ${process.pid} \\(`));
  });

  test('arg-list-too-long: one 200 KB argument, over MAX_ARG_STRLEN', async () => {
    const e = await cause('/bin/true', { args: ['true', 'x'.repeat(200_000)] });
    assert.deepEqual([e.code, e.cause?.code], ['E2BIG', 'arg-list-too-long']);
    assert.match(e.cause!.text, /^argv\[1\] is 200,001 bytes with its NUL, over MAX_ARG_STRLEN \(131,072 bytes\)/);
  });

  test('arg-list-too-long: many strings, over a quarter of the stack limit', async () => {
    const e = await cause('/bin/true', { args: ['true', ...Array.from({ length: 100 }, () => 'y'.repeat(100_000))] });
    assert.deepEqual([e.code, e.cause?.code], ['E2BIG', 'arg-list-too-long']);
    assert.match(e.cause!.text, /^argv and envp take 10,00\d,\d{3} bytes \(102 strings/);
  });

  test('symlink-loop', async (t) => {
    const dir = scratchDir(t);
    symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const e = await cause(path.join(dir, 'a'));
    assert.deepEqual([e.code, e.cause?.code], ['ELOOP', 'symlink-loop']);
  });

  test('known before the launch: a warning at the field, with the cause and the errno to expect', async (t) => {
    const dir = scratchDir(t);
    const crlf = script(dir, 'win.sh', '#!/bin/sh\r\necho hi\r\n');
    assert.deepEqual(validate(profile(crlf)).warnings, [{ path: 'path', message: `${(await cause(crlf)).cause!.text}: expect ENOENT at execve (interpreter-crlf).` }]);
    assert.match(validate(profile(script(dir, 'plain', '#!/bin/sh\n', 0o644))).warnings[0]!.message, /no execute permission.*expect EACCES at execve \(not-executable\)/);
    assert.match(validate(profile('/bin/true', { args: ['true', 'x'.repeat(200_000)] })).warnings.map((w) => `${w.path}: ${w.message}`).join(), /^args: argv\[1\] is 200,001 bytes.*expect E2BIG/);
    const loop = path.join(dir, 'loop');
    symlinkSync(loop, loop);
    assert.deepEqual(validate(profile(loop)).warnings, [{ path: 'path', message: `${(await cause(loop)).cause!.text}: expect ELOOP at execve (symlink-loop).` }]);
    // A path through a regular file fails with ENOTDIR: not "does not exist", and no guess.
    assert.equal((await cause('/etc/passwd/x')).code, 'ENOTDIR');
    assert.deepEqual(validate(profile('/etc/passwd/x')).warnings, []);
    assert.deepEqual(validate(profile('/bin/true')).warnings, [], 'nothing to say about a program that will run');
  });

  test('inside a chroot: the program is looked for in the new root, not the lab’s', ROOT_ONLY, async (t) => {
    const jail = scratchDir(t);
    chmodSync(jail, 0o755);
    // An absolute symlink inside the jail points at /bin/true: inside the root that is the
    // jail's /bin/true, which is missing, even though the lab's /bin/true exists.
    symlinkSync('/bin/true', path.join(jail, 'escape'));
    const e = await cause('/escape', { sys: { chroot: jail } });
    assert.deepEqual([e.code, e.cause?.code], ['ENOENT', 'program-missing']);
    assert.match(e.cause!.text, new RegExp(`/escape \\(inside ${jail}\\) does not exist`));
  });
});
