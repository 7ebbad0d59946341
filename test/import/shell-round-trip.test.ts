// import --shell round-trips: bash runs a line whose program is the probe, the lab launches
// the profile imported from the same line, and both children must have observed the same
// setup (environment, directory, ids, descriptors, limits, session...).
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { importShell } from '../../src/main/lab/import/import-shell';
import { observed, probeThroughBash, probeThroughLab, REPORT_FD } from '../support/import-probe';
import { isRoot, PROBE, scratchDir } from '../support/probe';

const P = `${PROBE} --report-fd ${REPORT_FD}`;

// `dir` stands for a scratch folder, with a file "in" in it.
const LINES: { line: (dir: string) => string; rootOnly?: boolean }[] = [
  { line: () => `env -i FOO=bar BAZ='two words' ${P}` },
  { line: (dir) => `cd ${dir} && ${P}` },
  { line: () => `FOO=1 BAR="a \\"b\\"" EMPTY= ${P}` },
  { line: (dir) => `FOO=1 PATH=${path.dirname(PROBE)}:/usr/bin:/bin proclab_probe --report-fd ${REPORT_FD} 3<${dir}/in` },
  { line: () => `${P} 2>&1` },
  { line: (dir) => `${P} >${dir}/out` },
  { line: (dir) => `${P} >>${dir}/out` },
  { line: (dir) => `cd ${dir} && ${P} >a 2>b 3>&1 1>&2 2>&3 3>&-` },
  { line: (dir) => `${P} 3>&- 4<${dir}/in 5<>${dir}/rw` },
  { line: () => `setsid ${P}` },
  { line: () => `exec -a renamed ${P}` },
  { line: () => `setpriv --reuid=65534 --regid=65534 --clear-groups ${P}`, rootOnly: true },
  { line: () => `prlimit --nofile=77:77 ${P}` },
  { line: () => `nice -n 5 ${P}` },
  { line: () => `taskset -c 0 ${P}` },
  { line: () => `unshare -u ${P}`, rootOnly: true },
  { line: () => `unshare -r ${P}` },
  { line: () => `unshare -f -p -m ${P}`, rootOnly: true },
  // The probe is static: it runs in a root that holds nothing else.
  { line: (dir) => `chroot ${dir} /proclab_probe --report-fd ${REPORT_FD}`, rootOnly: true },
];

for (const { line, rootOnly } of LINES) {
  const shown = line('DIR');
  test(`bash and the imported profile give the same child: ${shown.replaceAll(PROBE, 'PROBE')}`, { skip: rootOnly && !isRoot ? 'needs root (credentials, namespaces)' : false }, async (t) => {
    const dir = scratchDir(t);
    writeFileSync(path.join(dir, 'in'), 'input\n');
    copyFileSync(PROBE, path.join(dir, 'proclab_probe'));
    const text = line(dir);
    const { profile, warnings } = await importShell(text);
    assert.notEqual(profile.path, '/bin/sh', `fell back to sh -c: ${warnings.join('; ')}`);
    const byBash = await probeThroughBash(text);
    const byLab = await probeThroughLab(profile);
    assert.deepEqual(observed(byLab), observed(byBash));
    // The probe's own argv is the lab's choice; what the profile says is what bash gave it.
    assert.deepEqual(profile.args, byBash.argv);
  });
}

test('2>&1 warns that the lab captures fd 1 and fd 2 apart', async () => {
  const { warnings } = await importShell(`${P} 2>&1`);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^fds 1 and 2 share one pipe in the shell \(2>&1\); the lab captures each on a pipe of its own/);
});

test('>out 2>&1 warns that the two opens of the file have their own offsets', async () => {
  const { profile, warnings } = await importShell('prog >out 2>&1');
  assert.deepEqual(profile.files, [{ type: 'pipe' }, { type: 'file', path: 'out', mode: 'w', create: true, truncate: true }, { type: 'file', path: 'out', mode: 'w', create: true, truncate: true }]);
  assert.match(warnings.join('\n'), /fds 1 and 2 share one open file of out in the shell \(2>&1\) \(one offset\); the lab opens out once per fd, each with its own offset: writes through fd 2 can overwrite what fd 1 wrote/);
});

const FALLBACKS: [line: string, construct: RegExp][] = [
  ['ls -l | wc -l', /^runs as sh -c: a pipeline \(\|\): "ls -l \| wc -l"$/],
  ['echo $(date)', /^runs as sh -c: a command substitution \$\(\.\.\.\): "\$\(date\)"$/],
  ['for f in a b; do echo $f; done', /^runs as sh -c: a for loop: "for f in a b; do echo \$f; done"$/],
  ['cat *.txt', /^runs as sh -c: a glob pattern, which the shell expands to file names: "\*\.txt"$/],
  ['true; false', /^runs as sh -c: more than one command \(; or a newline\)$/],
  ['cat <<EOF\nx\nEOF', /^runs as sh -c: a here-document \(<<\)/],
  ['prog 4>&3', /^runs as sh -c: 4>&3: fd 3 is not open there, so bash refuses the redirection \(Bad file descriptor\)/],
];

for (const [line, construct] of FALLBACKS) {
  test(`falls back to sh -c, naming the construct: ${JSON.stringify(line)}`, async () => {
    const { profile, warnings } = await importShell(line);
    assert.equal(profile.path, '/bin/sh');
    assert.deepEqual(profile.args, ['sh', '-c', line]);
    assert.ok(warnings.some((w) => construct.test(w)), `warnings: ${JSON.stringify(warnings)}`);
  });
}
