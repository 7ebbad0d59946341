// ESLint: typescript-eslint's recommended rules, react-hooks in the renderer, and the
// layers of docs/architecture.md as import rules, so that no lower layer imports a higher
// one: src/shared is used everywhere (no Node, DOM or Electron); src/main/lab and src/cli
// run under plain Node (no Electron); the renderer is a page (nothing of main, no Node);
// the preload passes the API over IPC (Electron and src/shared only).
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Node's modules by bare name (exact: a pattern would also catch ./lib/stream), and node:*.
const NODE_NAMES = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'url', 'util', 'stream', 'events', 'tty', 'worker_threads'];
const NODE = ['node:*'];
const names = (list, message) => list.map((name) => ({ name, message }));
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'native/build/**', '.runtimes/**', 'test-results/**', 'playwright-report/**', 'node_modules/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_x` names a value a destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The CLI, the bench and the scripts load the addon and JSON with require.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          { group: NODE, message: 'src/shared runs in every layer: no Node' },
          { group: ['**/main/**', '**/renderer/**', '**/cli/**', '**/preload/**'], message: 'src/shared imports no higher layer' },
        ],
        names([...NODE_NAMES, 'electron', 'react', 'react-dom', 'zustand'], 'src/shared runs in every layer: no Node, DOM, Electron or UI library'),
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer'],
    },
  },
  {
    files: ['src/main/lab/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': restrict(
        [{ group: ['**/renderer/**', '**/preload/**'], message: "no import of the app's upper layers" }],
        names(['electron'], 'the library, the services and the CLI run under plain Node'),
      ),
    },
  },
  {
    files: ['src/renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The rules of hooks; the React Compiler's stricter checks (purity, refs) are not used here.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': restrict(
        [
          { group: NODE, message: 'the renderer is a page: no Node (window.lab is its only way out)' },
          { group: ['**/main/**', '**/cli/**', '**/preload/**'], message: 'the renderer reaches the lab through the API only' },
          { group: ['../../../*'], message: 'the contract is @shared/...; nothing else is three folders up' },
        ],
        names([...NODE_NAMES, 'electron'], 'the renderer is a page: no Node, no Electron (window.lab is its only way out)'),
      ),
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': restrict(
        [{ group: ['**/main/**', '**/renderer/**', '**/cli/**', ...NODE], message: 'the preload passes the API over IPC: Electron and src/shared only' }],
        names(NODE_NAMES, 'the preload passes the API over IPC: Electron and src/shared only'),
      ),
    },
  },
);
