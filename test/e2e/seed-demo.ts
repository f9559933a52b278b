// The e2e export specs' archive: through the UI, an account on the Kallglot fake and a sync of
// sess_demo_0002 (three archived recordings, one of them stereo) and sess_demo_states (three
// that never will be), then the Library with its six rows.
import type { Page } from '@playwright/test';
import type { FakeKallglot } from '../fakes/kallglot.ts';
import { expect } from './bridge-fixture.ts';

export async function seedDemoArchive(page: Page, kallglot: FakeKallglot): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Demo');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(kallglot.apiKey);
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

/** Selects every row the library shows (click the first, shift-click the last). */
export async function selectAllRows(page: Page): Promise<void> {
  const rows = page.getByTestId('library-row');
  await rows.first().click();
  await rows.last().click({ modifiers: ['Shift'] });
}
