// The lab's secret store: environment values that profiles name (`secrets[].fromStore`)
// rather than hold, because profiles are committed, exported, shown and kept as drafts
// (issue 11). One JSON file, `secrets.json` (0600), in a private folder beside the profiles
// (`secrets`, 0700; a found folder must be the user's alone: private-folder.ts), written
// atomically. Values leave it only for a launch's environment: the API lists keys, never
// values.
import * as z from 'zod';

import type { ControlOutcome } from '../../shared/api';
import type { Problem } from '../../shared/problems';
import { explainIoError } from './io-error';
import { PrivateJsonFile } from './private-json-file';

const WHAT = 'secrets folder';
const FILE = 'secrets.json';

/** A value is one environment string for execve: at most MAX_ARG_STRLEN (128 KiB) with its name. */
export const MAX_SECRET_BYTES = 128 * 1024;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

const SecretFileSchema = z.strictObject({
  version: z.literal(1),
  values: z.record(z.string(), z.string()),
});

/** Why a launch (or a check) cannot have the store's values, at the profile's secrets. */
export function unreadableStore(err: unknown): Problem {
  return { path: 'secrets', message: `the lab's secret store cannot be read: ${explainIoError(err)}` };
}

export class SecretStore {
  private readonly file: PrivateJsonFile<typeof SecretFileSchema>;

  constructor(readonly dir: string) {
    this.file = new PrivateJsonFile(dir, FILE, SecretFileSchema, { what: WHAT, kind: "the lab's secret store", maxBytes: MAX_FILE_BYTES });
  }

  /** Every key and its value; none when there is no store yet. Throws, saying why, when it cannot be read. */
  async values(): Promise<Record<string, string>> {
    return (await this.file.read())?.values ?? {};
  }

  /** The keys, never the values. */
  async keys(): Promise<string[]> {
    return Object.keys(await this.values()).sort();
  }

  set(key: string, value: string): Promise<ControlOutcome> {
    if (key === '' || key.includes('\0')) return Promise.resolve({ ok: false, message: 'a secret needs a key without NUL bytes' });
    if (value.includes('\0')) return Promise.resolve({ ok: false, message: 'an environment value cannot hold a NUL byte' });
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) {
      return Promise.resolve({ ok: false, message: `the value is longer than an environment string may be (${MAX_SECRET_BYTES} bytes)` });
    }
    return this.change((values) => ({ ...values, [key]: value }));
  }

  remove(key: string): Promise<ControlOutcome> {
    return this.change((values) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== key)));
  }

  private async change(apply: (values: Record<string, string>) => Record<string, string>): Promise<ControlOutcome> {
    try {
      await this.file.change((current) => ({ version: 1 as const, values: apply(current?.values ?? {}) }));
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `cannot keep the secret in ${this.dir}: ${explainIoError(err)}` };
    }
  }
}
