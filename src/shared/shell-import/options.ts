// A wrapper's options read as its own getopt_long reads them: env, setsid, setpriv, unshare,
// prlimit, chroot, taskset and timeout all pass "+" (stop at the first word that is not an
// option, so the wrapped command's options stay its own). `--` ends the options; `-abc` is
// three flags; `-n5` or `-n 5`, `--name=5` or `--name 5` give a value.

export interface OptionSpec {
  name: string;
  short?: string;
  long?: string;
  /** optional: `--name=value` only (a value is never the next word). */
  arg: 'none' | 'required' | 'optional';
  /** The short form's own kind where it differs (prlimit's `-n5`, unshare's bare `-m`). */
  shortArg?: OptionSpec['arg'];
}

export interface ParsedOption {
  name: string;
  value?: string;
  /** As written, for messages. */
  text: string;
}

export type ParsedOptions = { ok: true; options: ParsedOption[]; rest: number } | { ok: false; unknown: string };

export function parseOptions(words: readonly string[], specs: readonly OptionSpec[]): ParsedOptions {
  const options: ParsedOption[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    if (word === '--') return { ok: true, options, rest: i + 1 };
    if (!word.startsWith('-') || word === '-') break;
    i++;
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const long = word.slice(2, eq < 0 ? undefined : eq);
      const spec = specs.find((s) => s.long === long);
      if (!spec || (spec.arg === 'none' && eq >= 0)) return { ok: false, unknown: word };
      if (eq >= 0) options.push({ name: spec.name, value: word.slice(eq + 1), text: word });
      else if (spec.arg === 'required') {
        if (i >= words.length) return { ok: false, unknown: word };
        options.push({ name: spec.name, value: words[i], text: `${word} ${words[i]}` });
        i++;
      } else options.push({ name: spec.name, text: word });
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const spec = specs.find((s) => s.short === word[k]);
      if (!spec) return { ok: false, unknown: `-${word[k]}` };
      const arg = spec.shortArg ?? spec.arg;
      const attached = word.slice(k + 1);
      if (arg === 'none') {
        options.push({ name: spec.name, text: `-${word[k]}` });
        continue;
      }
      if (attached !== '' || arg === 'optional') {
        options.push({ name: spec.name, ...(attached !== '' && { value: attached }), text: `-${word[k]}${attached}` });
      } else {
        if (i >= words.length) return { ok: false, unknown: word };
        options.push({ name: spec.name, value: words[i], text: `-${word[k]} ${words[i]}` });
        i++;
      }
      break;
    }
  }
  return { ok: true, options, rest: i };
}
