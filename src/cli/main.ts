// proclab: run, plan, validate and exec launch profiles from the command line (README, "The command line").
// Exit status: 0 done (whatever the child did) · 2 invalid profile or usage · 1 internal failure
// (exec: the program's own, or 253 when a step failed: exec.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { inspectProcess } from '../main/lab/inspect';
import { launch, plan, probePath, validate } from '../main/lab/index';
import { formatInspected } from './inspect-format';
import { packageRoot } from '../main/lab/package-root';
import type { Run } from '../main/lab/run';
import { formatProblem, parseOrProblems } from '../shared/problems';
import { ProfileSchema, type Profile } from '../shared/profile';
import type { RunEvent } from '../shared/result';
import { formatOutcome, formatPlan, formatProblems } from './format';
import { forwardInput } from './forward-input';
import { sayLine } from './say';
import { isTerminal } from './terminal';
import { INVALID, loadProfile, printWarnings, reportInvalid, secretsFor } from './profile-input';
import { registerExecCommand } from './exec';
import { registerImportCommand } from './import-command';
import { registerExportCommand } from './export';
import { releaseAtExecStop } from '../main/lab/ptrace-stops';
import { registerLessonCommand } from './lesson';
import { registerServeCommand } from './serve';

// --timeout MS: the rule of the profile's timeoutMs, reported against the option.
function parseTimeout(value: string): number {
  const checked = parseOrProblems(ProfileSchema.shape.timeoutMs, Number(value));
  if (!checked.ok) throw new InvalidArgumentError(checked.problems.map(formatProblem).join('; '));
  return Number(value);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function runCommand(file: string, options: { json?: boolean; timeout?: number }): Promise<void> {
  const loaded = loadProfile(file);
  // Not an object: left as it is, for validate() to say so.
  const profile = options.timeout !== undefined && isObject(loaded) ? { ...loaded, timeoutMs: options.timeout } : loaded;
  printWarnings(profile);
  const secretValues = await secretsFor(profile);
  let run: Run;
  // Events come once the run has started, after launch() has returned.
  let answerStop: ((event: RunEvent) => void) | undefined;
  try {
    run = launch(profile, {
      ...(secretValues && { secretValues }),
      onOutput: options.json
        ? undefined
        : (key, text) => {
            if (key === '2') process.stderr.write(text);
            else if (key === '1' || key === 'pty') process.stdout.write(text);
            else process.stdout.write(`[fd ${key}] ${text}`);
          },
      onEvent: (event) => answerStop?.(event),
      // Our terminal's size, for a pty profile run in one: a program that asks at once sees it.
      ...(isTerminal(0) && process.stdout.isTTY && { terminalSize: { cols: process.stdout.columns, rows: process.stdout.rows } }),
    });
  } catch (err) {
    reportInvalid(err);
  }
  // Launched: the profile is valid.
  if ((profile as Profile).sys?.ptrace) answerStop = releaseAtExecStop(run);
  const stopForwarding = forwardInput(run, profile as Profile, { json: options.json ?? false });
  const result = await run.result;
  stopForwarding();
  if (options.json) sayLine(1, JSON.stringify(result));
  else sayLine(2, formatOutcome(result));
}

function inspectCommand(pidText: string, options: { json?: boolean }): void {
  const pid = /^\d+$/.test(pidText) ? Number(pidText) : NaN;
  const inspected = Number.isSafeInteger(pid) && pid > 0 ? inspectProcess(pid) : null;
  if (!inspected) {
    console.error(`proclab inspect: no process ${pidText}`);
    process.exit(1);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(inspected)}\n`);
  else console.log(formatInspected(inspected).join('\n'));
}

function planCommand(file: string, options: { json?: boolean }): void {
  const profile = loadProfile(file);
  let planned: ReturnType<typeof plan>;
  try {
    planned = plan(profile);
  } catch (err) {
    reportInvalid(err);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(planned)}\n`);
    return;
  }
  console.log(`program: ${planned.path ?? '(not found in PATH)'}`);
  console.log(`created by: ${planned.clone.call}${planned.clone.why ? `\n  (${planned.clone.why})` : ''}`);
  if (planned.cgroupControllers !== undefined) {
    console.log(`cgroup controllers: ${planned.cgroupControllers === null ? '(cannot be read: not a cgroup v2 directory?)' : planned.cgroupControllers.join(' ') || '(none: it limits nothing here)'}`);
  }
  console.log(`host fds for the child's slots (predicted): ${planned.slotFds.join(' ') || '(none)'}; status pipe ${planned.statusFd}`);
  console.log(formatPlan(planned.plan));
  if (planned.seedPlan) {
    console.log('\nThe seed\'s own algorithm would destroy a source here (golang/go#61751):');
    console.log(formatPlan(planned.seedPlan));
  }
}

function validateCommand(file: string): void {
  const { errors, warnings } = validate(loadProfile(file));
  for (const line of [...formatProblems('error', errors), ...formatProblems('warning', warnings)]) console.error(line);
  if (errors.length) process.exit(INVALID);
  console.log(warnings.length ? `valid, ${warnings.length} warning(s)` : 'valid');
}

// The version of package.json (the package's own, wherever it is installed).
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

const program = new Command('proclab')
  .description('Process Lab: compose, preview, launch and inspect fork/exec')
  .version(packageVersion(), '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('run')
  .argument('<file>', 'a launch profile (JSON)')
  .option('--json', 'print exactly one run result object on stdout')
  .option('--timeout <ms>', "SIGKILL the child after this long (overrides the profile's timeoutMs)", parseTimeout)
  .description('launch the profile, stream its output, wait for it')
  .addHelpText(
    'after',
    `
Input: a pty profile run from a terminal gets the keys as typed (raw) and the
terminal's size. Input piped or redirected to proclab goes to the child as it
comes: to its pseudo-terminal (then Ctrl-D, the terminal's end of file), or to its
pipe on fd 0 after the profile's "stdin" text (then EOF). Bytes pass unchanged.
A stdin on /dev/null (or closed) sends nothing.`,
  )
  .action(runCommand);
program
  .command('plan')
  .argument('<file>', 'a launch profile (JSON)')
  .option('--json', 'print the plan object')
  .description("print the child's steps without launching")
  .action(planCommand);
program
  .command('validate')
  .argument('<file>', 'a launch profile (JSON)')
  .description('print errors and warnings; exit 2 when invalid')
  .action(validateCommand);
program
  .command('inspect')
  .argument('<pid>', 'a process id')
  .option('--json', 'print the inspected process (and its descendants) as one JSON object')
  .description("a live process's setup: ids, session, terminal, signals, capabilities, namespaces, cgroup, limits, umask, fds with their peers, and its descendants")
  .action(inspectCommand);
program
  .command('probe-path')
  .description('print where the probe program is')
  .action(() => console.log(probePath()));
registerExecCommand(program);
registerImportCommand(program);
registerExportCommand(program);
registerServeCommand(program);
registerLessonCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : INVALID);
  console.error(`proclab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
