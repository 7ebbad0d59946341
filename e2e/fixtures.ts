// The two ways the same specs reach the app:
// - browser (default): `proclab serve` on a free port with a fresh profiles folder, the
//   page opened in Debian's Chromium (/usr/bin/chromium; Playwright downloads nothing);
// - electron (PROCLAB_E2E_TARGET=electron): the built app through Playwright's _electron,
//   skipped with a message where no Electron binary exists (as on the CI machine here).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { _electron, chromium, test as base, type Browser, type Page } from '@playwright/test';

import { LabPage } from './pages/lab-page';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.PROCLAB_CHROMIUM ?? '/usr/bin/chromium';
const target = process.env.PROCLAB_E2E_TARGET === 'electron' ? 'electron' : 'browser';

// The flags a headless Chromium needs on a machine with no outside network (without the
// background-networking ones it keeps trying to reach Google's hosts).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Where Electron's binary is, or why there is none.
function electronBinary(): { path?: string; missing?: string } {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const binary = probe.stdout;
  if (probe.status !== 0 || !binary || !existsSync(binary)) return { missing: 'no Electron binary on this machine' };
  return { path: binary };
}

// inTerminal: the server runs in a terminal of its own, its controlling terminal (script(1)
// makes one), as when `proclab serve` is started from a shell: what foreground needs.
async function startServer(home: string, inTerminal: boolean): Promise<{ url: string; server: ChildProcess }> {
  const serve = [process.execPath, path.join(ROOT, 'bin/proclab.js'), 'serve', '--port', '0'];
  const [command, ...args] = inTerminal ? ['script', '-qfec', serve.map((a) => `'${a}'`).join(' '), '/dev/null'] : serve;
  const server = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, PROCLAB_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: server.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`proclab serve exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /^Process Lab: (http:\/\/\S+)$/.exec(line.trimEnd());
      if (match) resolve(match[1]);
    });
  });
  return { url, server };
}

interface Fixtures {
  // Start `proclab serve` in a terminal of its own (browser mode only).
  serveInTerminal: boolean;
  // This test's profiles folder, fresh for each test: $PROCLAB_HOME/profiles in browser
  // mode, userData/profiles (userData = the same folder) in Electron.
  home: string;
  profilesDir: string;
  lab: LabPage;
}

export const test = base.extend<Fixtures, { browserForLab: Browser | undefined }>({
  browserForLab: [
    async ({}, use) => {
      if (target !== 'browser') return use(undefined);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  home: async ({}, use) => {
    const home = mkdtempSync(path.join(tmpdir(), 'proclab-e2e-'));
    await use(home);
    rmSync(home, { recursive: true, force: true });
  },

  profilesDir: async ({ home }, use) => use(path.join(home, 'profiles')),

  serveInTerminal: [false, { option: true }],

  lab: async ({ browserForLab, home, serveInTerminal }, use, testInfo) => {
    let page: Page;
    let close: () => Promise<void>;
    if (target === 'electron') {
      const electron = electronBinary();
      testInfo.skip(!electron.path, `Electron target: ${electron.missing}`);
      const app = await _electron.launch({
        executablePath: electron.path,
        // userData (and so userData/profiles) in this test's folder
        args: [ROOT, `--user-data-dir=${home}`],
        env: { ...process.env, PROCLAB_HOME: home } as Record<string, string>,
      });
      page = await app.firstWindow();
      close = () => app.close();
    } else {
      const { url, server } = await startServer(home, serveInTerminal);
      const context = await browserForLab!.newContext({ viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      await page.goto(url);
      close = async () => {
        await context.close();
        server.kill('SIGTERM');
      };
    }
    const lab = new LabPage(page);
    await lab.ready();
    await use(lab);
    await close();
  },
});

export { expect } from '@playwright/test';
