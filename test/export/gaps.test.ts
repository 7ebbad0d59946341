// What a target cannot express is said twice: in the returned gaps and as a comment at the
// launch in the code. Never silently dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EXPORT_LANGS, exportCode, type ExportLang } from '../../src/shared/export/index';
import { ProfileSchema, type Profile } from '../../src/shared/profile';

const profile = (extra: Partial<Profile>) =>
  ProfileSchema.parse({ version: 1, name: 'gaps', path: '/bin/true', args: ['/bin/true'], files: [{ type: 'null' }, { type: 'null' }, { type: 'null' }], ...extra });

// For each target, something it cannot express, and the field its gap names.
const CANNOT: Record<ExportLang, { extra: Partial<Profile>; field: string; says: RegExp }> = {
  go: { extra: { sys: { rlimits: { NOFILE: { soft: 64, hard: 64 } } } }, field: 'sys.rlimits', says: /prlimit/ },
  'go-syscall': { extra: { sys: { cgroup: '/sys/fs/cgroup/lab' } }, field: 'sys.cgroup', says: /Go 1\.20/ },
  python: { extra: { sys: { ambientCaps: ['CAP_NET_BIND_SERVICE'] } }, field: 'sys.ambientCaps', says: /python export does not set this/ },
  node: { extra: { sys: { umask: '027' } }, field: 'sys.umask', says: /no umask/ },
  rust: { extra: { timeoutMs: 500 }, field: 'timeoutMs', says: /no timeout/ },
  c: { extra: { sys: { ptrace: true } }, field: 'sys.ptrace', says: /tracer/ },
  shell: { extra: { sys: { setpgid: true } }, field: 'sys.setpgid', says: /process group/ },
};

for (const lang of EXPORT_LANGS) {
  test(`${lang}: a field it cannot express is a gap and a comment at the launch`, () => {
    const { extra, field, says } = CANNOT[lang];
    const out = exportCode(profile(extra), lang);
    const gap = out.gaps.find((g) => g.field === field);
    assert.ok(gap, `no gap for ${field}: ${JSON.stringify(out.gaps)}`);
    assert.match(gap.text, says);
    assert.ok(out.code.includes(`NOT EXPORTED ${field}: ${gap.text}`), 'the gap is a comment in the code');
    // And without that field, no gap at all.
    assert.deepEqual(exportCode(profile({}), lang).gaps, []);
  });
}

test('secrets are never exported, in any target: a gap says to set them', () => {
  const p = profile({ secrets: [{ name: 'TOKEN', fromStore: 'api-token' }] });
  for (const lang of EXPORT_LANGS) {
    const out = exportCode(p, lang);
    assert.deepEqual(out.gaps.map((g) => g.field), ['secrets'], lang);
    assert.ok(!out.code.includes('TOKEN='), `${lang} code names no secret value`);
  }
});

test('bytes that are not UTF-8 stay exact where the language has bytes, and are a gap in Node', () => {
  const p = profile({ args: ['/bin/true', { hex: 'ff41' }] });
  assert.match(exportCode(p, 'go').code, /"\\xffA"/);
  assert.match(exportCode(p, 'python').code, /b"\\xffA"/);
  assert.match(exportCode(p, 'c').code, /"\\377A"/);
  assert.match(exportCode(p, 'shell').code, /printf '\\377A'/);
  assert.deepEqual(exportCode(p, 'node').gaps.map((g) => g.field), ['args']);
});
