import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { esrExtract, writeCsvFixture } from '../fixtures/extracts';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
const root = path.resolve(import.meta.dirname, '../..');
const hosts: TestHost[] = [];
const folders: string[] = [];

test.afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** A web host as on another computer: the same app, another user's key folder. */
async function hostWithKeyFolder(keyDir: string): Promise<TestHost> {
  const before = process.env.AHP_KEY_DIR;
  process.env.AHP_KEY_DIR = keyDir;
  try {
    const host = await startTestHost();
    hosts.push(host);
    return host;
  } finally {
    process.env.AHP_KEY_DIR = before;
  }
}

async function setUpTrust(page: Page, host: TestHost) {
  await host.signIn(page.request);
  const response = await page.request.post(`${host.origin}/api/settings/organisation-save`, {
    data: { name: 'Northshire Community NHS Trust', odsCode: 'RX9', ics: 'Northshire ICS', ahpFaculty: 'Northshire' },
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
}

async function openSettings(page: Page, host: TestHost) {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Pseudonymisation key' })).toBeVisible();
}

test('a database moves to another computer with an explicit, warned key export and import', async ({ page }) => {
  const here = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-e2e-keys-'));
  folders.push(here);
  const a = await hostWithKeyFolder(path.join(here, 'keys-a'));
  await setUpTrust(page, a);
  const extract = await writeCsvFixture(a.dir, 'staff-march.csv', esrExtract(40, 5));
  execFileSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', 'import', extract, '--db', a.dbPath], {
    cwd: root,
    env: { ...process.env, AHP_KEY_DIR: path.join(here, 'keys-a') },
  });

  // Here: the key is on this computer, outside the database; exporting it is warned and confirmed.
  await openSettings(page, a);
  const section = page.getByRole('region', { name: 'Pseudonymisation key' });
  await expect(section.getByTestId('key-status')).toContainText('On this computer');
  await expect(section.getByTestId('key-warning')).toContainText('re-identifies staff');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-key.png'), fullPage: true });
  let warned = '';
  page.once('dialog', (dialog) => {
    warned = dialog.message();
    void dialog.accept();
  });
  const keyDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export key' }).click();
  const keyFile = path.join(here, (await keyDownload).suggestedFilename());
  await (await keyDownload).saveAs(keyFile);
  expect(warned).toMatch(/re-identifies staff/);
  expect(path.basename(keyFile)).toBe('workforce-pseudonymisation-key.json');
  const backupDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up now' }).click();
  const backup = path.join(here, (await backupDownload).suggestedFilename());
  await (await backupDownload).saveAs(backup);

  // There: the backup restored without its key reads, but refuses an import, saying how to import the key.
  const b = await hostWithKeyFolder(path.join(here, 'keys-b'));
  await openSettings(page, b);
  await page.getByLabel('Backup file').setInputFiles(backup);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Restored from/ })).toBeVisible();
  await expect(section.getByTestId('key-status')).toContainText('not on this computer');
  await expect(page.getByRole('button', { name: 'Export key' })).toBeDisabled();
  // The trust came with the backup: the app reads it again on reload.
  await page.reload();
  await page.getByRole('link', { name: 'Workforce', exact: true }).click();
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(extract);
  await expect(page.getByText(/pseudonymisation key is not on this computer/).first()).toBeVisible();
  await expect(page.getByText(/Pseudonymisation key/).first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-without-key.png'), fullPage: true });

  // Importing the key through the file drop makes the database whole again.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Key file').setInputFiles(keyFile);
  await page.getByRole('button', { name: 'Import key' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Key imported/ })).toBeVisible();
  await expect(section.getByTestId('key-status')).toContainText('On this computer');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-key-imported.png'), fullPage: true });
  await page.getByRole('link', { name: 'Workforce', exact: true }).click();
  await page.getByRole('link', { name: 'Import', exact: true }).click();
  await page.getByLabel('Choose a staff extract').setInputFiles(extract);
  await expect(page.getByRole('table', { name: /Which column holds each item/ })).toBeVisible();
});
