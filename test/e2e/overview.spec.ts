// The overview (the app's home) against an archive whose true counts this test knows: every
// figure is right, and each opens the library filtered to exactly those rows. Per account the
// last sync and the last successful test; the last verification with its time and result.
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { expect, test } from './bridge-fixture.ts';
import { shootBothThemes } from './screens.ts';

const DAY = 86_400_000;
const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

let storage: FakeStorage;
let kallglot: FakeKallglot;

test.beforeAll(async () => {
  storage = await createFakeStorage();
  kallglot = await startFakeKallglot({
    storage,
    sessions: [
      // Archived (so not at risk, though the provider deletes them in 3 days).
      {
        id: 'sess_ov_safe',
        recordings: [
          { id: 'rec_ov_safe_a', channel: 'agent', expiresAt: inDays(3) },
          { id: 'rec_ov_safe_c', channel: 'customer', expiresAt: inDays(3) },
        ],
      },
      {
        id: 'sess_ov_risk',
        recordings: [
          { id: 'rec_ov_wait3', channel: 'mixed', status: 'processing', expiresAt: inDays(3) },
          { id: 'rec_ov_fail5', channel: 'agent', status: 'failed', expiresAt: inDays(5) },
          { id: 'rec_ov_wait20', channel: 'customer', status: 'processing', expiresAt: inDays(20) },
        ],
      },
      {
        id: 'sess_ov_gone',
        recordings: [{ id: 'rec_ov_gone', channel: 'mixed', expiresAt: inDays(-1) }],
      },
    ],
  });
});

test.afterAll(async () => {
  await kallglot?.close();
  await storage?.close();
});

// The truth of that archive, figure by figure.
const TRUE_COUNTS = {
  atRisk7: 2, // rec_ov_wait3, rec_ov_fail5
  atRisk30: 3, // … and rec_ov_wait20
  failed: 1, // rec_ov_fail5
  waiting: 2, // rec_ov_wait3, rec_ov_wait20
  deletedBeforeArchived: 1, // rec_ov_gone
  integrityFailed: 0,
};

test('the overview is home; its figures are the true counts and each opens exactly those rows', async ({
  page,
  bridge,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.homeUrl);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button').first()).toHaveText(/^Overview/);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('overview-verify')).toContainText('never verified');

  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Main line');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByTestId('account-card').getByRole('button', { name: 'Test' }).click();
  await expect(page.getByTestId('account-test-result')).toHaveAttribute('role', 'status');
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page
    .getByLabel('Session or recording ids')
    .fill('sess_ov_safe\nsess_ov_risk\nsess_ov_gone');
  await expect(page.locator('#sync-ids-summary')).toHaveText('3 ids');
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job.getByTestId('job-state')).toHaveText('Waiting for the provider', {
    timeout: 60_000,
  });
  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByText('2 of 2 files intact')).toBeVisible({ timeout: 30_000 });

  await nav.getByRole('button', { name: /^Overview/ }).click();
  for (const [figure, count] of Object.entries(TRUE_COUNTS)) {
    await expect(page.getByTestId(`overview-${figure}`).getByTestId('overview-count')).toHaveText(
      String(count),
    );
  }
  // The sidebar says how many are at risk this week, in words for screen readers too.
  // (The count is hidden from them; the sentence is part of the button's name, since a name on
  // a plain span is not reliably read.)
  await expect(page.getByTestId('overview-badge')).toHaveText('⚠ 2');
  await expect(
    page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /^Overview\s*,\s*2 recordings at risk within 7 days$/ }),
  ).toBeVisible();
  const account = page.getByTestId('overview-account');
  await expect(account).toContainText('Main line');
  await expect(account.getByTestId('overview-last-sync')).toContainText('Waiting for the provider');
  await expect(account.getByTestId('overview-last-sync')).toContainText('2 of 6 archived');
  await expect(account.getByTestId('overview-last-test')).not.toHaveText('Never');
  await expect(page.getByTestId('overview-verify')).toContainText('all 2 files intact');
  await shootBothThemes(page, 'overview-1280x800');
  await page.setViewportSize({ width: 1024, height: 700 });
  await shootBothThemes(page, 'overview-1024x700');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Every figure opens the library filtered to exactly its rows.
  const expected: Record<string, string[]> = {
    atRisk7: ['rec_ov_wait3', 'rec_ov_fail5'],
    atRisk30: ['rec_ov_wait3', 'rec_ov_fail5', 'rec_ov_wait20'],
    failed: ['rec_ov_fail5'],
    waiting: ['rec_ov_wait3', 'rec_ov_wait20'],
    deletedBeforeArchived: ['rec_ov_gone'],
  };
  for (const [figure, ids] of Object.entries(expected)) {
    await nav.getByRole('button', { name: /^Overview/ }).click();
    await page.getByTestId(`overview-${figure}`).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
    const rows = page.getByTestId('library-row');
    await expect(rows).toHaveCount(ids.length);
    for (const id of ids) {
      await expect(
        page.locator(
          `[data-testid="library-row"][title*="${id}"], [data-testid="library-row"]:has([title="${id}"])`,
        ),
      ).toHaveCount(1);
    }
    await expect(page.getByTestId('library-count')).toHaveText(
      new RegExp(`^${ids.length}\\s+recording`),
    );
  }
});
