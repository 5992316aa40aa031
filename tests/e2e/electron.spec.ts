import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/**
 * Electron-only shell behaviour. The Electron binary is downloaded from outside the npm registry, so on our
 * offline build machines it is absent and this suite is skipped; on a developer machine `npm start` fetches it.
 */
const root = path.resolve(import.meta.dirname, '../..');
const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
const binary = fs.existsSync(pathFile)
  ? path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  : '';
const available =
  binary !== '' && fs.existsSync(binary) && fs.existsSync(path.join(root, 'dist', 'electron', 'main.cjs'));

test.describe('Electron shell', () => {
  test.skip(
    !available,
    'The Electron binary is not installed here (it cannot be downloaded offline); run npm start once on a machine with internet access.',
  );

  test('opens the app over app:// with the security settings on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-electron-'));
    const app = await electron.launch({
      executablePath: binary,
      args: [root, '--db', path.join(dir, 'w.sqlite')],
      cwd: root,
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Set up your organisation' })).toBeVisible();
      expect(window.url()).toMatch(/^app:\/\/ahp\//);
      // No Node in the page, only the frozen bridge.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => Object.isFrozen((window as unknown as { api: object }).api))).toBe(true);
      // Navigation away from the app is refused.
      await window.evaluate(() => {
        globalThis.location.href = 'https://evil.example/';
      });
      await window.waitForTimeout(500);
      expect(window.url()).toMatch(/^app:\/\/ahp\//);
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
