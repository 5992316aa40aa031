import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The web hosts and command lines the tests start keep their pseudonymisation keys in a folder of this run,
// never in the user's real key store (set before the workers start, so they and their children inherit it).
if (!process.env.AHP_KEY_DIR) {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-e2e-keys-'));
  process.env.AHP_KEY_DIR = keyDir;
  process.once('exit', () => fs.rmSync(keyDir, { recursive: true, force: true }));
}

// Debian's Chromium: Playwright's own browsers cannot be downloaded on our machines.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
