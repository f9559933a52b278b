// The completeness report as a printable page (issue 14): the Report screen in the sidebar shows
// the figures of a seeded index, its print style leaves only the sheet (no sidebar, filters or
// buttons), Chromium prints it to a PDF, and the Print button calls the browser's print.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addAccount } from '../../main/core/db/accounts.ts';
import { openDatabase } from '../../main/core/db/open-database.ts';
import { markFailed, markNoRecording, upsertDiscovered } from '../../main/core/db/recordings.ts';
import { envoyRecording } from '../support/index-fixtures.ts';
import { startBridgeProcess, stopBridgeProcess, type RunningBridge } from './bridge-fixture.ts';

let bridge: RunningBridge;

test.beforeEach(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-report-'));
  const db = openDatabase(path.join(dataDir, 'index.sqlite'));
  const account = addAccount(db, {
    name: 'Calls',
    provider: 'envoy',
    settings: { baseUrl: 'https://tryenvoy.ai/api/v1' },
  }).id;
  const seed = (id: string) =>
    upsertDiscovered(db, account, envoyRecording({ remoteId: id, callId: id })).recording.id;
  seed('call_waiting');
  markFailed(db, seed('call_failed'), 'HTTP 500 from storage');
  markNoRecording(db, seed('call_none'), 'No recording');
  db.close();
  bridge = await startBridgeProcess({}, dataDir);
});
test.afterEach(async () => {
  await stopBridgeProcess(bridge);
});

test('the Report screen prints only its sheet, to PDF as well', async ({ page }) => {
  await page.goto(bridge.url);
  await page.getByRole('button', { name: 'Report' }).click();
  const sheet = page.getByTestId('report-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.locator('[data-total="found"]')).toHaveText('3');
  await expect(sheet.locator('[data-total="noRecording"]')).toHaveText('1');
  await expect(sheet.locator('[data-total="failed"]')).toHaveText('1');
  await expect(sheet).toContainText('1 × HTTP 500 from storage');

  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed++;
    };
  });
  await page.getByRole('button', { name: 'Print…' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print…' })).toBeHidden();
  await expect(sheet).toBeVisible();
  await expect(page.getByText('Recvault completeness report')).toBeVisible();
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1000);
});
