// `proclab run`: our stdin becomes the child's input.
//   A terminal (pty profiles only, not with --json): each key as typed, raw, and our
//   window size, now and whenever it changes.
//   A pipe, a file or a socket: its bytes as they come, to the child's pseudo-terminal or to
//   its pipe on fd 0 (after the profile's `stdin`), then the end of input.
//   /dev/null, another device that is not a terminal, or no stdin at all: nothing.
// Input given before the run has started is kept by the run until it has (Run.write).
import { fstatSync } from 'node:fs';

import type { Run } from '../main/lab/run';
import { isTerminal } from './terminal';
import type { Profile } from '../shared/profile';

// The end of input on a terminal: Ctrl-D (VEOF), which makes the child's read() return
// 0 at the start of a line. After a partial line it only hands that line over, so a
// second one follows.
const CTRL_D = '\x04';

type Stdin = 'terminal' | 'stream' | 'none';

function stdinKind(): Stdin {
  if (isTerminal(0)) return 'terminal';
  try {
    // A character device that is not a terminal is /dev/null or alike: nothing to forward.
    return fstatSync(0).isCharacterDevice() ? 'none' : 'stream';
  } catch {
    return 'none';  // fd 0 is closed
  }
}

// Starts forwarding; the function returned stops it (once the run has ended).
export function forwardInput(run: Run, profile: Profile, options: { json: boolean }): () => void {
  const files = profile.files ?? [];
  const pty = files.some((f) => f.type === 'pty');
  const kind = stdinKind();
  if (kind === 'terminal') return pty && !options.json ? forwardTerminal(run) : () => {};
  if (kind === 'stream' && (pty || files[0]?.type === 'pipe')) return forwardStream(run, pty);
  return () => {};
}

function forwardTerminal(run: Run): () => void {
  process.stdin.setRawMode(true);
  // Bytes as read: a character split between two reads reaches the child whole.
  const onData = (d: Buffer) => run.write(d);
  process.stdin.on('data', onData);
  const resize = () => run.resize(process.stdout.columns, process.stdout.rows);
  if (process.stdout.isTTY) {
    resize();
    process.stdout.on('resize', resize);
  }
  return () => {
    process.stdin.off('data', onData);
    process.stdout.off('resize', resize);
    process.stdin.setRawMode(false);
    process.stdin.pause();
  };
}

function forwardStream(run: Run, toTerminal: boolean): () => void {
  const stdin = process.stdin;
  // Said before the run starts: its pipe on fd 0 stays open for this input (Run.write).
  if (!toTerminal) run.write(new Uint8Array(0));
  let atLineStart = true;
  let done = false;
  const onData = (chunk: Buffer) => {
    // One chunk at a time: the next is read once this one is with the kernel, so a child
    // that reads slowly (or never) does not make us hold the whole input in memory.
    stdin.pause();
    if (!run.write(chunk, () => done || stdin.resume())) return stop();  // the child takes no more
    atLineStart = chunk.at(-1) === 0x0a;
  };
  // The end of our input (or a read error): the end of the child's.
  const onEnd = () => {
    if (done) return;
    stop();
    if (toTerminal) run.write(atLineStart ? CTRL_D : CTRL_D + CTRL_D);
    else run.write(null);
  };
  const stop = () => {
    done = true;
    stdin.off('data', onData);
    stdin.pause();
  };
  stdin.on('data', onData).on('end', onEnd).on('error', onEnd);
  return () => {
    stop();
    // Whoever writes to us may keep going (`yes | proclab run ...`): we are done reading.
    stdin.destroy();
  };
}
