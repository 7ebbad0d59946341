// `proclab import --shell LINE` / `--pid PID`: a profile (JSON on stdout) from a shell
// command line or a running process; each warning on stderr, one a line. Exit 0, or 2 with
// the reason (usage, a process that is gone or that /proc does not let this user read).
import { InvalidArgumentError, type Command } from 'commander';

import { importProcess, importShell } from '../main/lab/index';
import type { ImportResult } from '../shared/import';

const INVALID = 2;

function pidNumber(value: string): number {
  const pid = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(pid) || pid < 1) throw new InvalidArgumentError('expected a process id (an integer > 0)');
  return pid;
}

function fail(message: string): never {
  console.error(`proclab import: ${message}`);
  process.exit(INVALID);
}

async function importCommand(options: { shell?: string; pid?: number }): Promise<void> {
  if ((options.shell === undefined) === (options.pid === undefined)) fail('give exactly one of --shell LINE and --pid PID');
  let imported: ImportResult;
  if (options.shell !== undefined) {
    if (options.shell.trim() === '') fail('--shell: the line is empty');
    imported = await importShell(options.shell);
  }
  else {
    const outcome = importProcess(options.pid!);
    if (!outcome.ok) fail(outcome.message);
    imported = outcome;
  }
  for (const warning of imported.warnings) console.error(`warning: ${warning}`);
  process.stdout.write(`${JSON.stringify(imported.profile, null, 2)}\n`);
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('a profile (JSON on stdout) from a shell command line, or from a running process (/proc); warnings on stderr')
    .option('--shell <line>', "a shell command line: VAR=x, env, cd DIR &&, redirections and wrappers become fields; what a profile cannot say runs as sh -c")
    .option('--pid <pid>', "a running process: its argv, program, environment (as of its exec), cwd, fds and setup", pidNumber)
    .action(importCommand);
}
