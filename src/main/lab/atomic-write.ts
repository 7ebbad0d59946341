// Replacing a file so that readers see the old content or the new, never a mix, and a
// crash leaves one of the two on disk: temp file in the same folder, write, fsync,
// rename over the target, fsync the folder (which makes the rename itself durable).
//
// A full disk can show at any of the first steps: write(2) may write part of the data and
// then fail with ENOSPC, and on file systems with delayed allocation (ext4, xfs) only the
// fsync finds out (fsync(2)). Any failure before the rename removes the temp file: the
// target is untouched, and the folder holds nothing new.
import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

import { PRIVATE_FILE_MODE } from './private-folder';

/** The target was replaced, but the folder's fsync failed: the rename may not survive a crash. */
export class FolderSyncError extends Error {
  constructor(dir: string, cause: unknown) {
    super(`cannot sync the folder ${dir} to disk`, { cause });
  }
}

// `.NAME.PID.RANDOM.tmp`: a dotfile without the .json ending is never listed as a profile,
// even when left behind; the writer's pid says whether it may still be writing it.
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;
const tempName = (name: string): string => `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;

/**
 * Throws the errno error of the step that failed, the target then unchanged; or a
 * FolderSyncError when only the last step failed, the target then already replaced.
 */
export async function writeFileAtomically(dir: string, name: string, content: string | Buffer): Promise<void> {
  const temp = path.join(dir, tempName(name));
  // 0600: a profile holds an environment, which may hold secrets (private-folder.ts).
  const file = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await file.writeFile(content, 'utf8'); // the encoding of a string; bytes go as they are
    await file.sync();
    await file.close();
    await rename(temp, path.join(dir, name));
  } catch (err) {
    await file.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw err;
  }
  try {
    await syncFolder(dir);
  } catch (err) {
    throw new FolderSyncError(dir, err);
  }
}

async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** A writer that has not finished in this long is not going to: its pid was checked too. */
export const ABANDONED_AFTER_MS = 60_000;
/** Past this age a temp file goes whatever its pid says (reused since, or from another host). */
export const ABANDONED_WHATEVER_PID_AFTER_MS = 24 * 60 * 60_000;

/**
 * Removes the temp files that writers killed mid-save left in `dir` (a SIGKILL, a power
 * cut); returns their names. Two labs may share the folder (the app, `proclab serve`, a
 * second server), so a temp file goes only when no writer can still be at it: its
 * writer's pid is not a running process here and it was last written more than a minute
 * ago, or it is more than a day old. The pid alone is not enough: a lab in another pid
 * namespace or on another host sharing the folder has pids that mean nothing here; the
 * minute covers it, a save taking milliseconds from its write to its rename. (A writer
 * stuck longer than that would find its temp file gone, and its save fail with ENOENT,
 * the target untouched.) Only names of our own pattern are touched, and only regular files.
 */
export async function removeAbandonedTempFiles(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined) continue;
    const full = path.join(dir, name);
    try {
      const info = await lstat(full);
      const age = now - info.mtimeMs;
      const abandoned =
        age > ABANDONED_WHATEVER_PID_AFTER_MS || (age > ABANDONED_AFTER_MS && !isRunning(Number(pid)));
      if (!info.isFile() || !abandoned) continue;
      await unlink(full);
      removed.push(name);
    } catch {
      // Gone already (another lab cleaned it), or a folder we may not write to: leave it.
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
