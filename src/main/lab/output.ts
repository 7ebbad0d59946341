// The lab's ends of a run's pipes and pseudo-terminal, so the JS thread never blocks on a
// child. Captured output pipes are read by the engine's reader thread, in chunks of up to
// 1 MiB decoded to text there (libuv's net.Socket reads 64 KiB at a time, a Buffer, a
// callback and a decode each); stdin and the pseudo-terminal go through libuv
// (net.Socket / tty streams).
import type net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type tty from 'node:tty';

import { engine, type NativeParentEnd } from './engine';

// Loaded by the first run with a stdin pipe or a terminal: the runs of files and /dev/null,
// and the command line's start, go without node:net, which takes a few ms to load (issue 17).
const streamModules = (): { net: typeof net; tty: typeof tty } => ({ net: require('node:net'), tty: require('node:tty') });

export interface RunIo {
  // Resolves when every output stream has reached its end.
  drained: Promise<void>;
  // The output keys whose stream has not reached its end yet.
  stillOpen(): string[];
  // false when the run takes no input: no terminal, and the pipe on fd 0 (if any) has
  // carried `stdin` and been closed. Bytes pass unchanged; `written` is called once the
  // data has been handed to the kernel (or could not be), for callers that pace a stream.
  write(data: string | Uint8Array, written?: () => void): boolean;
  // Keeps the pipe on fd 0 open after `stdin`, for write(), until closeInput(). Only in the
  // tick of attachIo (its end is put off until the next).
  keepInputOpen(): void;
  // Closes the pipe on fd 0 (the child reads EOF); false when there is none open. A
  // terminal has no end of input: the child's program sees one when Ctrl-D is typed.
  closeInput(): boolean;
  ptyFd: number | null;
  // Closes every descriptor of the run; resolves once they are really closed.
  close(): Promise<void>;
}

// Where captured pipes' bytes are saved as read (LaunchHandlers.saveOutput).
export interface OutputSaving {
  open(key: string): number | undefined;
  ended(key: string, errno: number): void;
}

// Output is keyed as in the result: "1", "2", ... per child fd, "pty" for the terminal.
export function attachIo(
  ends: readonly NativeParentEnd[],
  stdinText: string | Buffer | undefined,
  onOutput: (key: string, text: string) => void,
  saving?: OutputSaving,
  /** Other pipes the lab reads as output, by key (the stand-ins of lab-stdio.ts). */
  extraOutputs: readonly { key: string; fd: number }[] = [],
): RunIo {
  const streams: net.Socket[] = [];
  const endings: Promise<void>[] = [];
  const open = new Set<string>();
  // Every output stream: open until `ended` settles.
  const track = (key: string, ended: Promise<void>) => {
    open.add(key);
    endings.push(ended.then(() => void open.delete(key)));
  };
  // Native output streams still open: their ids, and how to wait for their end.
  const native = new Map<number, Promise<void>>();

  // The engine decodes (UTF-8, never cutting a character in two) and hands over text.
  const readNative = (fd: number, key: string) => {
    let id = 0;
    const saveFd = saving?.open(key);
    const ended = new Promise<void>((resolve) => {
      id = engine().readOutput(
        fd,
        (text, _err, saveErr) => {
          if (text !== null) {
            onOutput(key, text);
            return;
          }
          native.delete(id);
          if (saveFd !== undefined) saving!.ended(key, saveErr ?? 0);
          resolve();
        },
        saveFd,
      );
    });
    native.set(id, ended);
    track(key, ended);
  };
  let input: net.Socket | null = null;
  let ptyFd: number | null = null;

  const read = (stream: net.Socket, key: string) => {
    const decoder = new StringDecoder('utf8');
    streams.push(stream);
    track(
      key,
      new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => onOutput(key, decoder.write(chunk)));
        const finish = () => {
          const rest = decoder.end();
          if (rest) onOutput(key, rest);
          resolve();
        };
        stream.on('end', finish);
        // A pty master reads EIO once no process holds the slave any more: its EOF.
        stream.on('error', finish);
        stream.on('close', finish);
      }),
    );
  };

  for (const end of ends) {
    if (end.role === 'output') {
      readNative(end.fd, String(end.slot));
    } else if (end.role === 'stdin') {
      input = new (streamModules().net.Socket)({ fd: end.fd, readable: false, writable: true });
      input.on('error', () => {});  // EPIPE: the child did not read it all; not the lab's failure
      streams.push(input);
    } else {
      ptyFd = end.fd;
      const master = new (streamModules().tty.ReadStream)(end.fd);
      read(master, 'pty');
      input = master;
    }
  }
  for (const { key, fd } of extraOutputs) readNative(fd, key);
  if (input && stdinText !== undefined) input.write(stdinText);
  // A pipe on fd 0 carries exactly `stdin`, then EOF, unless the run keeps it open for input
  // of its own (keepInputOpen, in this tick); a terminal stays open for typing.
  const pipeIn = ptyFd === null ? input : null;
  let keepOpen = false;
  if (pipeIn) process.nextTick(() => keepOpen || pipeIn.destroyed || pipeIn.end());

  return {
    drained: Promise.all(endings).then(() => undefined),
    stillOpen: () => [...open],
    write: (data, written) => {
      if (!input || input.destroyed || input.writableEnded) return false;
      input.write(data, written && (() => written()));
      return true;
    },
    keepInputOpen: () => void (keepOpen = true),
    closeInput: () => {
      if (!pipeIn || pipeIn.destroyed || pipeIn.writableEnded) return false;
      pipeIn.end();
      return true;
    },
    ptyFd,
    close: () => {
      // A native stream still open (descendants hold the pipe): stop it; the reader closes it.
      const open = [...native.entries()].map(([id, ended]) => {
        engine().stopOutput(id);
        return ended;
      });
      return Promise.all([
        ...open,
        ...streams.map((s) =>
          s.closed ? undefined : new Promise<void>((resolve) => s.once('close', () => resolve()).destroy()),
        ),
      ]).then(() => undefined);
    },
  };
}
