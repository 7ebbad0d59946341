// Profiles on disk: one JSON file per profile, in the contract's format, in one folder that
// people may edit by hand and commit to git. Writes are atomic; a file that does not parse
// or validate is listed with its error and never overwritten; a save that started from an
// older revision of its file is refused rather than silently overwriting someone's edit.
// Profiles hold environments (tokens, passwords): the folder is private to the lab's user
// (private-folder.ts: made 0700, a found one refused unless private), files are made 0600,
// and a symlink in it is never followed (its target's content would show in errors).
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import type { ControlOutcome, ProfileEntry, SaveOutcome, SaveRequest } from '../../shared/api';
import { isProfileFileName, MAX_PROFILE_BYTES } from '../../shared/api-params';
import { formatProblem, parseOrProblems } from '../../shared/problems';
import { ProfileSchema, type Profile } from '../../shared/profile';
import { FolderSyncError, removeAbandonedTempFiles, writeFileAtomically } from './atomic-write';
import { watchFolder } from './folder-watcher';
import { explainIoError } from './io-error';
import { openPrivateFolder, PRIVATE_FOLDER_MODE, UnsafeFolderError } from './private-folder';

/** The store checks the profile itself: whatever a client sends as one. */
export type StoreSaveRequest = Omit<SaveRequest, 'profile'> & { profile: unknown };

const MAX_SLUG_LENGTH = 80;

// A profile file is opened as itself (O_NOFOLLOW: a symlink fails with ELOOP) and without
// waiting for a writer (O_NONBLOCK: a FIFO named x.json would block the read forever).
const PROFILE_READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const WHAT = 'profiles folder';

/**
 * Where a profile stands in the folder (locate): the valid file that holds its name is as
 * the profile would be written (same), or edited (changed); or no valid file holds it (missing).
 */
export interface LocatedProfile {
  /** The file that holds it; for a missing one, the new file a write would create. */
  file: string;
  state: 'missing' | 'same' | 'changed';
  /** The file's revision (same, changed). */
  revision?: string;
}

/** One file to write (content) or remove (null), only while it is as expected. */
export interface FileChange {
  file: string;
  /** The revision the file must have now, or null: no file of that name may exist. */
  expected: string | null;
  /** A valid profile's file content: nothing else is ever written. */
  content: string | Buffer | null;
}

export type AppliedChange =
  | {
      file: string;
      ok: true;
      /** What the file held before (null: there was none), to undo the change with. */
      previous: Buffer | null;
      /** The file's revision now (null: removed). */
      revision: string | null;
    }
  | { file: string; ok: false; message: string };

export class ProfileStore {
  // Saves, deletes and restores run one at a time: each decides from what is on disk.
  private lastChange: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /**
   * Opens the folder: creates it (0700) when it is missing (true: the lab's first run there),
   * else checks that it is private and removes the temp files of saves that were killed
   * halfway (see atomic-write.ts). Throws UnsafeFolderError for a folder it must not use.
   */
  async createFolder(): Promise<boolean> {
    const created = (await mkdir(this.dir, { recursive: true, mode: PRIVATE_FOLDER_MODE })) !== undefined;
    await this.checkFolder();
    if (!created) await removeAbandonedTempFiles(this.dir);
    return created;
  }

  /** Calls onChange (debounced) whenever the folder changes; returns the function that stops it. */
  watch(onChange: () => void): () => void {
    return watchFolder(this.dir, onChange);
  }

  /** Every `*.json` file in the folder, by file name; a missing folder has none. */
  async list(): Promise<ProfileEntry[]> {
    let names: string[];
    try {
      await this.checkFolder();
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      if (err instanceof UnsafeFolderError) throw err;
      throw new Error(`cannot read the profiles folder ${this.dir}: ${explainIoError(err)}`);
    }
    const files = names.filter(isProfileFileName).sort();
    return Promise.all(files.map((file) => this.read(file)));
  }

  save(request: StoreSaveRequest): Promise<SaveOutcome> {
    return this.oneAtATime(() => this.saveNow(request));
  }

  delete(file: string): Promise<ControlOutcome> {
    return this.oneAtATime(async () => {
      if (!isProfileFileName(file)) return { ok: false, message: `not a profile file name: ${JSON.stringify(file)}` };
      try {
        await this.checkFolder();
        await unlink(path.join(this.dir, file));
        return { ok: true };
      } catch (err) {
        return { ok: false, code: (err as NodeJS.ErrnoException).code, message: `cannot delete ${file}: ${explainIoError(err)}` };
      }
    });
  }

  /** Where each profile stands in the folder, by its name (LocatedProfile). */
  async locate(profiles: readonly Profile[]): Promise<LocatedProfile[]> {
    const entries = await this.list();
    const taken = await this.takenNames();
    return profiles.map((profile) => {
      const holder = entries.find((e) => e.profile?.name === profile.name);
      if (holder) {
        const same = holder.revision === revisionOf(serializeProfile(profile));
        return { file: holder.file, state: same ? 'same' : 'changed', revision: holder.revision };
      }
      // A file that is not a valid profile is never overwritten, even one with this name.
      const file = freeFileName(profile.name, taken);
      taken.add(file);
      return { file, state: 'missing' };
    });
  }

  /**
   * Makes each change while its file is as expected (the stale check of a save), one at a
   * time, each write atomic. Says for each what the file held before, or why it was left.
   */
  apply(changes: readonly FileChange[]): Promise<AppliedChange[]> {
    return this.oneAtATime(async () => {
      const applied: AppliedChange[] = [];
      for (const change of changes) applied.push(await this.applyNow(change));
      return applied;
    });
  }

  private async saveNow(request: StoreSaveRequest): Promise<SaveOutcome> {
    const checked = parseOrProblems(ProfileSchema, request.profile);
    if (!checked.ok) {
      const message = `the profile has errors, nothing was saved: ${checked.problems.map(formatProblem).join('; ')}`;
      return { ok: false, reason: 'invalid', message, problems: checked.problems };
    }
    const profile = request.profile as Profile;
    const name = checked.value.name;
    let entries: ProfileEntry[];
    try {
      await mkdir(this.dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    } catch (err) {
      return { ok: false, reason: 'io', message: `cannot create the profiles folder ${this.dir}: ${explainIoError(err)}` };
    }
    try {
      entries = await this.list();
    } catch (err) {
      return { ok: false, reason: 'io', message: (err as Error).message };
    }

    let current: ProfileEntry | undefined;
    if (request.file !== undefined) {
      const edited = this.checkEdited(request, entries);
      if (!edited.ok) return edited;
      current = edited.entry;
    }
    const holder = entries.find((e) => e.profile?.name === name && e.file !== current?.file);
    if (holder) {
      return { ok: false, reason: 'exists', message: `a profile named "${name}" already exists (${holder.file}); choose another name` };
    }

    // Same name: the same file. A new name (a rename, or a new profile): the file its name gives.
    const taken = await this.takenNames();
    if (current) taken.delete(current.file);
    const file = current && current.profile?.name === name ? current.file : freeFileName(name, taken);
    const content = serializeProfile(profile);
    const failure = await this.write(file, content);
    if (failure !== null) return { ok: false, reason: 'io', message: failure };
    const entry: ProfileEntry = { file, profile, revision: revisionOf(content) };
    // A rename: the new file is safely on disk before the old one goes.
    if (current && current.file !== file) {
      try {
        await unlink(path.join(this.dir, current.file));
      } catch (err) {
        return {
          ok: false,
          reason: 'io',
          message: `saved as ${file}, but cannot remove the old ${current.file}: ${explainIoError(err)}. Both files are on disk now.`,
        };
      }
    }
    return { ok: true, entry };
  }

  private async applyNow({ file, expected, content }: FileChange): Promise<AppliedChange> {
    const refused = (message: string): AppliedChange => ({ file, ok: false, message });
    if (!isProfileFileName(file)) return refused(`not a profile file name: ${JSON.stringify(file)}`);
    if (content !== null) {
      const { error } = entryOf(file, Buffer.from(content));
      if (error !== undefined) return refused(`not a valid profile, nothing was written: ${error}`);
    }
    const found = await this.readBytes(file);
    if (expected === null && !('missing' in found)) return refused(`${file} exists on disk now; it was left as it is.`);
    if (expected !== null && !('content' in found && revisionOf(found.content) === expected)) {
      return refused(`${file} changed on disk since it was listed; it was left as it is.`);
    }
    const previous = 'content' in found ? found.content : null;
    const onDisk = previous && entryOf(file, previous);
    if (onDisk?.error !== undefined) return refused(`${file} on disk is not a valid profile (${onDisk.error}); the lab never overwrites it.`);
    if (content === null) {
      try {
        await unlink(path.join(this.dir, file));
      } catch (err) {
        return refused(`cannot remove ${file}: ${explainIoError(err)}`);
      }
      return { file, ok: true, previous, revision: null };
    }
    const failure = await this.write(file, content);
    if (failure !== null) return refused(failure);
    return { file, ok: true, previous, revision: revisionOf(content) };
  }

  /** Writes file atomically; null when it did, else why not in words, naming the file and saying what is on disk. */
  private async write(file: string, content: string | Buffer): Promise<string | null> {
    try {
      await writeFileAtomically(this.dir, file, content);
      return null;
    } catch (err) {
      if (err instanceof FolderSyncError) {
        return `${file} now holds the new version, but ${this.dir} could not be synced to disk (${explainIoError(err.cause)}): the save may not survive a crash or power cut. Save again to be sure.`;
      }
      return `cannot save ${file} in ${this.dir}: ${explainIoError(err)}. Nothing was changed.`;
    }
  }

  // A save of an existing file: it must still be there, valid, and as the edit found it.
  private checkEdited(
    request: StoreSaveRequest,
    entries: ProfileEntry[],
  ): { ok: true; entry: ProfileEntry } | Extract<SaveOutcome, { ok: false }> {
    const file = request.file!;
    if (!isProfileFileName(file)) return { ok: false, reason: 'invalid', message: `not a profile file name: ${JSON.stringify(file)}` };
    const entry = entries.find((e) => e.file === file);
    const keep = 'Nothing was written: reload it, or save your edit under another name.';
    if (!entry) return { ok: false, reason: 'stale', message: `${file} was deleted on disk since it was opened. ${keep}` };
    if (request.baseRevision === undefined) {
      return { ok: false, reason: 'stale', message: `${file} exists on disk and the save does not say which revision it started from. ${keep}` };
    }
    if (request.baseRevision !== entry.revision) {
      return { ok: false, reason: 'stale', message: `${file} changed on disk since it was opened. ${keep}` };
    }
    if (entry.error !== undefined) {
      return { ok: false, reason: 'stale', message: `${file} on disk is not a valid profile (${entry.error}); the lab never overwrites it. ${keep}` };
    }
    return { ok: true, entry };
  }

  private async read(file: string): Promise<ProfileEntry> {
    const found = await this.readBytes(file);
    return 'content' in found ? entryOf(file, found.content) : { file, error: found.error, revision: '' };
  }

  // The file's bytes, or why not (`missing`: there is no file of that name).
  private async readBytes(file: string): Promise<{ content: Buffer } | { error: string; missing?: true }> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path.join(this.dir, file), PROFILE_READ_FLAGS);
      // Checked on what was opened, so that nothing can be swapped in between.
      const info = await handle.stat();
      if (!info.isFile()) return { error: 'not a regular file' };
      if (info.size > MAX_PROFILE_BYTES) return { error: `too large for a profile (${info.size} bytes)` };
      return { content: await handle.readFile() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { error: SYMLINK_REFUSED };
      return { error: `cannot read: ${explainIoError(err)}`, ...(code === 'ENOENT' && { missing: true as const }) };
    } finally {
      await handle?.close();
    }
  }

  /** Throws UnsafeFolderError when the folder is not private (private-folder.ts), or the errno error. */
  private async checkFolder(): Promise<void> {
    await (await openPrivateFolder(this.dir, WHAT)).close();
  }

  // Every name in the folder, profiles or not: a new file never replaces any of them.
  private async takenNames(): Promise<Set<string>> {
    try {
      return new Set(await readdir(this.dir));
    } catch {
      return new Set();
    }
  }

  private oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const next = this.lastChange.then(change, change);
    this.lastChange = next.catch(() => {});
    return next;
  }
}

const SYMLINK_REFUSED =
  'refused: a symbolic link. The lab reads only the files themselves in its folder, never through a link, whose target could be any file this user may read';

const revisionOf = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex').slice(0, 16);

/** A profile as the lab writes its file: indented for people and diffs. */
export const serializeProfile = (profile: unknown): string => `${JSON.stringify(profile, null, 2)}\n`;

// A file's entry from its bytes: the profile, or why they are not one.
function entryOf(file: string, content: Buffer): ProfileEntry {
  const revision = revisionOf(content);
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (err) {
    return { file, error: `not valid JSON: ${(err as Error).message}`, revision };
  }
  const checked = parseOrProblems(ProfileSchema, json);
  if (!checked.ok) return { file, error: checked.problems.map(formatProblem).join('; '), revision };
  return { file, profile: json as Profile, revision };
}

/** "List fds (long)" -> "list-fds-long"; names with nothing usable in them -> "profile". */
function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: é -> e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug || 'profile';
}

// "list-fds.json", or "list-fds-2.json" when another file has that name already.
function freeFileName(name: string, taken: ReadonlySet<string>): string {
  const slug = slugOf(name);
  for (let n = 1; ; n++) {
    const file = n === 1 ? `${slug}.json` : `${slug}-${n}.json`;
    if (!taken.has(file)) return file;
  }
}
