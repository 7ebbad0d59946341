// A profile's secrets (profile.ts, SecretSchema) as the environment entries of a launch:
// their values from the lab's environment or from the lab's secret store (the caller loads
// it: secret-store.ts). Each one that cannot be had is a problem at its field, so that the
// launch is refused and says where.
import type { Problem } from '../../shared/problems';
import type { NormalizedProfile } from '../../shared/profile';

export type SecretEnv = { ok: true; entries: string[] } | { ok: false; problems: Problem[] };

export function secretEnv(profile: Pick<NormalizedProfile, 'secrets'>, stored: Readonly<Record<string, string>> | undefined): SecretEnv {
  const entries: string[] = [];
  const problems: Problem[] = [];
  profile.secrets.forEach((secret, i) => {
    if (secret.fromLabEnv !== undefined) {
      const value = process.env[secret.fromLabEnv];
      if (value === undefined) problems.push({ path: `secrets[${i}].fromLabEnv`, message: `the lab's environment has no ${secret.fromLabEnv}` });
      else entries.push(`${secret.name}=${value}`);
      return;
    }
    const key = secret.fromStore!;
    const value = stored && Object.hasOwn(stored, key) ? stored[key] : undefined;
    if (value === undefined) {
      const where = stored ? "the lab's secret store has no such key" : "this launch has no secret store (the app and proclab keep one beside the profiles)";
      problems.push({ path: `secrets[${i}].fromStore`, message: `${key}: ${where}` });
    } else {
      entries.push(`${secret.name}=${value}`);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

/** The names of a profile's secret variables: what a report of the child's environment masks. */
export const secretNames = (profile: { secrets?: readonly { name: string }[] }): Set<string> => new Set((profile.secrets ?? []).map((s) => s.name));

/** "NAME=value" entries with the values of `names` masked. */
export function maskSecrets(entries: readonly string[], names: ReadonlySet<string>): string[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    return eq > 0 && names.has(entry.slice(0, eq)) ? `${entry.slice(0, eq)}=••••••` : entry;
  });
}

const namesSource = (profile: unknown, source: 'fromStore' | 'fromLabEnv'): boolean => {
  const secrets = (profile as { secrets?: unknown } | null)?.secrets;
  return Array.isArray(secrets) && secrets.some((s) => typeof s === 'object' && s !== null && source in s);
};

/** Whether a profile (not yet checked) names a key of the secret store: only then is it read. */
export const usesSecretStore = (profile: unknown): boolean => namesSource(profile, 'fromStore');

/** Whether a profile (not yet checked) takes a secret from the lab's environment. */
export const usesLabEnv = (profile: unknown): boolean => namesSource(profile, 'fromLabEnv');
