// The shell constructs a profile cannot express, by tree-sitter-bash node type, as a
// warning names them: every one of them in a line is listed when it falls back to sh -c.
import type { Node } from 'web-tree-sitter';

const CONSTRUCTS: Readonly<Record<string, string>> = {
  pipeline: 'a pipeline (|)',
  for_statement: 'a for loop',
  c_style_for_statement: 'a for loop',
  while_statement: 'a while or until loop',
  if_statement: 'an if statement',
  case_statement: 'a case statement',
  subshell: 'a subshell ( ... )',
  compound_statement: 'a group { ...; }',
  function_definition: 'a function definition',
  negated_command: 'a negated command (!)',
  test_command: 'a test ([[ ... ]])',
  declaration_command: 'a declaration (export, declare, local, readonly)',
  unset_command: 'unset',
  variable_assignments: 'assignments with no command (they set shell variables)',
  command_substitution: 'a command substitution $(...)',
  process_substitution: 'a process substitution <(...)',
  simple_expansion: 'a parameter expansion ($NAME)',
  expansion: 'a parameter expansion (${...})',
  arithmetic_expansion: 'an arithmetic expansion $((...))',
  brace_expression: 'a brace expansion',
  heredoc_redirect: 'a here-document (<<)',
  herestring_redirect: 'a here-string (<<<)',
  ERROR: 'text the bash grammar cannot read',
};

/** What a node is, in a warning's words. */
export function constructOf(node: Node): string {
  return CONSTRUCTS[node.type] ?? `a ${node.type.replace(/_/g, ' ')}`;
}

/**
 * tree-sitter-bash has no `<>` (open read-write): it reads `N<>file` as `N<file` with an
 * ERROR for the `>`, and `<>file` as an ERROR for the `<` before `>file`. That one error
 * is half of the operator, not a problem.
 */
export function isReadWriteOperator(node: Node): boolean {
  if (node.type !== 'ERROR') return false;
  const before = node.previousSibling;
  const after = node.nextSibling;
  return (
    (node.text === '>' && node.parent?.type === 'file_redirect' && before?.type === '<' && before.endIndex === node.startIndex) ||
    (node.text === '<' && after?.type === 'file_redirect' && after.startIndex === node.endIndex && after.firstChild?.type === '>')
  );
}

/** Every construct in the tree the profile cannot express, each as "what: text", once. */
export function unsupportedConstructs(root: Node): string[] {
  const found = new Set<string>();
  const visit = (node: Node) => {
    if (node.type in CONSTRUCTS && !isReadWriteOperator(node)) {
      const snippet = node.text.length > 60 ? `${node.text.slice(0, 59)}…` : node.text;
      found.add(`${constructOf(node)}: "${snippet}"`);
    }
    if (node.isMissing) found.add(`an unfinished line: bash expects "${node.type}"`);
    // `&` ends a command that runs in the background.
    if (node.type === '&' && (node.parent?.type === 'program' || node.parent?.type === 'list')) found.add('a background job (&)');
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return [...found];
}
