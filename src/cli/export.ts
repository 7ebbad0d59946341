// `proclab export FILE --to LANG [--verify] [--json]`: the launch as code. What LANG cannot
// express is a comment in the code and a `gap:` line on stderr. --verify builds and runs it
// with the probe in the program's place and compares with the lab's own launch: exit 0 when
// the two children got the same, 1 when anything differs or could not be checked.
import { InvalidArgumentError, type Command } from 'commander';

import { EXPORT_LANGS, exportProfile, gapLine, verifyExport, type ExportLang, type ExportVerification } from '../main/lab/index';
import { isExportLang } from '../shared/export/common';
import { differenceLine } from '../shared/probe-diff';
import { loadProfile, reportInvalid } from './profile-input';

interface ExportOptions {
  to: ExportLang;
  verify?: boolean;
  json?: boolean;
}

function lang(value: string): ExportLang {
  if (!isExportLang(value)) throw new InvalidArgumentError(`expected one of ${EXPORT_LANGS.join(', ')}`);
  return value;
}

/** The verification in words, one line each; the first says whether the two children agree. */
export function verificationLines(v: ExportVerification): string[] {
  if (!v.toolchain.found) return [`not verified: ${v.toolchain.missing} is not installed here (install ${v.toolchain.install})`];
  const lines: string[] = [];
  if (v.failure?.stage === 'build') lines.push(`not verified: the ${v.lang} code did not build:`, v.failure.output);
  else if (v.failure) lines.push(`not verified: the exported program's child wrote no report (the program ended ${JSON.stringify(v.failure.status)}):`, v.failure.output);
  else if (v.same) lines.push(`verified: the ${v.lang} program's child got the same as the lab's own launch`);
  else if (v.observedByExport && v.observedByLab) lines.push(`differs: ${v.differences.length} difference(s) between the ${v.lang} program's child and the lab's:`);
  else lines.push('not verified:');
  lines.push(...v.differences.map((d) => `  ${differenceLine(d)}`), ...v.notes.map((n) => `note: ${n}`));
  return lines;
}

async function exportCommand(file: string, options: ExportOptions): Promise<void> {
  const profile = loadProfile(file);
  let exported: ReturnType<typeof exportProfile>;
  try {
    exported = exportProfile(profile, options.to);
  } catch (err) {
    reportInvalid(err);
  }
  for (const gap of exported.gaps) console.error(`gap: ${gapLine(gap)}`);
  if (!options.verify) {
    process.stdout.write(options.json ? `${JSON.stringify(exported)}\n` : exported.code);
    return;
  }
  const verification = await verifyExport(profile, options.to);
  if (options.json) process.stdout.write(`${JSON.stringify({ ...exported, verification })}\n`);
  else console.log(verificationLines(verification).join('\n'));
  if (!verification.same) process.exitCode = 1;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .argument('<file>', 'a launch profile (JSON)')
    .requiredOption('--to <lang>', `the language: ${EXPORT_LANGS.join(', ')}`, lang)
    .option('--verify', "build and run it with the probe in the program's place, and compare with the lab's own launch")
    .option('--json', 'print one object: {lang, code, gaps, fileName} (and verification with --verify)')
    .description('the launch as code; what the language cannot express is a comment in it and a line on stderr')
    .action(exportCommand);
}
