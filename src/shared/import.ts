// What importing a launch gives (proclab import, the app's Import dialog): a new profile
// from a shell command line or from a running process, and what it could not carry over.
import type { Profile } from './profile';

export interface ImportResult {
  profile: Profile;
  /** One sentence per difference between the original and the profile, or construct it fell back for. */
  warnings: string[];
}

/** A process import can fail: the pid is gone, or /proc does not let this user read it. */
export type ImportOutcome = ({ ok: true } & ImportResult) | { ok: false; message: string };

/** A process the user may import (the Import dialog's picker). */
export interface ProcessEntry {
  pid: number;
  uid: number;
  /** The user's name, or the uid as text when the user database has none. */
  user: string;
  /** Its command line, arguments joined by spaces. */
  command: string;
}
