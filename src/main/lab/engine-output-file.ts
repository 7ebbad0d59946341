// A captured pipe's save file, written by the engine's reader thread as it reads the pipe
// (LaunchHandlers.saveOutput): every byte exactly as the child wrote it, binary or not,
// and a slow disk holds the child back through its pipe without the lab's thread waiting.
// Here the file is only made, measured and closed out.
import fs from 'node:fs';

import type { SavedOutput } from '../../shared/api';
import { explainErrno } from './io-error';
import { createOutputFile } from './output-file';

export class EngineOutputFile {
  /** For the engine, which takes it over; undefined when the file could not be made. */
  readonly fd: number | undefined;
  private error: string | undefined;

  /** `refusal`: see createOutputFile. */
  constructor(
    readonly path: string,
    refusal: string | null = null,
  ) {
    const created = createOutputFile(path, refusal);
    if ('fd' in created) this.fd = created.fd;
    else this.error = created.error;
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
    if (errno !== 0 && this.error === undefined) this.error = `writing failed: ${explainErrno(errno)}`;
  }

  /**
   * Once the engine is done with it: what it saved, or undefined when the stream wrote
   * nothing and nothing went wrong (the file is removed then).
   */
  finish(): SavedOutput | undefined {
    const saved = this.saved;
    if (this.fd === undefined || saved.bytes > 0 || saved.error !== undefined) return saved;
    fs.rmSync(this.path, { force: true });
    return undefined;
  }
}
