// Issue 11's export traps, through the bridge against the Kallglot fake: a failed export shows
// the engine's stored reason (and no full bar) in the dialog and on Exports, a selection with
// rows not archived offers "Export the N archived", a missing folder is created only when the
// user says so, the summary counts recordings in and files out, and focus comes back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import { seedDemoArchive, selectAllRows } from './seed-demo.ts';

const fakes = demoKallglotForFile();
let parent: string;

test.beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-export-'));
});

test.afterAll(async () => {
  fs.rmSync(parent, { recursive: true, force: true });
});

test('an export into a read-only folder shows the stored reason and no full bar, here and on Exports', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.goto(bridge.url);
  await seedDemoArchive(page, fakes.kallglot);
  await page.getByLabel('Search recordings').fill('sess_demo_0002');
  await expect(page.getByTestId('library-count')).toHaveText(/^3\s+recordings/);
  await selectAllRows(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  // /sys exists on every Linux and refuses new files even to root.
  await dialog.getByLabel('Export folder').fill('/sys');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const summary = dialog.getByTestId('export-summary');
  await expect(summary).toContainText('The export failed: ', { timeout: 60_000 });
  await expect(summary).not.toHaveText('The export failed.');
  await expect(summary).toContainText(/\/sys|EPERM|EACCES|EROFS|permission|read-only/i);
  await expect(dialog.getByRole('progressbar')).toHaveCount(0);
  const reason = await summary.textContent();
  console.log(`read-only export: ${reason}`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Exports' })
    .click();
  const onExports = page.getByTestId('export-progress').first();
  await expect(onExports).toHaveAttribute('data-state', 'failed');
  await expect(onExports.getByTestId('export-summary')).toHaveText(reason!);
  await expect(onExports.getByRole('progressbar')).toHaveCount(0);
});

test('a selection with rows not archived offers "Export the 3 archived"; a missing folder is created only when asked; focus returns', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.goto(bridge.url);
  await seedDemoArchive(page, fakes.kallglot);
  await selectAllRows(page);
  await expect(page.getByTestId('library-count')).toContainText('6 selected');
  const exportButton = page.getByRole('button', { name: 'Export…' });
  await exportButton.click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-unarchived')).toContainText(
    '3 of the selected recordings are not archived yet',
  );
  await expect(dialog.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Export the 3 archived' }).click();
  await expect(dialog.getByRole('heading', { name: 'Export 3 recordings' })).toBeVisible();
  // A folder that is not there yet (a typo, say): asked about, not created silently.
  const target = path.join(parent, 'lega1', 'case-7');
  await dialog.getByLabel('Export folder').fill(target);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-error')).toContainText(`${target} does not exist yet`);
  expect(fs.existsSync(target)).toBe(false);
  await dialog.getByTestId('export-create-folder').click();
  await expect(dialog.getByTestId('export-summary')).toHaveText(
    '3 recordings → 3 files exported.',
    { timeout: 90_000 },
  );
  expect(fs.readdirSync(target, { recursive: true }).map(String)).toEqual(
    expect.arrayContaining(['manifest.csv']),
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(exportButton).toBeFocused();
});
