// proclab import --shell LINE: a profile from a shell command line, read with bash's own
// grammar (bash-parser.ts). What the profile cannot express makes it `sh -c LINE`, with a
// warning per construct that forced it.
import os from 'node:os';

import type { ImportResult } from '../../../shared/import';
import { Unsupported } from '../../../shared/shell-import/shell-command';
import { shellFallback, shellLineProfile, type ImportHost } from '../../../shared/shell-import/shell-profile';
import { bashParser } from './bash-parser';
import { unsupportedConstructs } from './shell-constructs';
import { shellLineOf } from './shell-tree';

/** The importer's own ids and niceness: what the line's wrappers change from. */
export function importHost(): ImportHost {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, nice: os.getPriority() };
}

export async function importShell(line: string, host: ImportHost = importHost()): Promise<ImportResult> {
  const parser = await bashParser();
  const tree = parser.parse(line);
  if (!tree) throw new Error('the bash grammar did not parse the line');
  try {
    const constructs = unsupportedConstructs(tree.rootNode);
    if (constructs.length > 0) return shellFallback(line, constructs);
    return shellLineProfile(shellLineOf(tree.rootNode), line, host);
  } catch (err) {
    if (err instanceof Unsupported) return shellFallback(line, [err.message]);
    throw err;
  } finally {
    tree.delete();
  }
}
