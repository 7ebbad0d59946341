// The layers of docs/architecture.md are enforced by ESLint (eslint.config.mjs), which
// npm test runs over the tree. Here the rules are shown to bite: an import across a
// boundary, placed in each layer, is an error there and fine where it belongs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: [layer: string, file: string, code: string, refused: boolean][] = [
  ['shared', 'src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", true],
  ['shared', 'src/shared/x.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;", true],
  ['shared', 'src/shared/x.ts', "import { launch } from '../main/lab/index';\nexport const x = launch;", true],
  ['shared', 'src/shared/x.ts', "import { z } from 'zod';\nexport const x = z;", false],
  ['lab', 'src/main/lab/x.ts', "import { app } from 'electron';\nexport const x = app;", true],
  ['lab', 'src/main/lab/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", false],
  ['cli', 'src/cli/x.ts', "import { app } from 'electron';\nexport const x = app;", true],
  ['renderer', 'src/renderer/src/x.ts', "import { launch } from '../../main/lab/index';\nexport const x = launch;", true],
  ['renderer', 'src/renderer/src/lib/x.ts', "import { STEPS } from '../../../shared/steps';\nexport const x = STEPS;", true],
  ['renderer', 'src/renderer/src/x.ts', "import { spawn } from 'node:child_process';\nexport const x = spawn;", true],
  ['renderer', 'src/renderer/src/lib/x.ts', "import { STEPS } from '@shared/steps';\nexport const x = STEPS;", false],
  ['renderer', 'src/renderer/src/lib/x.ts', "import { pump } from './stream';\nexport const x = pump;", false],
  ['preload', 'src/preload/x.ts', "import { LabService } from '../main/lab/service';\nexport const x = LabService;", true],
];

describe('layer boundaries', () => {
  for (const [layer, file, code, refused] of cases) {
    const what = code.split('\n')[0]!;
    test(`${layer}: ${what} is ${refused ? 'refused' : 'fine'}`, async () => {
      const errors = await importErrors(file, code);
      assert.equal(errors.length > 0, refused, errors.join('; ') || 'no error');
    });
  }
});
