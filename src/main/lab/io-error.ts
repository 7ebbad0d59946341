// A failed file operation in words a user can act on: what the errno means, and for the
// usual ones, why it tends to happen.
import { describeErrno, errnoByCode, type ErrnoInfo } from '../../shared/errno';

const LIKELY_CAUSE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: "this user's disk quota is used up",
  EROFS: 'the file system is mounted read-only',
  EACCES: 'this user may not write there (check the folder\'s owner and mode)',
  EPERM: 'the folder or file is protected (immutable, or owned by someone else in a sticky folder)',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** "No space left on device (ENOSPC): the disk is full", or the error's own message. */
export function explainIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const info = code ? errnoByCode(code) : undefined;
  if (!info) return err instanceof Error ? err.message : String(err);
  return explained(info);
}

/** The same, for an errno the engine reports as a number. */
export function explainErrno(errno: number): string {
  return explained(describeErrno(errno));
}

function explained(info: ErrnoInfo): string {
  const cause = LIKELY_CAUSE[info.code];
  return `${info.message} (${info.code})${cause ? `: ${cause}` : ''}`;
}
