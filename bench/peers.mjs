// The bench's peers: the ways to start a process from JavaScript that a user might pick
// instead of the engine, each in its own runtime: child_process on Node 24 (bench/host.mjs,
// the same code as on the Node running the bench), Bun.spawn and Deno.Command
// (bench/peer.mjs). Their binaries come from registry packages, installed on demand into
// .runtimes/ by scripts/runtimes.mjs. A peer that cannot be installed is returned with
// its error, to be reported, never left out in silence.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runtime } from '../scripts/runtimes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const PEERS = [
  {
    key: 'node24-child_process',
    runtime: 'node',
    major: 24,
    api: 'child_process.spawn',
    name: 'Node',
    // The task as for the bench's own Node: the host and its child_process spawner.
    command: (binary, task) => [binary, [path.join(here, 'host.mjs'), JSON.stringify({ ...task, spawner: 'child_process' })], {}],
  },
  {
    key: 'bun',
    runtime: 'bun',
    api: 'Bun.spawn',
    name: 'Bun',
    command: (binary, task) => [binary, [path.join(here, 'peer.mjs'), JSON.stringify(task)], {}],
  },
  {
    key: 'deno',
    runtime: 'deno',
    api: 'Deno.Command',
    name: 'Deno',
    // -A: every permission, so no per-spawn permission check beyond the flag's; no update
    // check (a network request at start).
    command: (binary, task) => [binary, ['run', '-A', path.join(here, 'peer.mjs'), JSON.stringify(task)], { DENO_NO_UPDATE_CHECK: '1' }],
  },
];

const title = (p, version) => `${p.api} (${p.name}${version ? ` ${version}` : ''})`;

/**
 * Every peer, installed when it is not there yet (`say` is told when that happens):
 * `{key, title, version, package, command(task) → [file, args, env]}`, or `{key, title,
 * error}` when it cannot be installed or `skip` is true (--no-peers).
 */
export function peers(say, { skip = false } = {}) {
  return PEERS.map((p) => {
    if (skip) return { key: p.key, title: title(p), error: 'skipped (--no-peers)' };
    try {
      const rt = runtime(p.runtime, p.major, { onInstall: (m) => say(`bench: ${m}`) });
      return { key: p.key, title: title(p, rt.version), version: rt.version, package: rt.package, binary: rt.binary, command: (task) => p.command(rt.binary, task) };
    } catch (err) {
      const error = `not installed: ${err.message.split('\n')[0]}`;
      say(`bench: peer ${title(p)} ${error}`);
      return { key: p.key, title: title(p), error };
    }
  });
}
