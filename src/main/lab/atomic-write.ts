// Replacing a file so that readers see the old content or the new, never a mix, and a
// crash leaves one of the two on disk: temp file in the same folder, write, fsync,
// rename over the target, fsync the folder (which makes the rename itself durable).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Throws the errno error of the step that failed; the target is then unchanged. */
export async function writeFileAtomically(dir: string, name: string, content: string): Promise<void> {
  // A dotfile without the .json ending: never listed as a profile, even if left behind.
  const temp = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', 0o644);
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
    await file.close();
    await rename(temp, path.join(dir, name));
  } catch (err) {
    await file.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw err;
  }
  await syncFolder(dir);
}

export async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
