// Reading a profile file for the CLI: JSON errors are reported like profile problems.
import { readFileSync } from 'node:fs';

import { InvalidProfileError } from '../main/lab/index';
import { formatProblems } from './format';

/** Exit status 2: an invalid profile or usage. */
export const INVALID = 2;

export type ProfileFile = { ok: true; profile: unknown } | { ok: false; message: string };

export function readProfileFile(file: string): ProfileFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, message: `${file}: cannot read: ${(err as Error).message}` };
  }
  try {
    return { ok: true, profile: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `${file}: not valid JSON: ${(err as Error).message}` };
  }
}

// Reads FILE, or prints why not and exits 2. Whether it is a profile is for validate() to say.
export function loadProfile(file: string): unknown {
  const read = readProfileFile(file);
  if (!read.ok) {
    console.error(read.message);
    process.exit(INVALID);
  }
  return read.profile;
}

// An invalid profile: one line per problem on stderr, exit 2; anything else is thrown on.
export function reportInvalid(err: unknown): never {
  if (err instanceof InvalidProfileError) {
    for (const line of formatProblems('error', err.problems)) console.error(line);
    process.exit(INVALID);
  }
  throw err;
}
