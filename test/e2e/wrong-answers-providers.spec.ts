// Issue 11's wrong answers about Kore.ai and Envoy, through the bridge against their fakes: a
// wrong bot id is named as the Bot ID (not the client secret) and the old verdict goes once the
// account is saved again; the "User id (for ids without one)" field takes effect and Start
// keeps the refused lines; Envoy's call status is a choice, and a free word is warned about.
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { startFakeKoreai, type FakeKoreai } from '../fakes/koreai.ts';
import { startFakeEnvoy, type FakeEnvoy } from '../fakes/envoy.ts';
import { expect, test } from './bridge-fixture.ts';

let storage: FakeStorage;
let koreai: FakeKoreai;
let envoy: FakeEnvoy;

test.beforeAll(async () => {
  storage = await createFakeStorage();
  koreai = await startFakeKoreai({ storage, seedDefaults: false });
  envoy = await startFakeEnvoy({ storage, seedDefaults: false });
});

test.afterAll(async () => {
  await koreai?.close();
  await envoy?.close();
  await storage?.close();
});

test('a wrong Kore.ai bot id is named as the Bot ID, and the verdict goes once the account is saved', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Accounts' })
    .click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Provider').selectOption('koreai');
  await page.getByLabel('Name').fill('Bots');
  await page.getByLabel('Host URL').fill(koreai.baseUrl);
  await page.getByLabel('Bot ID').fill('st-typo-in-the-bot-id');
  await page.getByLabel('Client ID').fill(koreai.clientId);
  await page.getByLabel('Client secret').fill(koreai.clientSecret);
  await page.getByRole('button', { name: 'Add account' }).click();
  const card = page.getByTestId('account-card').filter({ hasText: 'Bots' });
  await card.getByRole('button', { name: 'Test' }).click();
  const verdict = card.getByTestId('account-test-result');
  await expect(verdict).toContainText('Bot ID');
  await expect(verdict).toContainText('st-typo-in-the-bot-id');
  await expect(verdict).not.toContainText(/secret/i);
  // Saving the fixed account drops the old verdict at once, before any new test.
  await card.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Bot ID').fill(koreai.botId);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByTestId('account-test-result')).toHaveCount(0);
  await expect(card).not.toContainText('Bot ID');
  await card.getByRole('button', { name: 'Test' }).click();
  await expect(card.getByTestId('account-test-result')).toHaveAttribute('role', 'status');

  // The user id field fills the lines without one; a bad line stays in the box after Start.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Sync' })
    .click();
  await page.getByLabel('User id (for ids without one)').fill('user-0042');
  await page.getByLabel(/^Session ids/).fill('sess-a-0001\nsess-b-0002\nnot an id!');
  await expect(page.locator('#sync-ids-summary')).toHaveText('2 ids, 1 line with problems');
  await expect(page.getByTestId('ids-errors')).not.toContainText('No user id');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sync started for Bots' })).toContainText(
    '1 line was not queued',
  );
  await expect(page.getByLabel(/^Session ids/)).toHaveValue('not an id!');
  await expect(page.getByTestId('ids-errors')).toContainText('Line 1');
});

test("Envoy's call status is chosen from its statuses; a free word Envoy does not use is warned about", async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Provider').selectOption('envoy');
  await page.getByLabel('Name').fill('Calls');
  await page.getByLabel('Base URL').fill(envoy.baseUrl);
  await page.getByLabel('API key').fill(envoy.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('account-card')).toHaveCount(1);
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByRole('radio', { name: 'Everything in a date range' }).check();
  const status = page.getByLabel('Call status');
  await expect(status.locator('option')).toContainText(['Any status', 'COMPLETED']);
  await status.selectOption('COMPLETED');
  await expect(page.getByTestId('status-warning')).toHaveCount(0);
  await status.selectOption('other');
  await page.getByLabel('Status word').fill('finished');
  await expect(page.getByTestId('status-warning')).toHaveText(
    'Envoy writes this status as FINISHED; "finished" would find no calls.',
  );
  await page.getByLabel('Status word').fill('FINISHED');
  await expect(page.getByTestId('status-warning')).toHaveCount(0);
});
