// The launch as Node's child_process.spawn: the stdio array indexes the child's fd exactly
// (a number passes that fd of ours, 'ignore' leaves a fd from 3 up closed). It runs no code
// in the child, so whatever spawn has no option for is a gap.
import { bytesOf, showBytes, type Bytes } from '../bytes';
import type { NormalizedProfile } from '../profile';
import { gapComments, header, isText, slotsOf, stdinBytes, unsupported, type ExportedCode, type ExportGap, type Feature, type Slot } from './common';

const SUPPORTED: Feature[] = ['timeoutMs', 'sys.setsid', 'sys.credential'];

const REASONS: Partial<Record<Feature, string>> = {
  'sys.setpgid': "spawn has no setpgid-only option (detached: true is setsid, a new session as well as a group)",
  'sys.pdeathsig': 'spawn has no parent-death signal',
  'sys.umask': "spawn has no umask: the child gets this program's (process.umask() changes it for every later file of this program too)",
  'sys.rlimits': 'spawn has no rlimits: run the program under prlimit',
  'sys.chroot': 'spawn has no chroot',
  'sys.nice': 'spawn has no nice: os.setPriority(child.pid) after the start is too late for what the program does first',
  'sys.noNewPrivs': 'spawn has no no_new_privs: run the program under setpriv --no-new-privs',
  'sys.noctty': 'spawn has no TIOCNOTTY', 'sys.setctty': 'spawn has no controlling-terminal option',
};

const js = (value: Bytes) => JSON.stringify(showBytes(value));

function stdioEntry(slot: Slot, gaps: ExportGap[]): string {
  const s = slot.source;
  switch (s.kind) {
    case 'null':
      return "fs.openSync('/dev/null', 'r+')";
    case 'file':
      // A Buffer path keeps the bytes exact.
      return `fs.openSync(Buffer.from(${JSON.stringify(bytesHex(s.path))}, 'hex'), ${[s.access, ...s.flags].map((f) => `fs.constants.${f}`).join(' | ')}, 0o666)`;
    case 'inherit':
      return `${s.fd}`;
    case 'closed':
      if (slot.fd < 3) gaps.push({ field: `files[${slot.fd}]`, text: `spawn cannot close child fd ${slot.fd}: 'ignore' gives it /dev/null` });
      return "'ignore'";
    case 'pipe':
      return "'pipe'";
  }
}

const bytesHex = (value: Bytes | Uint8Array) => [...(value instanceof Uint8Array ? value : bytesOf(value))].map((x) => x.toString(16).padStart(2, '0')).join('');

export function exportNode(p: NormalizedProfile): ExportedCode {
  const gaps = unsupported(p, SUPPORTED, REASONS, 'node');
  const slots = slotsOf(p);
  const { sys } = p;
  const cred = sys.credential;
  if (cred && (cred.noSetGroups || cred.groups.length > 0)) {
    gaps.push({ field: 'sys.credential.groups', text: 'spawn with uid/gid clears the supplementary groups (libuv calls setgroups(0, NULL)): the child has none' });
  }
  if (slots.some((s) => s.source.kind === 'pipe')) {
    gaps.push({ field: 'files', text: "spawn's 'pipe' is a socket pair (libuv), not a pipe: the child sees a socket where the lab gives a pipe" });
  }
  if ([p.path, ...p.args, ...p.env, ...(p.dir ? [p.dir] : [])].some((v) => !isText(v))) {
    gaps.push({ field: 'args', text: 'child_process takes text only: bytes that are not UTF-8 in the path, args, env or dir are passed as U+FFFD' });
  }
  for (const fd of new Set(slots.flatMap((s) => (s.source.kind === 'inherit' && s.source.fd >= slots.length ? [s.source.fd] : [])))) {
    gaps.push({ field: 'files', text: `fd ${fd} of this program also stays open in the child under its own number: spawn closes no fd it passes on (Node cannot mark one close-on-exec)` });
  }
  const envObject = `{ ${p.env.map((e) => { const t = showBytes(e); const eq = t.indexOf('='); return `${JSON.stringify(t.slice(0, eq))}: ${JSON.stringify(t.slice(eq + 1))}`; }).join(', ')} }`;
  const stdio = slots.map((s) => stdioEntry(s, gaps));
  // The lab closes 0..2 when the profile has fewer than 3 files: spawn gives /dev/null.
  for (let fd = slots.length; fd < 3; fd++) {
    stdio.push("'ignore'");
    gaps.push({ field: 'files', text: `the profile has ${slots.length} files: spawn gives fd ${fd} /dev/null where the lab leaves it closed` });
  }
  const outputs = slots.filter((s) => s.source.kind === 'pipe' && s.source.role !== 'stdin');
  const options = [
    `argv0: ${js(p.args[0] ?? '')}`,
    `env: ${p.inheritEnv ? `{ ...process.env, ...${envObject} }` : envObject}`,
    `stdio: [${stdio.join(', ')}]`,
    ...(p.dir ? [`cwd: ${js(p.dir)}`] : []),
    ...(sys.setsid ? ['detached: true /* setsid() */'] : []),
    ...(cred ? [`uid: ${cred.uid}`, `gid: ${cred.gid}`] : []),
    ...(p.timeoutMs !== undefined ? [`timeout: ${p.timeoutMs}`, "killSignal: 'SIGKILL'"] : []),
  ];
  const code = `#!/usr/bin/env node
${header(p, '//', [
  'Run: node launch.js (Node 18 or newer, no packages).',
  "It spawns the program with the profile's setup, copies the streams the lab would capture to",
  "its own stdout and stderr, and exits with the child's status; a child killed by a signal is",
  're-raised on this program (128+n if this program ignores that signal). A launch that fails exits 253.',
])}
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

${gapComments(gaps, '//')}const child = spawn(${js(p.path)}, [${p.args.slice(1).map(js).join(', ')}], {
${options.map((o) => `  ${o},`).join('\n')}
});
child.on('error', (err) => {
  console.error('launch failed:', err.message);
  process.exit(253);
});
${slots[0]?.source.kind === 'pipe' ? `child.stdio[0].on('error', () => {}); // the child may exit without reading
child.stdio[0].end(Buffer.from(${JSON.stringify(bytesHex(stdinBytes(p)))}, 'hex'));\n` : ''}${outputs.map((s) => `child.stdio[${s.fd}].pipe(process.${s.source.kind === 'pipe' && s.source.role === 'stderr' ? 'stderr' : 'stdout'});`).join('\n')}
// 'close': the child has exited and every stream of it has ended.
child.on('close', (code, signal) => {
  if (signal) {
    process.kill(process.pid, signal);
    process.exitCode = 128 + os.constants.signals[signal];
  } else {
    process.exitCode = code;
  }
});
`;
  return { lang: 'node', code, gaps, fileName: 'launch.js' };
}
