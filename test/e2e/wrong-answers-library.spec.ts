// Issue 11's wrong answers on the Library screen, through the bridge against the Kallglot fake:
// the expiring and not-archived filters mean what they say, a reversed date range says so,
// a filter never leaves hidden rows selected, and clearing the selection clears the side pane.
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import type { Page } from '@playwright/test';

const fakes = demoKallglotForFile();

/**
 * An account and a sync of sess_demo_0002 (three recordings archived, deleted by the provider
 * in two days) and sess_demo_states (processing, failed, already deleted: none archived).
 */
async function seed(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Demo');
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill('sess_demo_0002\nsess_demo_states');
  await expect(page.locator('#sync-ids-summary')).toHaveText('2 ids');
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job.getByTestId('job-archived')).toHaveText('3', { timeout: 60_000 });
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await nav.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText(/^6\s+recordings/);
}

test('"Expiring within 7 days" lists the archived recordings deleted in 2 days; "Not archived" is its own filter', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await seed(page);
  const count = page.getByTestId('library-count');
  const rows = page.getByTestId('library-row');
  await page.getByRole('checkbox', { name: 'Expiring within 7 days' }).check();
  await expect(count).toHaveText(/^3\s+recordings/);
  await expect(rows.filter({ hasText: 'sess_demo_0002' })).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Expiring within 7 days' }).uncheck();
  await page.getByRole('checkbox', { name: 'Not archived' }).check();
  await expect(count).toHaveText(/^3\s+recordings/);
  await expect(rows.filter({ hasText: 'sess_demo_states' })).toHaveCount(3);
  // Both at once: not archived and deleted within 7 days is none of these six.
  await page.getByRole('checkbox', { name: 'Expiring within 7 days' }).check();
  await expect(page.getByText('No recordings match')).toBeVisible();
});

test('a reversed date range says the From date is after the To date', async ({ page, bridge }) => {
  await page.goto(bridge.url);
  await page.getByLabel('From').fill('2026-03-10');
  await page.getByLabel('To').fill('2026-03-01');
  await expect(page.getByTestId('library-range-error')).toContainText(
    'The From date (2026-03-10) is after the To date (2026-03-01)',
  );
  await page.getByLabel('To').fill('2026-03-20');
  await expect(page.getByTestId('library-range-error')).toHaveCount(0);
});

test('a filter drops the selected rows it hides, and clearing the selection clears the side pane', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.goto(bridge.url);
  await seed(page);
  const rows = page.getByTestId('library-row');
  const count = page.getByTestId('library-count');
  await rows.first().click();
  await rows.last().click({ modifiers: ['Shift'] });
  await expect(count).toContainText('6 selected');
  await page.getByRole('checkbox', { name: 'Not archived' }).check();
  await expect(count).toHaveText(/^3\s+recordings\s*·\s*3 selected/);
  await rows.first().click();
  const side = page.getByRole('complementary', { name: 'Selected recording' });
  await expect(side.getByText('Nothing playing')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(side.getByText('Nothing playing')).toBeVisible();
});
