// The lab's secret store: environment values that profiles name (`secrets[].fromStore`)
// rather than hold, because profiles are committed, exported, shown and kept as drafts
// (issue 11). One JSON file, `secrets.json` (0600), in a private folder beside the profiles
// (`secrets`, 0700; a found folder must be the user's alone: private-folder.ts), written
// atomically. Values leave it only for a launch's environment: the API lists keys, never
// values.
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import type { ControlOutcome } from '../../shared/api';
import { formatProblem, parseOrProblems, type Problem } from '../../shared/problems';
import { FolderSyncError, writeFileAtomically } from './atomic-write';
import { explainIoError } from './io-error';
import { openOrMakePrivateFolder } from './open-or-make-folder';
import { openPrivateFolder, pinnedPath } from './private-folder';
import { parseJson, readOwnFile } from './read-own-file';

const WHAT = 'secrets folder';
const FILE = 'secrets.json';

/** A value is one environment string for execve: at most MAX_ARG_STRLEN (128 KiB) with its name. */
export const MAX_SECRET_BYTES = 128 * 1024;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

const SecretFileSchema = z.strictObject({
  version: z.literal(1),
  values: z.record(z.string(), z.string()),
});

/** Why a launch (or a check) cannot have the store's values, at the profile's secrets. */
export function unreadableStore(err: unknown): Problem {
  return { path: 'secrets', message: `the lab's secret store cannot be read: ${explainIoError(err)}` };
}

export class SecretStore {
  // One change at a time: each reads the file, changes one key, writes it whole.
  private changes: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** Every key and its value; none when there is no store yet. Throws, saying why, when it cannot be read. */
  async values(): Promise<Record<string, string>> {
    let folder: FileHandle;
    try {
      folder = await openPrivateFolder(this.dir, WHAT);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      return await this.read(folder);
    } finally {
      await folder.close();
    }
  }

  /** The keys, never the values. */
  async keys(): Promise<string[]> {
    return Object.keys(await this.values()).sort();
  }

  set(key: string, value: string): Promise<ControlOutcome> {
    if (key === '' || key.includes('\0')) return Promise.resolve({ ok: false, message: 'a secret needs a key without NUL bytes' });
    if (value.includes('\0')) return Promise.resolve({ ok: false, message: 'an environment value cannot hold a NUL byte' });
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) {
      return Promise.resolve({ ok: false, message: `the value is longer than an environment string may be (${MAX_SECRET_BYTES} bytes)` });
    }
    return this.change((values) => ({ ...values, [key]: value }));
  }

  remove(key: string): Promise<ControlOutcome> {
    return this.change((values) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== key)));
  }

  private change(apply: (values: Record<string, string>) => Record<string, string>): Promise<ControlOutcome> {
    const next = this.changes.then(async (): Promise<ControlOutcome> => {
      let folder: FileHandle;
      try {
        folder = await openOrMakePrivateFolder(this.dir, WHAT);
      } catch (err) {
        return { ok: false, message: `cannot keep the secret: ${explainIoError(err)}` };
      }
      try {
        const values = apply(await this.read(folder));
        await writeFileAtomically(pinnedPath(folder), FILE, JSON.stringify({ version: 1, values }));
        return { ok: true };
      } catch (err) {
        if (err instanceof FolderSyncError) return { ok: true };  // written; the folder's fsync failed
        return { ok: false, message: `cannot keep the secret in ${this.dir}: ${explainIoError(err)}` };
      } finally {
        await folder.close();
      }
    });
    this.changes = next.catch(() => {});
    return next;
  }

  private async read(folder: FileHandle): Promise<Record<string, string>> {
    const file = path.join(this.dir, FILE);
    const read = await readOwnFile(path.join(pinnedPath(folder), FILE), MAX_FILE_BYTES);
    if (!read.ok) {
      if (read.error.includes('(ENOENT)')) return {};  // no secret kept yet
      throw new Error(`${file}: ${read.error}`);
    }
    const json = parseJson(read.content);
    if (!json.ok) throw new Error(`${file}: ${json.error}`);
    const checked = parseOrProblems(SecretFileSchema, json.value);
    if (!checked.ok) throw new Error(`${file}: not the lab's secret store: ${checked.problems.map(formatProblem).join('; ')}`);
    return checked.value.values;
  }
}
