// Ids imported from a picked CSV and from a file dropped on the window, and a sync whose
// recordings fail in the ways a provider fails: every failure shows its reason in the queue.
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import { shootBothThemes } from './screens.ts';
import type { Page } from '@playwright/test';

const fakes = demoKallglotForFile();

async function addAccount(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Demo');
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('account-card')).toHaveCount(1);
  await nav.getByRole('button', { name: 'Sync' }).click();
}

test('a picked CSV is read in the page and its bad lines are listed', async ({ page, bridge }) => {
  await page.goto(bridge.url);
  await addAccount(page);
  await page.getByTestId('ids-file').setInputFiles({
    name: 'sessions.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('session_id,agent\nsess_demo_0001,Ann\nnot an id!,Bob\n'),
  });
  await expect(page.locator('#sync-ids-summary')).toHaveText(
    '1 id from sessions.csv, 1 line with problems',
  );
  await expect(page.getByTestId('ids-errors')).toContainText('Line 3');
});

test('a file dropped on the window opens the import; failures show their reasons', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.goto(bridge.url);
  await addAccount(page);
  // Drop from the Library screen: the app switches to Sync with the ids loaded.
  await page.getByRole('navigation').getByRole('button', { name: 'Library' }).click();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['sess_demo_states\n'], 'ids.txt', { type: 'text/plain' }));
    for (const type of ['dragover', 'drop']) {
      document.body.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }
  });
  await expect(page.getByRole('heading', { level: 1, name: 'Sync' })).toBeVisible();
  await expect(page.locator('#sync-ids-summary')).toHaveText('1 id from ids.txt');
  await page.getByRole('button', { name: 'Start sync' }).click();

  const job = page.getByTestId('job').first();
  // The processing recording keeps the job waiting; the failed and expired ones fail at once.
  await expect(job.getByTestId('job-failed')).not.toHaveText('0', { timeout: 60_000 });
  // Every failed item is listed with the reason the engine gave, without asking: the one the
  // provider failed to produce and the one retention deleted (the third is still processing).
  const failed = job.getByTestId('job-items').locator('tr.failed');
  await expect(failed).toHaveCount(2);
  const reasons = { rec_demo_failed: /provider failed/i, rec_demo_expired: /retention/i };
  for (const [remoteId, reason] of Object.entries(reasons)) {
    await expect(failed.filter({ hasText: remoteId }).locator('td.reason')).toHaveText(reason);
  }
  await job.getByRole('button', { name: 'Show items' }).click();
  await expect(job.getByTestId('job-items').locator('tbody tr')).toHaveCount(3);
  await shootBothThemes(page, 'sync-failures');
  // The processing recording keeps waiting: the job says it will try again by itself, and
  // can be cancelled instead.
  await expect(job.getByTestId('job-waiting')).toContainText('not ready at the provider yet', {
    timeout: 60_000,
  });
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(job.getByTestId('job-state')).toHaveText('Cancelled');
});
