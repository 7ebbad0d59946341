// proclab exec FILE: the seed's Exec. This process takes the profile's steps and becomes the
// program, keeping its pid (src/main/lab/exec.ts). Exit status: the program's; 2 for an
// invalid profile or a field exec cannot honour, before anything runs; 253 when a step
// failed (printed as "exec error at step chdir: ENOENT (No such file or directory)").
import type { Command } from 'commander';

import { exec } from '../main/lab/index';
import { loadProfile, printWarnings, reportInvalid, secretsFor } from './profile-input';

async function execCommand(file: string): Promise<void> {
  const profile = loadProfile(file);
  printWarnings(profile);
  const secretValues = await secretsFor(profile);
  try {
    exec(profile, { ...(secretValues && { secretValues }) });
  } catch (err) {
    reportInvalid(err);
  }
}

export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .argument('<file>', 'a launch profile (JSON)')
    .description("the seed's Exec: take the profile's steps in this process and become the program (same pid)")
    .addHelpText(
      'after',
      `
For scripts and service files, as setpriv and unshare are used. Nothing is left of
the lab afterwards: a pipe on fd 0, 1 or 2 becomes this process's own fd (said on
stderr); pty slots, pipes on other fds, stdin, timeoutMs, ptrace and cgroup are
refused (exit 2). cloneflags need a new process: the program then runs as a child
that this process waits for, passing signals on and ending as it ends.
Exit status: the program's · 2 invalid profile · 253 a step failed (printed).`,
    )
    .action(execCommand);
}
