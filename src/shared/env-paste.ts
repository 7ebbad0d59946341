// Environment text pasted into the builder (a .env file, `export` lines from a shell's rc
// file, `env` output), read the way a POSIX shell reads these assignments (POSIX.1-2017
// XCU 2.2 Quoting, 2.3 Token Recognition, 2.9.1 Simple Commands):
//   NAME=value; `export NAME=value`; several on one line (`A=1 B=2`);
//   'single quotes': every character literal, up to the next ';
//   "double quotes": a backslash escapes only $ ` " \ and a newline, and stays otherwise;
//   unquoted: a backslash escapes the next character, a blank ends the value;
//   # starts a comment only at the start of a word (`A=x#y` keeps `#y`);
//   quotes may span lines; blank lines and comment lines are skipped.
// A statement a shell would not simply turn into variables (it would expand $X or ~, run a
// command, redirect) is left out, with a problem naming its line and why: the lab takes
// text as it is and must not guess what a shell would have made of it.
// No DOM and no Node here: the renderer's paste box uses it, the tests run it directly.

export interface EnvPasteProblem {
  /** 1-based: the line the statement starts on. */
  line: number;
  /** That line as pasted, for the message (the paste box is emptied once applied). */
  text: string;
  message: string;
}

export interface EnvPaste {
  /** "NAME=value" entries, in the order pasted. */
  entries: string[];
  problems: EnvPasteProblem[];
}

/** A name a shell assigns to (XBD 3.235): letters, digits and underscores, not first a digit. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BLANKS = new Set([' ', '\t']);
/** Unquoted, these end a word and start shell syntax the paste box does not take. */
const OPERATORS = new Set([';', '&', '|', '<', '>', '(', ')']);
/** After $, what a shell expands: a name, a digit, a special parameter, ${...}, $(...). */
const EXPANDS_AFTER_DOLLAR = /[A-Za-z_0-9{(@*#?$!-]/;
/** Unquoted, also $'...' (POSIX.1-2024) and bash's $"...". */
const EXPANDS_AFTER_UNQUOTED_DOLLAR = /['"]/;

/** A word after quote removal; `plain[i]`: value[i] was neither quoted nor escaped. */
interface Word {
  value: string;
  plain: boolean[];
}

/** Syntax a shell would treat otherwise: the rest of its line cannot be read as words. */
class SyntaxProblem extends Error {}

export function parseEnvPaste(pasted: string): EnvPaste {
  const text = pasted.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const reader = new Reader(text);
  const entries: string[] = [];
  const problems: EnvPasteProblem[] = [];
  while (!reader.atEnd()) {
    const line = reader.line;
    const problem = (message: string) => problems.push({ line, text: lines[line - 1]!.trim(), message });
    try {
      const words = reader.statement();
      const taken = assignments(words);
      if (typeof taken === 'string') problem(taken);
      else entries.push(...taken);
    } catch (err) {
      if (!(err instanceof SyntaxProblem)) throw err;
      problem(err.message);
      reader.skipLine();
    }
  }
  return { entries, problems };
}

/** A statement's words as "NAME=value" entries, or why a shell would not just set variables. */
function assignments(words: Word[]): string[] | string {
  const exported = words.length > 0 && isPlain(words[0]!, 'export');
  if (exported) {
    words = words.slice(1);
    if (words.length === 0) return '"export" with nothing after it sets no variable';
  }
  const entries: string[] = [];
  for (const word of words) {
    const eq = word.value.indexOf('=');
    const name = eq < 0 ? word.value : word.value.slice(0, eq);
    const plainName = word.plain.slice(0, Math.max(eq, 0)).every(Boolean);
    if (eq > 0 && plainName && SHELL_NAME.test(name)) {
      if (expandsTilde(word, eq)) return `a shell would expand the ~ in ${name}'s value to a home directory; write the path out`;
      entries.push(word.value);
      continue;
    }
    if (exported && eq < 0 && SHELL_NAME.test(name)) {
      return `"export ${name}" without "=" passes on the shell's own ${name}, which the lab does not have: give it a value`;
    }
    if (entries.length > 0 && !exported) {
      return `"${word.value}" after the assignments is a command: a shell would run it, with these variables set for it alone`;
    }
    if (eq < 0) return `"${word.value}" is not NAME=value: a shell would run it as a command`;
    return `"${name}" is not a name a shell assigns to (letters, digits and _, not starting with a digit)`;
  }
  return entries;
}

const isPlain = (word: Word, text: string): boolean => word.value === text && word.plain.every(Boolean);

/** Whether the value has an unquoted ~ a shell expands in an assignment: at its start, or after an unquoted ":". */
function expandsTilde(word: Word, eq: number): boolean {
  for (let i = eq + 1; i < word.value.length; i++) {
    if (word.value[i] !== '~' || !word.plain[i]) continue;
    if (i === eq + 1 || (word.value[i - 1] === ':' && word.plain[i - 1])) return true;
  }
  return false;
}

/** Reads statements (words up to an unquoted newline) from the text, tracking the line. */
class Reader {
  private pos = 0;
  line = 1;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** The words of the next statement, its newline consumed; none for a blank or comment line. */
  statement(): Word[] {
    const words: Word[] = [];
    for (;;) {
      while (BLANKS.has(this.peek())) this.pos++;
      if (this.peek() === '#') while (!this.atEnd() && this.peek() !== '\n') this.pos++;
      if (this.atEnd()) return words;
      if (this.peek() === '\n') {
        this.next();
        return words;
      }
      words.push(this.word());
    }
  }

  /** After a syntax problem: on from the next line. */
  skipLine(): void {
    while (!this.atEnd() && this.next() !== '\n');
  }

  private word(): Word {
    const word: Word = { value: '', plain: [] };
    const add = (c: string, plain: boolean) => {
      word.value += c;
      word.plain.push(plain);
    };
    while (!this.atEnd()) {
      const c = this.peek();
      if (BLANKS.has(c) || c === '\n') break;
      if (OPERATORS.has(c)) throw new SyntaxProblem(`"${c}" is shell syntax the paste box does not take: one assignment statement per line`);
      this.next();
      if (c === "'") this.singleQuoted(add);
      else if (c === '"') this.doubleQuoted(add);
      else if (c === '\\') {
        // Unquoted: a backslash-newline joins the lines; any other character is taken as it is.
        if (this.atEnd()) add('\\', false);
        else if (this.peek() === '\n') this.next();
        else add(this.next(), false);
      } else {
        this.refuseExpansion(c, EXPANDS_AFTER_UNQUOTED_DOLLAR);
        add(c, true);
      }
    }
    return word;
  }

  private singleQuoted(add: (c: string, plain: boolean) => void): void {
    const opened = this.line;
    for (;;) {
      if (this.atEnd()) throw new SyntaxProblem(`the ' opened on line ${opened} is never closed: nothing after it was taken`);
      const c = this.next();
      if (c === "'") return;
      add(c, false);
    }
  }

  private doubleQuoted(add: (c: string, plain: boolean) => void): void {
    const opened = this.line;
    for (;;) {
      if (this.atEnd()) throw new SyntaxProblem(`the " opened on line ${opened} is never closed: nothing after it was taken`);
      const c = this.next();
      if (c === '"') return;
      if (c === '\\' && !this.atEnd() && '$`"\\\n'.includes(this.peek())) {
        const escaped = this.next();
        if (escaped !== '\n') add(escaped, false);
        continue;
      }
      this.refuseExpansion(c);
      add(c, false);
    }
  }

  // $NAME, ${...}, $(...) and `...`: a shell would put something else there.
  private refuseExpansion(c: string, alsoAfterDollar?: RegExp): void {
    if (c === '`') throw new SyntaxProblem('a shell would run the command in `...` and put its output here; write the value itself');
    if (c === '$' && (EXPANDS_AFTER_DOLLAR.test(this.peek()) || alsoAfterDollar?.test(this.peek()))) {
      throw new SyntaxProblem(`a shell would expand $${this.peek()}… here; write the value itself (in single quotes to keep a $)`);
    }
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private next(): string {
    const c = this.text[this.pos++]!;
    if (c === '\n') this.line++;
    return c;
  }
}
