// Bytes in a profile (the README, "Profiles on disk": contract section 1c). Program paths,
// arguments, environment entries, dir, file paths and stdin reach the kernel as bytes, not
// text: any of them may be { "hex": "..." } in place of a string, for bytes that are not
// UTF-8. People see such bytes as text where they are UTF-8 and as \xNN escapes where not;
// the profile keeps them exact. Plain code: no Buffer, no TextEncoder (this layer has
// neither Node's nor the DOM's globals), and the renderer uses it too.

/** A string (its UTF-8 bytes), or bytes given in hex. */
export type Bytes = string | { hex: string };

export function isHexBytes(value: unknown): value is { hex: string } {
  return typeof value === 'object' && value !== null && typeof (value as { hex?: unknown }).hex === 'string';
}

/** A string's UTF-8 bytes (a lone surrogate becomes U+FFFD, as TextEncoder does). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

/** The bytes a value stands for. */
export function bytesOf(value: Bytes): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  const out = new Uint8Array(value.hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The UTF-8 sequence starting at bytes[i]: its length and code point, or length 0 when none starts there. */
function utf8SequenceAt(bytes: Uint8Array, i: number): { length: number; code: number } {
  const none = { length: 0, code: 0 };
  const b = bytes[i]!;
  if (b < 0x80) return { length: 1, code: b };
  const [length, min] = b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : b >= 0xe0 ? [3, 0x800] : b >= 0xc2 && b < 0xe0 ? [2, 0x80] : [0, 0];
  if (length === 0 || i + length > bytes.length) return none;
  let code = b & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const c = bytes[i + k]!;
    if ((c & 0xc0) !== 0x80) return none;
    code = (code << 6) | (c & 0x3f);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  return code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff ? none : { length, code };
}

/** As people read it: the text where the bytes are UTF-8, a \xNN escape for each byte that is not. */
export function showBytes(value: Bytes): string {
  if (typeof value === 'string') return value;
  const bytes = bytesOf(value);
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const { length, code } = utf8SequenceAt(bytes, i);
    if (length === 0) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += String.fromCodePoint(code);
      i += length;
    }
  }
  return out;
}

/** Bytes as a value: a string where they are UTF-8 (exactly), { hex } where not. */
export function bytesValue(bytes: Uint8Array): Bytes {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const text = showBytes({ hex });
  const back = bytesOf(text);
  return back.length === bytes.length && back.every((b, i) => b === bytes[i]) ? text : { hex };
}

/** Values one after another, as one value (a string unless some part is not UTF-8). */
export function joinBytes(...parts: Bytes[]): Bytes {
  if (parts.every((p): p is string => typeof p === 'string')) return parts.join('');
  const all = parts.map(bytesOf);
  const out = new Uint8Array(all.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of all) {
    out.set(b, at);
    at += b.length;
  }
  return bytesValue(out);
}
