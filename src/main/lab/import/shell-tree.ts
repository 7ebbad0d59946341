// A tree-sitter-bash tree -> the ShellLine the importer reads: one simple command, maybe
// after `cd DIR &&`. Anything else throws Unsupported, naming it.
//
// Two habits of the grammar are undone here: it hangs redirections written after the last
// command of `a && b >out` on the whole list (bash gives them to b alone), and it reads
// words after a redirection's file (`prog >out arg`) as more files (bash: arguments).
import type { Node } from 'web-tree-sitter';

import type { Bytes } from '../../../shared/bytes';
import { Unsupported, type Redirect, type RedirectOp, type ShellLine, type SimpleCommand } from '../../../shared/shell-import/shell-command';
import { constructOf, isReadWriteOperator } from './shell-constructs';
import { wordBytes } from './shell-words';

const OPERATORS: readonly string[] = ['<', '>', '>|', '>>', '&>', '&>>', '<&', '>&', '<&-', '>&-'];

/** A redirection, and the words the grammar took for more files, which are arguments. */
function redirectOf(node: Node): { redirect: Redirect; args: Bytes[] } {
  if (node.type !== 'file_redirect') throw new Unsupported(`${constructOf(node)}: "${node.text}"`);
  const operator = node.children.find((child) => child !== null && OPERATORS.includes(child.type));
  if (!operator) throw new Unsupported(`a redirection the importer cannot read: "${node.text}"`);
  const splitBefore = node.previousSibling !== null && isReadWriteOperator(node.previousSibling);
  const readWrite = splitBefore || node.children.some((child) => child !== null && isReadWriteOperator(child));
  const op = (readWrite ? '<>' : operator.type) as RedirectOp;
  const descriptor = node.childForFieldName('descriptor');
  const destinations = node.childrenForFieldName('destination').map((d) => wordBytes(d));
  const closes = op === '<&-' || op === '>&-';
  const target = closes ? undefined : destinations[0];
  const args = closes ? destinations : destinations.slice(1);
  const written = node.text.slice(0, (closes ? operator : node.childrenForFieldName('destination')[0] ?? operator).endIndex - node.startIndex);
  const redirect: Redirect = { op, text: splitBefore ? `<${written}` : written };
  if (descriptor) redirect.fd = Number(descriptor.text);
  if (target !== undefined) redirect.target = target;
  return { redirect, args };
}

function simpleCommand(node: Node, trailing: readonly Node[]): SimpleCommand {
  if (node.type !== 'command') throw new Unsupported(`${constructOf(node)}: "${node.text}"`);
  const command: SimpleCommand = { assignments: [], words: [], redirects: [] };
  const take = (redirect: Node) => {
    const { redirect: r, args } = redirectOf(redirect);
    command.redirects.push(r);
    command.words.push(...args);
  };
  node.children.forEach((child, i) => {
    if (!child) return;
    const field = node.fieldNameForChild(i);
    if (child.type === 'variable_assignment') {
      const name = child.childForFieldName('name')!;
      if (name.type !== 'variable_name' || child.children.some((c) => c?.type === '+=')) throw new Unsupported(`an assignment to an array or with +=: "${child.text}"`);
      const value = child.childForFieldName('value');
      command.assignments.push({ name: name.text, value: value ? wordBytes(value) : '' });
    } else if (field === 'redirect') take(child);
    else if (field === 'name' || field === 'argument') command.words.push(wordBytes(child));
  });
  trailing.forEach(take);
  return command;
}

/** `a && b && c` as [a, b, c]; any other operator is Unsupported. */
function andList(node: Node): Node[] {
  if (node.type !== 'list') return [node];
  const operator = node.children.find((child) => child !== null && !child.isNamed);
  if (operator?.type !== '&&') throw new Unsupported(`a list (${operator?.type ?? '?'}): "${node.text}"`);
  return [...andList(node.namedChildren[0]!), ...andList(node.namedChildren[1]!)];
}

/** `cd DIR`, alone: its DIR. */
function cdOf(node: Node): Bytes {
  const words = node.type === 'command' ? simpleCommand(node, []) : null;
  if (!words || words.words.length !== 2 || words.redirects.length > 0 || words.assignments.length > 0 || words.words[0] !== 'cd') {
    throw new Unsupported(`"${node.text}" before &&: only cd DIR && can come before the command`);
  }
  return words.words[1]!;
}

export function shellLineOf(root: Node): ShellLine {
  const statements = root.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
  if (statements.length !== 1) throw new Unsupported(statements.length === 0 ? 'no command' : 'more than one command (; or a newline)');
  let statement = statements[0]!;
  let trailing: Node[] = [];
  if (statement.type === 'redirected_statement') {
    trailing = statement.childrenForFieldName('redirect');
    const body = statement.childForFieldName('body');
    if (!body) throw new Unsupported('redirections with no command: they change the shell itself');
    statement = body;
  }
  const items = andList(statement);
  const last = items.pop()!;
  const cds = items.map(cdOf);
  if (last.type === 'redirected_statement') {
    const body = last.childForFieldName('body');
    if (!body) throw new Unsupported('redirections with no command: they change the shell itself');
    return { cds, command: simpleCommand(body, [...last.childrenForFieldName('redirect'), ...trailing]) };
  }
  if (last.type === 'variable_assignment') throw new Unsupported('an assignment with no command: it sets a shell variable');
  return { cds, command: simpleCommand(last, trailing) };
}
