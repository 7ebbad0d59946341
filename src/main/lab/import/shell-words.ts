// One word of a shell line, from its tree-sitter-bash node to the bytes the program gets
// (bash(1), QUOTING): '...' as it is, "..." with \$ \` \" \\ and \newline, $'...' with C
// escapes, unquoted with backslashes removed. A word bash would expand ($VAR, $(...), a
// glob, ~, {a,b}) has no bytes until a shell runs: Unsupported, naming the construct.
import type { Node } from 'web-tree-sitter';

import { bytesOf, bytesValue, joinBytes, type Bytes } from '../../../shared/bytes';
import { Unsupported } from '../../../shared/shell-import/shell-command';
import { constructOf } from './shell-constructs';

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, e: 27, E: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** $'...' (bash(1), QUOTING): the bytes of its escapes; bash ends the word at a NUL. */
function ansiC(inner: string): Bytes {
  const out: number[] = [];
  const push = (code: number) => out.push(...bytesOf(String.fromCodePoint(code)));
  let i = 0;
  while (i < inner.length) {
    const ch = inner[i]!;
    if (ch !== '\\' || i + 1 >= inner.length) {
      push(inner.codePointAt(i)!);
      i += ch.length === 1 && inner.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    const rest = inner.slice(i + 1);
    let m: RegExpExecArray | null;
    let byte: number | undefined;
    let code: number | undefined;
    let length = 1;
    if (rest[0]! in SIMPLE_ESCAPES) byte = SIMPLE_ESCAPES[rest[0]!];
    else if ((m = /^[0-7]{1,3}/.exec(rest))) [byte, length] = [parseInt(m[0], 8) & 0xff, m[0].length];
    else if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) [byte, length] = [parseInt(m[1]!, 16), m[0].length];
    else if ((m = /^u([0-9a-fA-F]{1,4})/.exec(rest)) ?? (m = /^U([0-9a-fA-F]{1,8})/.exec(rest))) [code, length] = [parseInt(m[1]!, 16), m[0].length];
    else if ((m = /^c(.)/.exec(rest))) [byte, length] = [m[1]!.charCodeAt(0) & 0x1f, 2];
    else [byte, length] = [92, 0]; // an unknown escape keeps its backslash
    if (byte === 0 || code === 0) break;
    if (byte !== undefined) out.push(byte);
    else if (code !== undefined && code <= 0x10ffff) push(code);
    i += 1 + length;
  }
  return bytesValue(Uint8Array.from(out));
}

/** Unquoted text: what bash would expand is refused, a backslash quotes the next character. */
function unquoted(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      // backslash-newline joins lines; any other escaped character is itself.
      if (text[i + 1] !== '\n') out += text[i + 1] ?? '';
      i++;
      continue;
    }
    if ('*?['.includes(ch)) throw new Unsupported(`a glob pattern, which the shell expands to file names: "${text}"`);
    if (ch === '~' && i === 0) throw new Unsupported(`a ~ the shell expands to a home directory: "${text}"`);
    out += ch;
  }
  return out;
}

/** The bytes of a word node: an argument, a command name, a file name, an assignment's value. */
export function wordBytes(node: Node): Bytes {
  switch (node.type) {
    case 'command_name':
      return wordBytes(node.firstNamedChild!);
    case 'word':
      return unquoted(node.text);
    case 'number':
      return node.text;
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return ansiC(node.text.slice(2, -1));
    case 'string':
    case 'translated_string': {
      const expansion = node.namedChildren.find((child) => child?.type !== 'string_content');
      if (expansion) throw new Unsupported(`${constructOf(expansion)}: "${expansion.text}"`);
      const inner = node.text.slice(node.type === 'string' ? 1 : 2, -1);
      return inner.replace(/\\([$`"\\\n])/g, (_all, ch: string) => (ch === '\n' ? '' : ch));
    }
    case 'concatenation': {
      // {a,b} and {1..3}: brace expansion, across the concatenation's unquoted parts.
      const plain = node.namedChildren.map((part) => (part?.type === 'word' ? part.text : '\0')).join('');
      if (/\{[^}\0]*(,|\.\.)[^}\0]*\}/.test(plain)) throw new Unsupported(`a brace expansion, which the shell expands to several words: "${node.text}"`);
      return joinBytes(...node.namedChildren.map((part) => wordBytes(part!)));
    }
    default:
      throw new Unsupported(`${constructOf(node)}: "${node.text}"`);
  }
}
