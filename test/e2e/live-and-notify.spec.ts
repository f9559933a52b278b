// Issue 11 points 2, 6 and 7 through the bridge against the fakes: a sync that ends while the
// user is on another screen is announced (a toast) and its counts reach the overview and the
// accounts without a reload; a missing session is named in plain words, the HTTP detail behind
// "Details"; an archive move shows its progress; focus comes back to what opened a dialog, with
// the keyboard alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import { shootBothThemes } from './screens.ts';

const fakes = demoKallglotForFile();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function addAccount(page: Page, name = 'Demo'): Promise<void> {
  await nav(page).getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('account-card').filter({ hasText: name })).toHaveCount(1);
}

async function startSync(page: Page, ids: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill(ids);
  await expect(page.locator('#sync-ids-summary')).toContainText('id');
  await page.getByRole('button', { name: 'Start sync' }).click();
}

test('a sync that ends on another screen: a toast, and the overview and accounts follow without a reload', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.homeUrl);
  await addAccount(page);
  // Slow downloads, so the sync is still running when the user leaves the Sync screen.
  fakes.storage.faults.inject(
    { type: 'slow_body', chunkBytes: 8192, delayMs: 100 },
    { times: Number.POSITIVE_INFINITY },
  );
  try {
    await startSync(page, 'sess_demo_0001');
    await expect(
      page.getByRole('status').filter({ hasText: 'Sync started for Demo' }),
    ).toBeVisible();
    await nav(page).getByRole('button', { name: 'Overview' }).click();
    const lastSync = page.getByTestId('overview-last-sync');
    await expect(lastSync).not.toContainText('3 of 3 archived');
  } finally {
    fakes.storage.faults.clear();
  }
  // The toast, in the sidebar's live region, in words.
  const toast = page.getByRole('status', { name: 'Notifications' }).getByTestId('toast');
  await expect(toast).toContainText(/Sync job \d+ \(Demo\): Done/, { timeout: 60_000 });
  await expect(toast).toContainText('3 archived of 3 recordings found.');
  await page.setViewportSize({ width: 1024, height: 700 });
  await shootBothThemes(page, 'toast-overview-1024');
  await page.setViewportSize({ width: 1280, height: 800 });
  // The overview's figures moved on by themselves.
  await expect(page.getByTestId('overview-last-sync')).toContainText('Done');
  await expect(page.getByTestId('overview-last-sync')).toContainText('3 of 3 archived');
  // So did the account's counts (the Accounts screen is not reloaded, only shown).
  await nav(page).getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByTestId('account-card').filter({ hasText: 'Demo' })).toContainText(
    '3 of 3 recordings archived',
  );
  // "Show" goes to the work in full; the toast has then said its piece.
  await toast.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync' })).toBeVisible();
  await expect(toast).toHaveCount(0);
});

test('a session that does not exist is named in plain words; the HTTP detail waits behind "Details"', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await addAccount(page);
  await startSync(page, 'sess_missing_0404');
  const job = page.getByTestId('job').first();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const error = job.getByTestId('job-error');
  await expect(error).toHaveText(
    'Kallglot has no session sess_missing_0404 (it may have been deleted, or the id is mistyped). Check the id, then retry.',
  );
  const details = job.locator('details.failure-details');
  const technical = details.locator('code');
  await expect(technical).toBeHidden();
  await details.getByText('Details').click();
  await expect(technical).toBeVisible();
  await expect(technical).toContainText(
    'resource_missing; HTTP 404 from /v1/sessions/sess_missing_0404/recordings',
  );
});

test('moving the archive shows its progress in files and bytes', async ({ page, bridge }) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await addAccount(page);
  await startSync(page, 'sess_demo_0001');
  await expect(page.getByTestId('job').first().getByTestId('job-state')).toHaveText('Done', {
    timeout: 60_000,
  });
  const files = fs
    .readdirSync(path.join(bridge.dataDir, 'archive'), { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(bridge.dataDir, 'archive', f)).isFile()).length;
  expect(files).toBeGreaterThan(2);
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-move-')), 'archive');
  try {
    await nav(page).getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Folder').fill(target);
    await page.getByRole('button', { name: 'Move archive here' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move archive' }).click();
    const progress = page.getByTestId('move-progress');
    await expect(progress.getByRole('status')).toHaveText(
      new RegExp(`^Copied ${files} files \\(.+B\\) to the new folder\\.$`),
      { timeout: 30_000 },
    );
    await expect(progress.getByRole('progressbar', { name: 'Archive move' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(fs.readdirSync(target).length).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1024, height: 700 });
    await shootBothThemes(page, 'settings-move-progress-1024');
  } finally {
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  }
});

test('with the keyboard alone, focus comes back to what opened the form or the question', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  await addAccount(page);
  await nav(page).getByRole('button', { name: 'Accounts' }).press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeFocused();
  // The tab order follows the screen: Add account, then the card's Test, Edit, Remove.
  const add = page.getByRole('button', { name: 'Add account' });
  const card = page.getByTestId('account-card').filter({ hasText: 'Demo' });
  await page.keyboard.press('Tab');
  await expect(add).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(card.getByRole('button', { name: 'Test Demo' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(card.getByRole('button', { name: 'Edit Demo' })).toBeFocused();
  await page.keyboard.press('Tab');
  const remove = card.getByRole('button', { name: 'Remove Demo' });
  await expect(remove).toBeFocused();
  // The question: Escape closes it, and focus is back on Remove.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(remove).toBeFocused();
  // The edit form: Cancel (by keyboard) gives focus back to that account's Edit button.
  await page.keyboard.press('Shift+Tab');
  const edit = card.getByRole('button', { name: 'Edit Demo' });
  await expect(edit).toBeFocused();
  await page.keyboard.press('Enter');
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await cancel.press('Enter');
  await expect(edit).toBeFocused();
  // And the add form gives it back to "Add account".
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(add).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Name')).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).press('Enter');
  await expect(add).toBeFocused();
});
