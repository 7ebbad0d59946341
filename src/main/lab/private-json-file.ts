// One JSON file the lab keeps for itself in a private folder (0700, private-folder.ts): the
// secret store, the lessons progress. Read whole and checked against its schema; changed one
// change at a time, each on what the file holds then, written whole and atomically (0600).
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

import { formatProblem, parseOrProblems } from '../../shared/problems';
import { FolderSyncError, writeFileAtomically } from './atomic-write';
import { openOrMakePrivateFolder } from './open-or-make-folder';
import { openPrivateFolder, pinnedPath } from './private-folder';
import { parseJson, readOwnFile } from './read-own-file';

export class PrivateJsonFile<S extends z.ZodType> {
  private changes: Promise<unknown> = Promise.resolve();

  /** `what`: the folder in words, for errors ("secrets folder"); `kind`: what the file is ("the lab's secret store"). */
  constructor(
    readonly dir: string,
    private readonly name: string,
    private readonly schema: S,
    private readonly limits: { what: string; kind: string; maxBytes: number },
  ) {}

  /** What the file holds; undefined when there is no folder or file yet. Throws, saying why, when it cannot be read or is not one the lab wrote. */
  async read(): Promise<z.output<S> | undefined> {
    let folder: FileHandle;
    try {
      folder = await openPrivateFolder(this.dir, this.limits.what);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return await this.readIn(folder);
    } finally {
      await folder.close();
    }
  }

  /** Writes `apply` of what the file holds (the folder made when missing); resolves with what was written. */
  change(apply: (current: z.output<S> | undefined) => z.output<S>): Promise<z.output<S>> {
    const next = this.changes.then(async () => {
      const folder = await openOrMakePrivateFolder(this.dir, this.limits.what);
      try {
        const content = apply(await this.readIn(folder));
        try {
          await writeFileAtomically(pinnedPath(folder), this.name, JSON.stringify(content));
        } catch (err) {
          if (!(err instanceof FolderSyncError)) throw err;  // written; only the folder's fsync failed
        }
        return content;
      } finally {
        await folder.close();
      }
    });
    this.changes = next.catch(() => {});
    return next;
  }

  private async readIn(folder: FileHandle): Promise<z.output<S> | undefined> {
    const file = path.join(this.dir, this.name);
    const read = await readOwnFile(path.join(pinnedPath(folder), this.name), this.limits.maxBytes);
    if (!read.ok) {
      if (read.code === 'ENOENT') return undefined;
      throw new Error(`${file}: ${read.error}`);
    }
    const json = parseJson(read.content);
    if (!json.ok) throw new Error(`${file}: ${json.error}`);
    const checked = parseOrProblems(this.schema, json.value);
    if (!checked.ok) throw new Error(`${file}: not ${this.limits.kind}: ${checked.problems.map(formatProblem).join('; ')}`);
    return checked.value;
  }
}
