// The profiles every export target is checked with (test/export/<target>.test.ts): each is
// exported, built, run with the probe in the program's place, and what its child got is
// compared with the lab's own launch of the same profile (verifyExport). A target lists the
// fields its gaps make differ, per case; every other field must be the same.
import assert from 'node:assert/strict';
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { verifyExport, type ExportLang } from '../../src/main/lab/index';
import type { ExportVerification, ProbeReport } from '../../src/shared/api';
import type { Profile } from '../../src/shared/profile';
import { isRoot } from './probe';

export const CASE_NAMES = ['session leader', 'own process group', 'credential drop', 'pipes and a closed slot', 'swap of 1 and 2', 'exact environment', 'working directory', 'extra fds from files', 'an fd of the lab\'s own', 'new namespaces'] as const;
export type CaseName = (typeof CASE_NAMES)[number];

interface Case {
  profile: Profile;
  rootOnly?: boolean;
  /** What the user would see in the exported program's child, beyond its agreeing with the lab's. */
  check: (got: ProbeReport) => void;
}

const base = (name: string, extra: Partial<Profile>): Profile => ({
  version: 1,
  name,
  path: '/bin/true',
  // Words a shell would split, expand or unquote: each must reach the child as it is.
  args: ['/bin/true', 'one', '-two', "it's", 'a  b', '$HOME', 'tab\there', '"q"'],
  env: ['PATH=/usr/bin:/bin'],
  files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }],
  ...extra,
});

const target = (got: ProbeReport, fd: number) => got.fds.find((f) => f.fd === fd);

function cases(dir: string, held: number): Record<CaseName, Case> {
  const input = path.join(dir, 'input.txt');
  writeFileSync(input, 'data\n');
  return {
    'session leader': { profile: base('setsid', { sys: { setsid: true } }), check: (got) => assert.equal(got.sid, got.pid) },
    'own process group': { profile: base('setpgid', { sys: { setpgid: true } }), check: (got) => assert.equal(got.pgid, got.pid) },
    'credential drop': {
      rootOnly: true,
      profile: base('credential', { sys: { credential: { uid: 65534, gid: 65534, groups: [1, 2] } } }),
      check: (got) => assert.deepEqual([got.uid, got.euid, got.gid, got.egid], [65534, 65534, 65534, 65534]),
    },
    'pipes and a closed slot': {
      profile: base('pipes', { files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }, { type: 'closed' }, { type: 'file', path: input, mode: 'r' }] }),
      check: (got) => {
        assert.equal(target(got, 3), undefined, 'fd 3 is closed');
        assert.equal(target(got, 4)?.target, input);
      },
    },
    'swap of 1 and 2': {
      profile: base('swap', { files: [{ type: 'null' }, { type: 'inherit', fd: 2 }, { type: 'inherit', fd: 1 }, { type: 'closed' }, { type: 'file', path: input, mode: 'r' }] }),
      check: (got) => {
        // The files of this test process's own fds 2 and 1, in that order.
        assert.deepEqual([target(got, 1)?.ino, target(got, 2)?.ino], [fstatSync(2).ino, fstatSync(1).ino]);
        assert.equal(target(got, 3), undefined);
      },
    },
    'exact environment': {
      profile: base('env', { env: ['PATH=/usr/bin:/bin', 'LANG=C', 'SPACED=a b  c', "QUOTE=it's \"so\"", 'EMPTY='] }),
      check: (got) => assert.deepEqual([...got.env].sort(), ['EMPTY=', 'LANG=C', 'PATH=/usr/bin:/bin', "QUOTE=it's \"so\"", 'SPACED=a b  c']),
    },
    'working directory': { profile: base('dir', { dir: dir }), check: (got) => assert.equal(got.cwd, dir) },
    'extra fds from files': {
      profile: base('extra fds', {
        files: [
          { type: 'null' }, { type: 'null' }, { type: 'null' },
          { type: 'file', path: input, mode: 'r' },
          { type: 'file', path: path.join(dir, 'written.txt'), mode: 'w', create: true, truncate: true },
          { type: 'file', path: path.join(dir, 'log.txt'), mode: 'a', create: true },
        ],
      }),
      check: (got) => assert.deepEqual([3, 4, 5].map((fd) => [target(got, fd)?.access, target(got, fd)?.append]), [['r', false], ['w', false], ['w', true]]),
    },
    // Passed through the exported program under its number (verifyExport does so), as the lab passes its own.
    "an fd of the lab's own": {
      profile: base('inherited', { files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }, { type: 'inherit', fd: held }, { type: 'inherit', fd: held }] }),
      check: (got) => assert.deepEqual([target(got, 3)?.target, target(got, 4)?.target], [input, input]),
    },
    'new namespaces': {
      rootOnly: true,
      profile: base('namespaces', { sys: { cloneflags: ['CLONE_NEWUTS', 'CLONE_NEWNS'] } }),
      check: (got) => assert.ok(got.namespaces.uts !== null && got.namespaces.mnt !== null),
    },
  };
}

/** In a case's expected fields: the number of the fd the test holds open for "an fd of the lab's own". */
export const HELD_FD = 'fds.<held>';

/** The fields and gap of a target that cannot make namespaces (no clone flags, no unshare). */
export const NO_NAMESPACES = { fields: ['namespaces.mnt', 'namespaces.uts'], gaps: ['sys.cloneflags'] };

/**
 * One describe() per target: every case verified. `differs` lists, per case, the fields the
 * target's gaps make differ (and the gap fields it must report for them); nothing else may.
 */
export function exportCases(lang: ExportLang, differs: Partial<Record<CaseName, { fields: string[]; gaps: string[] }>> = {}): void {
  describe(`export --to ${lang}, verified against the lab's own launch`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proclab-export-test-'));
    // One Go build cache for the file: the first build fills it, the rest reuse it.
    const goCache = path.join(dir, 'gocache');
    after(() => rmSync(dir, { recursive: true, force: true }));
    // Opened before the cases are written: "an fd of the lab's own" passes it on.
    const heldFd = openSync(path.join(dir, 'input.txt'), 'w+', 0o600);
    after(() => closeSync(heldFd));
    const all = cases(dir, heldFd);
    for (const name of CASE_NAMES) {
      const c = all[name];
      test(name, { skip: c.rootOnly && !isRoot ? `needs root: ${name}` : false, timeout: 60_000 }, async () => {
        const v: ExportVerification = await verifyExport(c.profile, lang, { goCache });
        assert.ok(v.toolchain.found, `the ${lang} toolchain is missing here: ${JSON.stringify(v.toolchain)}`);
        assert.equal(v.failure, undefined, `${v.failure?.stage} failed: ${v.failure?.output}`);
        assert.ok(v.observedByExport && v.observedByLab, 'both children reported');
        const expected = differs[name] ?? { fields: [], gaps: [] };
        const fields = expected.fields.map((f) => (f === HELD_FD ? `fds.${heldFd}` : f));
        assert.deepEqual(v.differences.map((d) => d.field), fields, JSON.stringify(v.differences, null, 1));
        assert.deepEqual(v.gaps.map((g) => g.field), expected.gaps);
        assert.equal(v.same, fields.length === 0);
        // The lab does what was asked; so does the export, unless its gaps say otherwise.
        c.check(v.observedByLab);
        if (fields.length === 0) c.check(v.observedByExport);
      });
    }
  });
}
