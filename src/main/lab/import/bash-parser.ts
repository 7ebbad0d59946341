// bash's grammar: tree-sitter-bash, run by web-tree-sitter (WebAssembly, so nothing to
// compile at install and nothing for Electron to rebuild; README, Dependencies). Loaded once,
// at the first import of a shell line.
import { Language, Parser } from 'web-tree-sitter';

let loaded: Promise<Parser> | undefined;

export function bashParser(): Promise<Parser> {
  loaded ??= (async () => {
    await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const parser = new Parser();
    parser.setLanguage(await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
    return parser;
  })();
  // A load that failed (a wasm file missing) is tried again at the next import.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
