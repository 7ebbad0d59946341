// A stream's full output written from its text as it arrives: a pseudo-terminal's, whose
// output reaches the lab through libuv (a captured pipe's file is written by the engine
// itself, byte for byte: engine-output-file.ts). The run view keeps only a tail; the file
// keeps everything (up to the disk).
//
// Each chunk gets its file offset when it arrives and is written there (pwrite), one write
// at a time on libuv's thread pool, so a slow disk does not stall the lab's thread. Once
// the disk is HIGH_WATER behind, chunks are written synchronously instead: the lab's thread
// waits for the disk, stops reading the terminal meanwhile, and the child blocks once the
// terminal's buffer is full. The disk's pace reaches the child, and the lab never holds
// more than HIGH_WATER of a stream's output in memory for its file.
//
// A failed write (ENOSPC, EIO, ...) ends the file where the output is still whole: it is
// cut back to the failed chunk's offset, and the error is kept for the run's note.
import fs from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

import type { SavedOutput } from '../../shared/api';
import { explainIoError } from './io-error';

const HIGH_WATER = 16 * 1024 * 1024;

const ftruncate = promisify(fs.ftruncate);
const close = promisify(fs.close);

interface Pending {
  data: Buffer;
  at: number;
}

/**
 * Makes a stream's file and its folder (the file must not exist yet; modes 0600 and 0700:
 * the output may hold secrets): its descriptor, or why not, in words for the run's note.
 * `refusal`: why no file may be made there at all (runs-folder.ts), or null.
 */
export function createOutputFile(path: string, refusal: string | null = null): { fd: number } | { error: string } {
  if (refusal !== null) return { error: `could not create the file: ${refusal}` };
  try {
    fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return { fd: fs.openSync(path, 'wx', 0o600) };
  } catch (err) {
    return { error: `could not create the file: ${explainIoError(err)}` };
  }
}

export class OutputFile {
  private fd: number | null;
  /** The offset of the next chunk: every byte handed over so far. */
  private end = 0;
  private readonly queue: Pending[] = [];
  /** Bytes handed over and not yet on disk (queued or being written). */
  private behind = 0;
  private writing = false;
  /** The offset of the earliest failed write: the file is whole up to there. */
  private failedAt: number | null = null;
  private error: string | undefined;
  private whenIdle: (() => void)[] = [];

  /** A file that cannot be created (see createOutputFile) is an OutputFile that failed at offset 0, never an exception. */
  constructor(
    readonly path: string,
    private readonly onFailure: (saved: SavedOutput) => void = () => {},
    refusal: string | null = null,
  ) {
    const created = createOutputFile(path, refusal);
    if ('fd' in created) {
      this.fd = created.fd;
    } else {
      this.fd = null;
      this.failedAt = 0;
      this.error = created.error;
    }
  }

  get saved(): SavedOutput {
    const bytes = this.failedAt ?? this.end - this.behind;
    return this.error === undefined ? { path: this.path, bytes } : { path: this.path, bytes, error: this.error };
  }

  write(text: string): void {
    if (this.fd === null || this.failedAt !== null || text === '') return;
    const chunk = { data: Buffer.from(text, 'utf8'), at: this.end };
    this.end += chunk.data.length;
    if (this.behind + chunk.data.length > HIGH_WATER) {
      this.writeNow(chunk);
      return;
    }
    this.behind += chunk.data.length;
    this.queue.push(chunk);
    this.pump();
  }

  /** Waits for every write, cuts a failed file back to its whole part, closes it. */
  async close(): Promise<SavedOutput> {
    if (this.writing) await new Promise<void>((resolve) => this.whenIdle.push(resolve));
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        if (this.failedAt !== null) await ftruncate(fd, this.failedAt);
      } catch {
        // The note already says the file is short; what is past failedAt is not whole.
      }
      await close(fd).catch(() => {});
    }
    return this.saved;
  }

  private writeNow({ data, at }: Pending): void {
    let done = 0;
    try {
      while (done < data.length) done += fs.writeSync(this.fd!, data, done, data.length - done, at + done);
    } catch (err) {
      this.fail(at + done, err);
    }
  }

  private pump(): void {
    if (this.writing) return;
    const chunk = this.queue.shift();
    if (!chunk || this.fd === null) {
      for (const resolve of this.whenIdle.splice(0)) resolve();
      return;
    }
    this.writing = true;
    fs.write(this.fd, chunk.data, 0, chunk.data.length, chunk.at, (err, written) => {
      this.writing = false;
      if (err) {
        this.fail(chunk.at, err);
      } else if (written < chunk.data.length) {
        // A short write: the rest goes next, at its own offset.
        this.queue.unshift({ data: chunk.data.subarray(written), at: chunk.at + written });
        this.behind -= written;
      } else {
        this.behind -= written;
      }
      this.pump();
    });
  }

  private fail(at: number, err: unknown): void {
    const first = this.failedAt === null;
    this.failedAt = Math.min(this.failedAt ?? at, at);
    this.queue.length = 0;
    if (!first) return;
    this.error = `writing failed: ${explainIoError(err)}`;
    this.onFailure(this.saved);
  }
}
