// Issue 11's wrong answers on the Sync and Accounts screens, through the bridge against the
// fakes: true job states and progress, failures naming the id, one-click "Add account", a
// bridge on a data directory that does not exist yet, account forms naming their fields.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, startBridgeProcess, stopBridgeProcess, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import type { Page } from '@playwright/test';

const fakes = demoKallglotForFile();

async function addAccount(page: Page, name = 'Demo'): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('account-card').filter({ hasText: name })).toHaveCount(1);
}

async function sync(page: Page, ids: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sync' })
    .click();
  await page.getByLabel('Session or recording ids').fill(ids);
  await expect(page.locator('#sync-ids-summary')).toContainText('id');
  await page.getByRole('button', { name: 'Start sync' }).click();
}

test('a job with failed, gone and waiting recordings and an unknown session tells the truth', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await addAccount(page);
  await sync(page, 'sess_demo_states\nsess_missing_0404');
  const job = page.getByTestId('job').first();
  // The run ends with one recording still processing at the provider: not "Done".
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(job.getByTestId('job-state')).toHaveText('Waiting for the provider');
  await expect(job.getByTestId('job-waiting')).toContainText(/tries again by itself at .+\d/);
  // The unknown session is a failure, named by its id, not by the endpoint template.
  const error = job.getByTestId('job-error');
  await expect(error).toContainText('sess_missing_0404');
  await expect(error).not.toContainText('{id}');
  // rec_demo_failed and the unknown session (rec_demo_expired is counted as Gone).
  await expect(job.getByTestId('job-failed')).toHaveText('2');
  // Nothing archived of 3 found: the bar is empty, not full.
  await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');
  // Waiting beside Cancel; "Done" nowhere.
  await expect(job.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(job.getByTestId('job-state')).toHaveText('Cancelled');
});

test('a second sync of archived recordings says "Already archived" and is Done at 100%', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await addAccount(page);
  await sync(page, 'sess_demo_0001');
  const first = page.getByTestId('job').first();
  await expect(first.getByTestId('job-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(first.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await sync(page, 'sess_demo_0001');
  const second = page.getByTestId('job').first();
  await expect(second.getByTestId('job-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(second.getByTestId('job-already-archived')).toHaveText('3');
  await expect(second.getByTestId('job-archived')).toHaveText('0');
  await expect(second.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(second).not.toContainText('Skipped');
});

test('account counts follow a sync without a reload; "Sync started for …" goes when the account changes', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await addAccount(page, 'First');
  await addAccount(page, 'Second');
  const card = page.getByTestId('account-card').filter({ hasText: 'First' });
  await expect(card).toContainText('0 of 0 recordings archived');
  await sync(page, 'sess_demo_0001');
  const started = page.getByRole('status').filter({ hasText: 'Sync started for First' });
  await expect(started).toBeVisible();
  await page.getByLabel('Account').selectOption({ label: 'Second (Kallglot)' });
  await expect(started).toHaveCount(0);
  await expect(page.getByTestId('job').first().getByTestId('job-state')).toHaveText('Done', {
    timeout: 60_000,
  });
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Accounts' })
    .click();
  await expect(card).toContainText('3 of 3 recordings archived');
});

test('"Add account" on an empty Sync screen opens the account form in one click', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sync' })
    .click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible();
  await expect(page.getByLabel('Name')).toBeFocused();
});

test('a wrong Base URL is refused in a sentence naming the field, not the channel', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Typo');
  await page.getByLabel('Base URL').fill('api.kallglot');
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  const error = page.getByTestId('account-form-error');
  await expect(error).toContainText('Base URL');
  await expect(error).not.toContainText(/accountsAdd|Invalid arguments|→/);
  await expect(page.getByTestId('account-card')).toHaveCount(0);
});

test('the bridge starts on a --data-dir that does not exist yet', async ({ page }) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-new-'));
  const bridge = await startBridgeProcess({}, path.join(parent, 'not', 'yet'));
  try {
    await page.goto(bridge.url);
    await expect(page.getByTestId('archive-dir')).toHaveAttribute(
      'title',
      path.join(parent, 'not', 'yet', 'archive'),
    );
    expect(fs.existsSync(path.join(parent, 'not', 'yet'))).toBe(true);
  } finally {
    await stopBridgeProcess(bridge);
    fs.rmSync(parent, { recursive: true, force: true });
  }
});
