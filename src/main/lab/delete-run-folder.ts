// Deleting one of the lab's old run folders (runs-folder.ts prunes with it) without ever
// following a symlink, however the names in the runs folder change meanwhile.
//
// A delete by path (fs.rm's recursion) checks a name, then reads and deletes through that
// same name: whoever swaps the folder for a symlink in between makes it delete the link's
// target's files instead. The safe way is to work from an open folder, as unlinkat(2) does,
// but Node has no unlinkat and no fdopendir, and a native helper would be a second engine
// to build. So each folder is opened as itself (O_DIRECTORY|O_NOFOLLOW: a symlink fails with
// ELOOP) and then named by its pinned path, /proc/self/fd/N (private-folder.ts), which the
// kernel resolves to the open folder itself. Below it only one name is ever looked up, and
// lstat, unlink and rmdir never follow a symlink at the last name: the worst a swap can do
// is make the lab remove that symlink. Without /proc (a chroot without it) nothing resolves
// and nothing is deleted.
import type { Stats } from 'node:fs';
import { lstat, open, readdir, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import { FOLDER_FLAGS, pinnedPath } from './private-folder';

/** The files the lab writes in a run folder (runs-folder.ts, run-summary.ts): nothing else there is deleted. */
const LAB_FILE = /^((fd\d+|pty)\.txt|run\.json)$/;

/**
 * Deletes the run folder `name` of the runs folder whose pinned path is `runsFolder`, when
 * the lab made it: a folder (never a symlink), owned by this user, closed to group and
 * others (the lab makes run folders 0700). Only the lab's own files in it go: anything
 * else in it keeps the folder.
 */
export async function deleteRunFolder(runsFolder: string, name: string): Promise<void> {
  let folder: FileHandle;
  try {
    folder = await open(path.join(runsFolder, name), FOLDER_FLAGS);
  } catch {
    return; // gone already (another prune), a symlink (ELOOP), or not a folder
  }
  try {
    if (!madeByTheLab(await folder.stat())) return;
    const inside = pinnedPath(folder);
    for (const entry of await readdir(inside)) {
      if (!LAB_FILE.test(entry)) continue;
      const file = path.join(inside, entry);
      try {
        if ((await lstat(file)).isFile()) await unlink(file);
      } catch {
        // gone meanwhile, or swapped for a folder (EISDIR): left as it is
      }
    }
  } finally {
    await folder.close();
  }
  // ENOTEMPTY: something not the lab's is in it; ENOTDIR: the name is a symlink by now.
  await rmdir(path.join(runsFolder, name)).catch(() => {});
}

/** A run folder the lab made: a folder (never a symlink), owned by this user, closed to group and others. */
export function madeByTheLab(info: Stats): boolean {
  return info.isDirectory() && info.uid === process.geteuid!() && (info.mode & 0o077) === 0;
}
