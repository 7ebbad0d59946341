// `proclab serve`: browser mode. The lab's services under plain Node, the built renderer
// and its WebSocket API on one port; prints the URL to open (with the session's token) and
// runs until SIGINT or SIGTERM.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';

import { defaultProfilesDir } from '../main/lab/default-profiles-dir';
import { packageRoot } from '../main/lab/package-root';
import { DEFAULT_HOST, isLoopback } from '../main/lab/own-address';

const DEFAULT_PORT = 7357;

interface ServeOptions {
  port: number;
  host: string;
  profiles?: string;
  runs?: string;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return port;
}

// The renderer's files, built first when missing (from a repository checkout); null with
// the reason printed when there is no way to get them.
function builtRenderer(): string | null {
  const root = packageRoot();
  const dir = path.join(root, 'out', 'renderer');
  const index = path.join(dir, 'index.html');
  if (existsSync(index)) return dir;
  const build = path.join(root, 'scripts', 'build-if-needed.mjs');
  // node:child_process required here: it loads node:net, a few ms of every command's start (issue 17).
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  if (existsSync(build)) spawnSync(process.execPath, [build, 'app'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (existsSync(index)) return dir;
  console.error(`proclab: the app is not built (${index} is missing): run \`npx electron-vite build\` in ${root}`);
  return null;
}

async function serve(options: ServeOptions): Promise<void> {
  // Loaded here, not with the CLI: the other commands start without the server (issue 17).
  const [{ startLabServer }, { LabService }] = await Promise.all([
    import('../main/lab/server'),
    import('../main/lab/service'),
  ]);
  const rendererDir = builtRenderer();
  if (!rendererDir) process.exit(1);
  const service = await LabService.open({ profilesDir: options.profiles ?? defaultProfilesDir(), runsDir: options.runs });
  let server: Awaited<ReturnType<typeof startLabServer>>;
  try {
    server = await startLabServer({ api: service, rendererDir, host: options.host, port: options.port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${options.port} is in use: pass --port N, or --port 0 for a free one` : (err as Error).message;
    console.error(`proclab: cannot listen on ${options.host}:${options.port}: ${why}`);
    await service.dispose();
    process.exit(1);
  }
  if (!isLoopback(options.host)) {
    console.error(
      `warning: listening on ${options.host}, not on loopback only: anyone who can reach this address and learns ` +
        `the token (it travels in clear text over plain HTTP) can run programs as ${os.userInfo().username} on this machine.`,
    );
  }
  console.log(`Process Lab: ${server.url}`);

  const stop = async () => {
    await server.close();
    const { notReaped } = await service.dispose();
    // Killed but not gone: in uninterruptible sleep (state D), they die when they wake.
    if (notReaped.length) console.error(`proclab: killed but not yet reaped after 2 s: pid ${notReaped.join(', ')}`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('browser mode: serve the app and its API, print the URL to open, run until interrupted')
    .option('--port <n>', 'the port; 0 picks a free one', portNumber, DEFAULT_PORT)
    .option('--host <addr>', 'the address to listen on', DEFAULT_HOST)
    .option('--profiles <dir>', 'the profiles folder (default: $PROCLAB_HOME/profiles, or ~/.local/share/proclab/profiles)')
    .option('--runs <dir>', "where each run's full output is saved (default: runs beside the profiles folder)")
    .action(serve);
}
