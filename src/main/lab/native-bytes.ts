// A profile's bytes (src/shared/bytes.ts) as the engine and the file system take them: a
// string stays a string (its UTF-8 bytes), { hex } becomes a Buffer of exactly those bytes.
import { showBytes, type Bytes } from '../../shared/bytes';

export type NativeBytes = string | Buffer;

export function toNative(value: Bytes): NativeBytes {
  return typeof value === 'string' ? value : Buffer.from(value.hex, 'hex');
}

/** As people read it: text where UTF-8, \xNN escapes where not (plans, results, messages). */
export function shown(value: NativeBytes): string {
  return typeof value === 'string' ? value : showBytes({ hex: value.toString('hex') });
}

/** An environment entry's name, as bytes (latin1 keeps one char per byte): for comparing names of either kind. */
export function envNameKey(entry: NativeBytes): string {
  const bytes = typeof entry === 'string' ? Buffer.from(entry) : entry;
  const eq = bytes.indexOf(0x3d);
  return bytes.subarray(0, eq < 0 ? bytes.length : eq).toString('latin1');
}
