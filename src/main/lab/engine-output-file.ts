// A captured pipe's save file, written by the engine's reader thread as it reads the pipe
// (LaunchHandlers.saveOutput): every byte exactly as the child wrote it, binary or not,
// and a slow disk holds the child back through its pipe without the lab's thread waiting.
// Here the file is only made, measured and closed out.
import fs from 'node:fs';
import { dirname } from 'node:path';

import type { SavedOutput } from '../../shared/api';
import { describeErrno } from '../../shared/errno';
import { explainIoError } from './io-error';

export class EngineOutputFile {
  /** For the engine, which takes it over; undefined when the file could not be made. */
  readonly fd: number | undefined;
  private error: string | undefined;

  /** Makes the file and its folder (modes 0600 and 0700: the output may hold secrets). */
  constructor(readonly path: string) {
    try {
      fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.fd = fs.openSync(path, 'wx', 0o600);
    } catch (err) {
      this.error = `could not create the file: ${explainIoError(err)}`;
    }
  }

  get saved(): SavedOutput {
    let bytes = 0;
    try {
      if (this.fd !== undefined) bytes = fs.statSync(this.path).size;
    } catch {
      // deleted by hand meanwhile: nothing there
    }
    return this.error === undefined ? { path: this.path, bytes } : { path: this.path, bytes, error: this.error };
  }

  /** The engine's word at the stream's end: 0, or the errno that stopped the writing. */
  ended(errno: number): void {
    if (errno !== 0 && this.error === undefined) {
      this.error = `writing failed: ${explainIoError(Object.assign(new Error(), { code: describeErrno(errno).code }))}`;
    }
  }

  /** Removes the file when the stream wrote nothing (and nothing went wrong); true then. */
  discardIfEmpty(): boolean {
    const { bytes, error } = this.saved;
    if (this.fd === undefined || bytes > 0 || error !== undefined) return false;
    fs.rmSync(this.path, { force: true });
    return true;
  }
}
