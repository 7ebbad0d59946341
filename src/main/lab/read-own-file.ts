// Reading one of the small files the lab keeps for itself (a kept draft, a run's summary)
// without trusting what is at its name: the file itself, never through a symlink (its
// target could be any file this user may read, and would show in errors), a regular file,
// not too large to be one of the lab's, and never a wait for a writer (a FIFO).
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

import { explainIoError } from './io-error';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** `code`: the errno name when the open or read failed (ENOENT: no such file). */
export type OwnFileRead = { ok: true; content: Buffer } | { ok: false; error: string; code?: string };

export async function readOwnFile(file: string, maxBytes: number): Promise<OwnFileRead> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, READ_FLAGS);
    // Checked on what was opened, so that nothing can be swapped in between.
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, error: 'not a regular file' };
    if (info.size > maxBytes) return { ok: false, error: `too large (${info.size} bytes, at most ${maxBytes})` };
    return { ok: true, content: await handle.readFile() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return { ok: false, error: 'refused: a symbolic link, never followed' };
    return { ok: false, error: `cannot read: ${explainIoError(err)}`, code: (err as NodeJS.ErrnoException).code };
  } finally {
    await handle?.close();
  }
}

/** The JSON in a file read by readOwnFile, or why it is not JSON. */
export function parseJson(content: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(content.toString('utf8')) };
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
}
