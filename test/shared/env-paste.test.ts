// The builder's env paste box: text read as a POSIX shell reads assignments, and a problem
// naming the line and why for each statement a shell would not simply turn into variables.
// Run: node --import tsx --test test/shared/env-paste.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseEnvPaste } from '../../src/shared/env-paste';

const entries = (text: string) => {
  const parsed = parseEnvPaste(text);
  assert.deepEqual(parsed.problems, [], 'no problem');
  return parsed.entries;
};

/** The problems as `line N: message`, and that nothing was taken. */
const refused = (text: string) => {
  const parsed = parseEnvPaste(text);
  assert.deepEqual(parsed.entries, [], 'nothing taken');
  return parsed.problems.map((p) => `line ${p.line}: ${p.message}`);
};

describe('what a shell would set', () => {
  test('an unquoted trailing comment after a blank is not part of the value', () => {
    assert.deepEqual(entries('TRAIL=x # comment'), ['TRAIL=x']);
    assert.deepEqual(entries('TRAIL=x\t#comment'), ['TRAIL=x']);
  });

  test('# inside a word is part of the value', () => {
    assert.deepEqual(entries('COLOR=#ff0000'), ['COLOR=#ff0000']);
    assert.deepEqual(entries('A=x#y'), ['A=x#y']);
  });

  test('export, quotes removed, and a comment after them', () => {
    assert.deepEqual(entries('export V="v" # c'), ['V=v']);
    assert.deepEqual(entries("export V='v' # c"), ['V=v']);
    assert.deepEqual(entries('export   A=1 B=2'), ['A=1', 'B=2']);
  });

  test('single quotes keep every character, backslashes and " included', () => {
    assert.deepEqual(entries(`S='a "b" \\n $HOME # not a comment'`), ['S=a "b" \\n $HOME # not a comment']);
  });

  test('double quotes: a backslash escapes only $ ` " \\ and a newline', () => {
    assert.deepEqual(entries('D="say \\"hi\\" \\$5 \\\\ \\n \\t"'), ['D=say "hi" $5 \\ \\n \\t']);
    assert.deepEqual(entries('D="one \\\ntwo"'), ['D=one two']);
  });

  test('unquoted: a backslash takes the next character as it is; a blank ends the value', () => {
    assert.deepEqual(entries('U=a\\ b\\#c'), ['U=a b#c']);
  });

  test('quotes may span lines; pieces of one word join', () => {
    assert.deepEqual(entries('KEY="-----BEGIN\nabc\n-----END"\nNEXT=1'), ['KEY=-----BEGIN\nabc\n-----END', 'NEXT=1']);
    assert.deepEqual(entries(`MIX=a'b c'"d"e`), ['MIX=ab cde']);
  });

  test('blank lines, comment lines and CRLF line ends are skipped; values may be empty or hold =', () => {
    const text = '# a .env file\r\n\r\n   \r\nEMPTY=\r\n  # indented comment\r\nEQ=a=b\r\nURL=\'?a=b&c=d\'\r\nQUOTED=""\r\n';
    assert.deepEqual(entries(text), ['EMPTY=', 'EQ=a=b', 'URL=?a=b&c=d', 'QUOTED=']);
  });

  test('a ~ inside a value, a $ that expands nothing', () => {
    assert.deepEqual(entries('A=x~y B=\'~\' PRICE=5$ C="$" D="a$ b"'), ['A=x~y', 'B=~', 'PRICE=5$', 'C=$', 'D=a$ b']);
    assert.deepEqual(refused("E=$'\\n'"), ["line 1: a shell would expand $'… here; write the value itself (in single quotes to keep a $)"]);
  });
});

describe('what it cannot take: a problem at the line, and nothing of that statement', () => {
  test('a name with a blank in it: the first word is a command to a shell', () => {
    assert.deepEqual(refused('SPACE KEY=1'), ['line 1: "SPACE" is not NAME=value: a shell would run it as a command']);
  });

  test('lines without =', () => {
    assert.deepEqual(refused('just words'), ['line 1: "just" is not NAME=value: a shell would run it as a command']);
    assert.deepEqual(refused('export'), ['line 1: "export" with nothing after it sets no variable']);
    assert.deepEqual(refused('export HOME'), [
      'line 1: "export HOME" without "=" passes on the shell\'s own HOME, which the lab does not have: give it a value',
    ]);
  });

  test('names a shell does not assign to', () => {
    assert.deepEqual(refused('MY-VAR=1'), ['line 1: "MY-VAR" is not a name a shell assigns to (letters, digits and _, not starting with a digit)']);
    assert.deepEqual(refused('1A=1'), ['line 1: "1A" is not a name a shell assigns to (letters, digits and _, not starting with a digit)']);
    assert.deepEqual(refused('"A"=1'), ['line 1: "A" is not a name a shell assigns to (letters, digits and _, not starting with a digit)']);
  });

  test('a command after assignments', () => {
    assert.deepEqual(refused('A=1 make all'), [
      'line 1: "make" after the assignments is a command: a shell would run it, with these variables set for it alone',
    ]);
  });

  test('expansions a shell would make', () => {
    assert.deepEqual(refused('P=$HOME/bin\nQ="${X}"\nR=`date`\nS=$(date)\nT=~/bin\nU=/a:~/b'), [
      'line 1: a shell would expand $H… here; write the value itself (in single quotes to keep a $)',
      'line 2: a shell would expand ${… here; write the value itself (in single quotes to keep a $)',
      'line 3: a shell would run the command in `...` and put its output here; write the value itself',
      'line 4: a shell would expand $(… here; write the value itself (in single quotes to keep a $)',
      "line 5: a shell would expand the ~ in T's value to a home directory; write the path out",
      "line 6: a shell would expand the ~ in U's value to a home directory; write the path out",
    ]);
  });

  test('shell syntax: ; | & < > ( )', () => {
    assert.deepEqual(refused('A=1; B=2\nC=1|x\nD=1 >out\nURL=?a=b&c=d'), [
      'line 1: ";" is shell syntax the paste box does not take: one assignment statement per line',
      'line 2: "|" is shell syntax the paste box does not take: one assignment statement per line',
      'line 3: ">" is shell syntax the paste box does not take: one assignment statement per line',
      'line 4: "&" is shell syntax the paste box does not take: one assignment statement per line',
    ]);
  });

  test('a quote never closed: the problem names where it opened; lines before it are taken', () => {
    const parsed = parseEnvPaste('A=1\nB="open\nC=3\n');
    assert.deepEqual(parsed.entries, ['A=1']);
    assert.deepEqual(parsed.problems, [
      { line: 2, text: 'B="open', message: 'the " opened on line 2 is never closed: nothing after it was taken' },
    ]);
  });

  test('each problem carries its line as pasted, and the lines around it are still read', () => {
    const parsed = parseEnvPaste('GOOD=1\n  SPACE KEY=1  \n\nexport V="v" # c\nTRAIL=x # comment\nno equals here\n');
    assert.deepEqual(parsed.entries, ['GOOD=1', 'V=v', 'TRAIL=x']);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.text]),
      [
        [2, 'SPACE KEY=1'],
        [6, 'no equals here'],
      ],
    );
  });
});
