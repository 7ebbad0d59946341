// Electronegativity (Doyensec's Electron security linter) over src/, for npm test and CI.
// It always exits 0, so its CSV report is read here: every HIGH or MEDIUM finding must be
// one of the explained ones below, or the check fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));

// Findings that stay, with why they are acceptable (docs/security.md says the same).
const EXPLAINED = {
  PRELOAD_JS_CHECK:
    'the preload is reviewed: it exposes only the LabApi methods by name through contextBridge, never ipcRenderer or a generic invoke (src/preload/index.ts)',
};

// The version the app is built for (the lockfile's electron), since the binary may be absent.
function electronVersion() {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  return lock.packages['node_modules/electron']?.version ?? '40.0.0';
}

// The report's rows: a small CSV reader (quoted fields may hold commas).
function rows(csv) {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => (m[2] ?? m[1]).trim()).slice(0, 8));
}

const scratch = mkdtempSync(path.join(tmpdir(), 'proclab-eneg-'));
const report = path.join(scratch, 'report.csv');
const bin = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const hook = path.join(root, 'scripts', 'electronegativity-commander.cjs');
spawnSync(process.execPath, ['--require', hook, bin, '-i', path.join(root, 'src'), '-o', report, '-r', '-e', electronVersion()], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'ignore'],
});
let findings;
try {
  findings = rows(readFileSync(report, 'utf8')).map(([check, severity, confidence, file, location]) => ({ check, severity, confidence, file, location }));
} catch {
  console.error('✖ electronegativity wrote no report');
  process.exit(1);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
const unexplained = serious.filter((f) => !EXPLAINED[f.check]);
for (const f of serious) {
  const why = EXPLAINED[f.check];
  console.log(`${why ? '  explained' : '✖ UNEXPLAINED'} ${f.severity} ${f.check} at ${f.file}:${f.location}${why ? `: ${why}` : ''}`);
}
console.log(`electronegativity: ${findings.length} findings, ${serious.length} HIGH or MEDIUM, ${unexplained.length} unexplained`);
process.exit(unexplained.length ? 1 : 0);
