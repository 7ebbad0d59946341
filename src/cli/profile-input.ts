// What every command that takes a profile file shares: reading it, refusing it (exit 2, one
// line per problem), and the lab's secrets for it.
import path from 'node:path';

import { defaultProfilesDir } from '../main/lab/default-profiles-dir';
import { InvalidProfileError, validate } from '../main/lab/index';
import { usesSecretStore } from '../main/lab/secret-env';
import { formatProblems } from './format';
import { readProfileFile } from './profile-file';
import { sayLine } from './say';

export const INVALID = 2;

// Reads FILE, or prints why not and exits 2. Whether it is a profile is for validate() to say.
export function loadProfile(file: string): unknown {
  const read = readProfileFile(file);
  if (!read.ok) {
    console.error(read.message);
    process.exit(INVALID);
  }
  return read.profile;
}

export function reportInvalid(err: unknown): never {
  if (err instanceof InvalidProfileError) {
    for (const line of formatProblems('error', err.problems)) console.error(line);
    process.exit(INVALID);
  }
  throw err;
}

// The teaching warnings, on stderr, before a launch or an exec.
export function printWarnings(profile: unknown): void {
  for (const line of formatProblems('warning', validate(profile).warnings)) sayLine(2, line);
}

// The lab's secret store, where `proclab serve` keeps it: `secrets` beside the default
// profiles folder, read only when the profile takes a secret from it. One that cannot be
// read refuses the launch, saying why.
export async function secretsFor(profile: unknown): Promise<Record<string, string> | undefined> {
  if (!usesSecretStore(profile)) return undefined;
  // Loaded here, for the profiles that take a secret from it: the others start without it (issue 17).
  const { SecretStore, unreadableStore } = await import('../main/lab/secret-store');
  try {
    return await new SecretStore(path.join(path.dirname(defaultProfilesDir()), 'secrets')).values();
  } catch (err) {
    for (const line of formatProblems('error', [unreadableStore(err)])) console.error(line);
    process.exit(INVALID);
  }
}
