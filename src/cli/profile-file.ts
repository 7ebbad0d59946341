// Reading a profile file for the CLI: JSON errors are reported like profile problems.
import { readFileSync } from 'node:fs';

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
