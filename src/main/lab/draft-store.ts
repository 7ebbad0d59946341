// Kept drafts: the builder's unsaved edits, kept by the lab so that a reload, a closed
// window or a restart loses nothing (issue 11). Not in the page's storage: that belongs to
// the page's origin, and browser mode's origin changes with its port (`--port 0`), which
// another user may bind later and read the drafts, environments and all.
//
// One JSON file per draft in a private folder beside the profiles (`drafts`; made 0700,
// files 0600, written atomically: private-folder.ts, atomic-write.ts), named after a hash
// of its key (a saved profile's file, or a new profile's draft id), so that any profile
// file name makes a file name of the same short shape. Writes for one key happen in the
// order they came and the last one wins; other keys are never touched. A file that cannot
// be read as a draft is listed with why, and left alone.
import { createHash } from 'node:crypto';
import { readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';

import type { ControlOutcome, DraftKey, DraftSave, KeptDraft, KeptDraftEntry } from '../../shared/api';
import { DraftKeySchema } from '../../shared/api-params';
import { formatProblem, parseOrProblems } from '../../shared/problems';
import { FolderSyncError, removeAbandonedTempFiles, writeFileAtomically } from './atomic-write';
import { explainIoError } from './io-error';
import { openOrMakePrivateFolder } from './open-or-make-folder';
import { openPrivateFolder, pinnedPath } from './private-folder';
import { parseJson, readOwnFile } from './read-own-file';

const WHAT = 'drafts folder';

/** A draft file is a profile and a few fields; the WebSocket carries at most 2 MiB a message. */
export const MAX_DRAFT_BYTES = 1024 * 1024;

/** `<32 hex digits>.json`: nothing else in the folder is read (temp files of a write start with a dot). */
const DRAFT_FILE = /^[0-9a-f]{32}\.json$/;

const DraftFileSchema = z.strictObject({
  version: z.literal(1),
  key: DraftKeySchema,
  baseRevision: z.string().max(128).optional(),
  profile: z.record(z.string(), z.unknown()),
  savedAtMs: z.number(),
});

/** The file a draft's key is kept in. */
export function draftFileName(key: DraftKey): string {
  const id = 'file' in key ? `profile:${key.file}` : `new:${key.draftId}`;
  return `${createHash('sha256').update(id).digest('hex').slice(0, 32)}.json`;
}

export class DraftStore {
  // The last change asked for each file, so that one key's changes happen in order.
  private readonly changes = new Map<string, Promise<unknown>>();
  private cleaned = false;

  constructor(readonly dir: string) {}

  save({ key, baseRevision, profile }: DraftSave): Promise<ControlOutcome> {
    const name = draftFileName(key);
    return this.inOrder(name, async () => {
      const draft: KeptDraft = { key, ...(baseRevision !== undefined && { baseRevision }), profile, savedAtMs: Date.now() };
      const content = JSON.stringify({ version: 1, ...draft });
      const bytes = Buffer.byteLength(content);
      if (bytes > MAX_DRAFT_BYTES) {
        return { ok: false, message: `the draft is too large to keep (${bytes} bytes, at most ${MAX_DRAFT_BYTES})` };
      }
      let folder: FileHandle;
      try {
        folder = await this.openFolder();
      } catch (err) {
        return { ok: false, message: `cannot keep the draft: ${explainIoError(err)}` };
      }
      try {
        await writeFileAtomically(pinnedPath(folder), name, content);
        return { ok: true };
      } catch (err) {
        // Written, but the folder's fsync failed: it is there, if perhaps not after a crash.
        if (err instanceof FolderSyncError) return { ok: true };
        return { ok: false, code: (err as NodeJS.ErrnoException).code, message: `cannot keep the draft in ${this.dir}: ${explainIoError(err)}` };
      } finally {
        await folder.close();
      }
    });
  }

  /** Every draft file, newest first; a missing folder has none. Throws when the folder is refused or unreadable. */
  async list(): Promise<KeptDraftEntry[]> {
    let folder: FileHandle;
    try {
      folder = await openPrivateFolder(this.dir, WHAT);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const pinned = pinnedPath(folder);
      const names = (await readdir(pinned)).filter((name) => DRAFT_FILE.test(name));
      const entries = await Promise.all(names.map((name) => this.read(pinned, name)));
      return entries.sort((a, b) => (b.draft?.savedAtMs ?? 0) - (a.draft?.savedAtMs ?? 0));
    } finally {
      await folder.close();
    }
  }

  discard(key: DraftKey): Promise<ControlOutcome> {
    const name = draftFileName(key);
    return this.inOrder(name, async () => {
      let folder: FileHandle;
      try {
        folder = await openPrivateFolder(this.dir, WHAT);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true };
        return { ok: false, message: `cannot discard the draft: ${explainIoError(err)}` };
      }
      try {
        await unlink(path.join(pinnedPath(folder), name));
        return { ok: true };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true };
        return { ok: false, code: (err as NodeJS.ErrnoException).code, message: `cannot discard the draft: ${explainIoError(err)}` };
      } finally {
        await folder.close();
      }
    });
  }

  private async read(pinned: string, name: string): Promise<KeptDraftEntry> {
    const file = path.join(this.dir, name);
    const read = await readOwnFile(path.join(pinned, name), MAX_DRAFT_BYTES);
    if (!read.ok) return { path: file, error: read.error };
    const json = parseJson(read.content);
    if (!json.ok) return { path: file, error: json.error };
    const checked = parseOrProblems(DraftFileSchema, json.value);
    if (!checked.ok) return { path: file, error: `not a kept draft: ${checked.problems.map(formatProblem).join('; ')}` };
    const { version: _version, ...draft } = checked.value;
    if (draftFileName(draft.key) !== name) return { path: file, error: "not a kept draft: its key is not the one its file name says (copied or renamed by hand?)" };
    return { path: file, draft };
  }

  /** The folder, made 0700 when missing, else checked private; once a session, the temp files of killed writes go. */
  private async openFolder(): Promise<FileHandle> {
    const folder = await openOrMakePrivateFolder(this.dir, WHAT);
    if (!this.cleaned) {
      this.cleaned = true;
      await removeAbandonedTempFiles(pinnedPath(folder));
    }
    return folder;
  }

  private inOrder<T>(name: string, change: () => Promise<T>): Promise<T> {
    const next = (this.changes.get(name) ?? Promise.resolve()).then(change, change);
    const settled = next.catch(() => {});
    this.changes.set(name, settled);
    void settled.then(() => {
      if (this.changes.get(name) === settled) this.changes.delete(name);
    });
    return next;
  }
}
