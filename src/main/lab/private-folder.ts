// The lab's own folders: the profiles (environments, often secrets) and the runs' output.
// Whoever else can write to such a folder can swap what is in it between the lab's check
// and its use (a /tmp/runs made first by another user turned the lab's pruning into
// deleting that user's pick of root's files), and whoever owns it can read and change it.
// So the lab makes its folders 0700, and uses a found one only when it is private:
//   - the folder itself, never a symbolic link to one: a link can be pointed elsewhere by
//     whoever may change it, after the check (O_NOFOLLOW with O_DIRECTORY: ENOTDIR);
//   - owned by the lab's user (its effective uid);
//   - not writable by its group or by others.
// A folder that fails is refused with an error naming it and why, never repaired: the lab
// cannot know who else relies on its mode, nor undo what someone may already have put there.
import fs, { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';

/** A folder opened as itself: never through a symlink at its last component, and only a folder. */
export const FOLDER_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** Modes for what the lab makes: only its user may read or change them. */
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export class UnsafeFolderError extends Error {
  constructor(dir: string, what: string, why: string) {
    super(`the ${what} ${dir} is refused: ${why}`);
  }
}

/** Why a folder (fstat of it, opened with FOLDER_FLAGS) is not private to this user, or null. */
function privacyProblem(info: fs.Stats): string | null {
  const euid = process.geteuid!();
  if (info.uid !== euid) {
    return `it belongs to uid ${info.uid}, not to this user (uid ${euid}): its owner could read what the lab keeps there and swap it`;
  }
  const writers = [info.mode & 0o020 ? 'its group' : '', info.mode & 0o002 ? 'everyone' : ''].filter(Boolean).join(' and ');
  if (writers !== '') {
    const mode = (info.mode & 0o7777).toString(8).padStart(4, '0');
    return `its mode is ${mode}, writable by ${writers}, who could swap what the lab keeps there (chmod go-w to keep it)`;
  }
  return null;
}

const SYMLINK = 'it is a symbolic link: the lab uses only the folder itself, since a link can be pointed elsewhere after the check';

/** FOLDER_FLAGS on a symlink fail with ENOTDIR (O_DIRECTORY is checked first), or ELOOP. */
const mayBeSymlink = (err: unknown): boolean => ['ENOTDIR', 'ELOOP'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Opens `dir`, checked private; the caller closes it. Throws UnsafeFolderError for a folder
 * that is not private, or the errno error of the open (ENOENT: missing, ENOTDIR: a file).
 */
export async function openPrivateFolder(dir: string, what: string): Promise<FileHandle> {
  let folder: FileHandle;
  try {
    folder = await open(dir, FOLDER_FLAGS);
  } catch (err) {
    if (mayBeSymlink(err) && (await lstat(dir)).isSymbolicLink()) throw new UnsafeFolderError(dir, what, SYMLINK);
    throw err;
  }
  try {
    const problem = privacyProblem(await folder.stat());
    if (problem !== null) throw new UnsafeFolderError(dir, what, problem);
    return folder;
  } catch (err) {
    await folder.close();
    throw err;
  }
}

/**
 * A name for a folder open as `folder` that the kernel resolves to that open folder itself
 * (/proc/self/fd/N is a "magic link": it jumps to the open file, not to a path), whatever
 * was renamed or swapped since. A lookup below it starts there: `${pinned}/entry` can only
 * ever mean an entry of that folder.
 */
export const pinnedPath = (folder: FileHandle): string => `/proc/self/fd/${folder.fd}`;

/** openPrivateFolder, synchronously, closed again: for checks the caller must make before it returns. */
export function checkPrivateFolderSync(dir: string, what: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, FOLDER_FLAGS);
  } catch (err) {
    if (mayBeSymlink(err) && fs.lstatSync(dir).isSymbolicLink()) throw new UnsafeFolderError(dir, what, SYMLINK);
    throw err;
  }
  try {
    const problem = privacyProblem(fs.fstatSync(fd));
    if (problem !== null) throw new UnsafeFolderError(dir, what, problem);
  } finally {
    fs.closeSync(fd);
  }
}
