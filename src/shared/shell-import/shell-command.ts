// A shell command line the importer can turn into a profile, as plain data: the parser
// (src/main/lab/import/shell-tree.ts) reads bash's grammar into it, and the rest of the
// import (shell-profile.ts) never sees the grammar. Every word is already resolved to its
// bytes: quoting removed, escapes decoded; anything a shell would expand never gets here.
import type { Bytes } from '../bytes';

/** The redirection operators of bash(1), REDIRECTION; `<>` opens read-write. */
export type RedirectOp = '<' | '>' | '>|' | '>>' | '<>' | '&>' | '&>>' | '<&' | '>&' | '<&-' | '>&-';

export interface Redirect {
  /** The N of `N>file`; absent: the operator's default (0 for <, 1 for >). */
  fd?: number;
  op: RedirectOp;
  /** The file, or the fd to copy (`2>&1`); absent for `N>&-`. */
  target?: Bytes;
  /** As written, for messages. */
  text: string;
}

export interface SimpleCommand {
  /** `NAME=value` before the command name. */
  assignments: { name: string; value: Bytes }[];
  /** The command name and its arguments. */
  words: Bytes[];
  /** In the order written (bash applies them left to right). */
  redirects: Redirect[];
}

export interface ShellLine {
  /** `cd DIR &&` before the command, in order. */
  cds: Bytes[];
  command: SimpleCommand;
}

/**
 * Something the profile cannot say (a pipeline, an expansion, a loop...): the import falls
 * back to `sh -c LINE`, and the message names the construct.
 */
export class Unsupported extends Error {}
