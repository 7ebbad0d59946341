// One of the lab's own folders (the drafts, the runs), for writing in it: made 0700 when it
// is missing, else used only when it is private (private-folder.ts says why and how).
import { mkdir, type FileHandle } from 'node:fs/promises';

import { openPrivateFolder, PRIVATE_FOLDER_MODE } from './private-folder';

/** The folder, open and checked private; the caller closes it. Throws UnsafeFolderError, or the errno error. */
export async function openOrMakePrivateFolder(dir: string, what: string): Promise<FileHandle> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  return openPrivateFolder(dir, what);
}
