import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startTestHost, type TestHost } from './host';

const SCREENSHOTS = path.resolve(import.meta.dirname, '__screenshots__');
let host: TestHost;

test.beforeEach(async () => {
  host = await startTestHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('a backup made in the browser is restored through the file drop, in chunks', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Load the synthetic demo trust' }).click();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up now' }).click();
  const backup = path.join(host.dir, (await download).suggestedFilename());
  await (await download).saveAs(backup);
  // The backup's time, as Settings shows it: after the restore it is still when the data restored was backed up.
  await expect(page.getByTestId('last-backup')).not.toHaveText('Never');
  const backedUpAt = await page.getByTestId('last-backup').textContent();
  await expect(page.getByTestId('db-size')).toContainText(/\d/);

  // Nothing chosen yet: the button says what to do.
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByText('Choose a backup file to restore first.')).toBeVisible();

  await page.getByLabel('Backup file').setInputFiles(backup);
  await expect(page.getByTestId('restore-file-chosen')).toHaveText(`Chosen: ${path.basename(backup)}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-restore-chosen.png'), fullPage: true });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(
    page.getByText(`Restored from ${path.basename(backup)}. The previous database was kept as a backup.`),
  ).toBeVisible();
  await expect(page.locator('.tag--demo')).toHaveText('Synthetic demo data');
  await expect(page.getByTestId('last-backup')).toHaveText(backedUpAt!);
  await expect(page.getByTestId('last-restore')).toContainText(`from ${path.basename(backup)}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-after-restore.png'), fullPage: true });

  // A file that is not a database is refused with the reason, and the database stays as it was.
  await page.getByLabel('Backup file').setInputFiles({
    name: 'holiday.sqlite',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a database'),
  });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(
    page.getByText('holiday.sqlite is not a workforce database (it is not a SQLite file). Nothing has been changed.'),
  ).toBeVisible();
  await expect(page.getByTestId('schema-version')).toContainText('up to date');
});
