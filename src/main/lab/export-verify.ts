// `proclab export --verify`: builds the exported program where its toolchain exists, runs it
// with the probe in the program's place (same setup, argv[0] kept), runs the same profile
// with the lab itself, and compares what the two children got, field by field.
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

import type { ExportVerification, ProbeReport } from '../../shared/api';
import { showBytes } from '../../shared/bytes';
import { exportCode, type ExportLang } from '../../shared/export/index';
import { compareReports } from '../../shared/probe-diff';
import { ProfileSchema, type NormalizedProfile } from '../../shared/profile';
import type { WaitStatus } from '../../shared/result';
import { labNamespaceIds } from './namespaces';

/** What builds or runs each target: the tool, what to install when it is missing, and how. */
interface Toolchain {
  tool: string;
  install: string;
  /** The command that builds `file` into `out`; none for an interpreter. */
  build?: (tool: string, file: string, out: string) => string[];
  /** The command that runs it. */
  run: (tool: string, file: string, out: string) => string[];
  /** The tool behind a launcher (pyenv's python3 is a shell script that adds to the environment). */
  resolve?: (tool: string) => string[];
}

const GO: Toolchain = {
  tool: 'go',
  install: 'Go 1.19 or newer (Debian: apt-get install golang-go)',
  build: (go, file, out) => [go, 'build', '-o', out, file],
  run: (_go, _file, out) => [out],
};

const TOOLCHAINS: Record<ExportLang, Toolchain> = {
  go: GO,
  'go-syscall': GO,
  rust: { tool: 'rustc', install: 'Rust 1.87 or newer (rustup.rs; Debian: apt-get install rustc)', build: (rustc, file, out) => [rustc, '-o', out, file], run: (_r, _f, out) => [out] },
  c: { tool: 'cc', install: 'a C compiler (Debian: apt-get install gcc)', build: (cc, file, out) => [cc, '-o', out, file], run: (_c, _f, out) => [out] },
  python: {
    tool: 'python3',
    install: 'Python 3.11 or newer (Debian: apt-get install python3)',
    run: (python, file) => [python, file],
    resolve: (python) => [python, '-c', 'import sys; print(sys.executable)'],
  },
  node: { tool: process.execPath, install: 'Node.js', run: (node, file) => [node, file] },
  shell: { tool: 'sh', install: 'a POSIX sh, with util-linux and coreutils for the wrappers', run: (_sh, file) => [shebangOf(file), file] },
};

// Besides PATH: where rustup and Go's own tarball install.
const EXTRA_DIRS = [path.join(homedir(), '.cargo', 'bin'), '/usr/local/go/bin', '/usr/lib/go/bin'];

/** A tool by its name in PATH (and the usual install folders), or null. */
function findTool(name: string): string | null {
  if (name.includes('/')) return name;
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...EXTRA_DIRS]) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const shebangOf = (file: string) => /^#!(\S+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '/bin/sh';

function command(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { ...options, timeout: 300_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}${err && !stderr ? String(err.message) : ''}`.trim() });
    });
  });
}

/** The tool itself, where a launcher stands in its place; the launcher when it cannot say. */
async function resolved(chain: Toolchain, tool: string | null): Promise<string | null> {
  if (!tool || !chain.resolve) return tool;
  const asked = await command(chain.resolve(tool), { cwd: tmpdir(), env: process.env });
  const real = asked.output.split('\n')[0] ?? '';
  return asked.ok && real.startsWith('/') ? real : tool;
}

export interface VerifyOptions {
  /** Go's build cache (GOCACHE); Go's own default when absent. */
  goCache?: string;
  /** Launches a profile with the lab and resolves when it has ended: the library's launch, given by index.ts. */
  launchAndWait: (profile: NormalizedProfile) => Promise<{ status: WaitStatus | null; output: Record<string, string> }>;
  /** The probe program. */
  probe: string;
}

/** The profile with the probe in the program's place, writing its report to `report`; argv[0] kept (the probe's path where it named the program). */
export function withProbe(p: NormalizedProfile, probe: string, report: string): NormalizedProfile {
  const [argv0, ...rest] = p.args;
  const first = argv0 === undefined || showBytes(argv0) === showBytes(p.path) ? probe : argv0;
  return { ...p, path: probe, args: [first, '--out-file', report, '--', ...rest] };
}

function readReport(file: string): ProbeReport | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
  } catch {
    return null;
  }
}

/** Notes on what this check leaves out, for the profile at hand. */
function notesFor(p: NormalizedProfile): string[] {
  const notes: string[] = [];
  if (!showBytes(p.path).includes('/')) notes.push('the PATH lookup of a program name is not part of this check: the probe runs by its full path');
  if (p.inheritEnv) notes.push("inheritEnv: the exported program passes on its own environment, which its interpreter or launcher may have changed (a pyenv shim adds PYENV_*), where the lab passes on the lab's");
  if (p.sys.ptrace) notes.push("ptrace: the lab's own launch is let go at its exec stop, as `proclab run` does, so neither child is traced when the probe looks");
  if (p.secrets.length > 0) notes.push('secrets are left out of both launches: their values are never exported');
  return notes;
}

export async function verifyExport(p: NormalizedProfile, lang: ExportLang, options: VerifyOptions): Promise<ExportVerification> {
  const chain = TOOLCHAINS[lang];
  const base = { lang, observedByExport: null, observedByLab: null, differences: [], same: false as const };
  const tool = await resolved(chain, findTool(chain.tool));
  const exported = exportCode({ ...p, secrets: [] }, lang);
  if (!tool) return { ...base, toolchain: { found: false, missing: chain.tool, install: chain.install }, built: false, gaps: exported.gaps, notes: [] };
  const toolchain = { found: true as const, tools: [tool] };
  if (p.sys.chroot) {
    return { ...base, toolchain, built: false, gaps: exported.gaps, notes: ['a chroot profile is not verified: the probe and its report would have to be inside the new root'] };
  }
  // Private folders: the code and its build (ours alone); the probe's (ours, which a child
  // that dropped its credential may only pass through, 0711, to run the probe), and in it
  // the reports' (the child's user's own when it drops to one: the probe writes there).
  const work = mkdtempSync(path.join(tmpdir(), 'proclab-export-'));
  const shared = mkdtempSync(path.join(tmpdir(), 'proclab-verify-'));
  try {
    const cred = p.sys.credential;
    const reports = path.join(shared, 'reports');
    mkdirSync(reports, { mode: 0o700 });
    if (cred) {
      chmodSync(shared, 0o711);
      chownSync(reports, cred.uid, cred.gid);
    }
    const probe = path.join(shared, 'proclab_probe');
    copyFileSync(options.probe, probe, constants.COPYFILE_EXCL);
    const byExport = path.join(reports, 'export.json');
    const byLab = path.join(reports, 'lab.json');
    const code = exportCode(withProbe({ ...p, secrets: [] }, probe, byExport), lang);
    const file = path.join(work, code.fileName);
    writeFileSync(file, code.code, { mode: 0o600, flag: 'wx' });
    const out = path.join(work, 'launch');
    const env = { ...process.env, ...(options.goCache && { GOCACHE: options.goCache }) };
    if (chain.build) {
      const built = await command(chain.build(tool, file, out), { cwd: work, env });
      if (!built.ok) return { ...base, toolchain, built: false, failure: { stage: 'build', output: built.output }, gaps: exported.gaps, notes: notesFor(p) };
    }
    const program = chain.run(tool, file, out);
    const run = await options.launchAndWait(exportRunner(p, program));
    const observedByExport = readReport(byExport);
    const labRun = await options.launchAndWait(withProbe(p, probe, byLab));
    const observedByLab = readReport(byLab);
    const failure = observedByExport
      ? undefined
      : { stage: 'run' as const, output: Object.values(run.output).join('').trim(), status: run.status };
    const differences = observedByExport && observedByLab ? compareReports(observedByExport, observedByLab, labNamespaceIds()) : [];
    const notes = notesFor(p);
    if (!observedByLab) notes.push(`the lab's own launch wrote no report (${JSON.stringify(labRun.status)}): nothing to compare with`);
    return {
      lang, toolchain, built: true, ...(failure && { failure }), observedByExport, observedByLab, differences, gaps: exported.gaps, notes,
      same: !!observedByExport && !!observedByLab && differences.length === 0,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(shared, { recursive: true, force: true });
  }
}

/**
 * The exported program's own launch, by the lab: the lab's environment, a pipe on 1 and 2
 * for what it prints, and every fd the profile inherits passed through under its number,
 * so that the exported program's child inherits the very files the lab's child does.
 */
function exportRunner(p: NormalizedProfile, argv: string[]): NormalizedProfile {
  const inherited = new Set(p.files.flatMap((f) => (f.type === 'inherit' ? [f.fd] : [])));
  const count = Math.max(3, ...[...inherited].map((fd) => fd + 1));
  const files = Array.from({ length: count }, (_, fd) =>
    inherited.has(fd) ? { type: 'inherit', fd } : fd === 0 ? { type: 'null' } : fd < 3 ? { type: 'pipe' } : { type: 'closed' },
  );
  return ProfileSchema.parse({ version: 1, name: 'exported program', path: argv[0], args: argv, inheritEnv: true, files, timeoutMs: 120_000 });
}
