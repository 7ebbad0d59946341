// End-to-end specs: one set, run against browser mode in Debian's Chromium (always) or
// against the Electron app (PROCLAB_E2E_TARGET=electron, where an Electron binary exists).
// A second project takes the screenshots in docs/ (npm run screenshots), with the same
// fixtures and page objects.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  // Two cores: one worker keeps the runs (real children) from fighting for them.
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  retries: 0,
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'specs', testMatch: '**/*.spec.ts' },
    { name: 'docs', testMatch: '**/*.screens.ts' },
  ],
});
