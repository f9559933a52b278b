// A new user's path through the real renderer, the real engine (over the loopback bridge) and
// the Kallglot fake: add an account (a wrong key first), sync a session, watch the queue, find
// the recording, play and seek it, solo a channel, export a batch to mp3 and see the files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { expect, test } from './bridge-fixture.ts';
import { shootBothThemes } from './screens.ts';

const SESSION = 'sess_e2e_walk_0001';
const WRONG_KEY = 'sk_test_recvault_revoked_key';

let storage: FakeStorage;
let kallglot: FakeKallglot;
let exportDir: string;

test.beforeAll(async () => {
  storage = await createFakeStorage();
  kallglot = await startFakeKallglot({
    // Pro tier: the app's syncs in this file share the fake within a minute.
    rateLimitPerMinute: 300,
    storage,
    keys: { [WRONG_KEY]: 'revoked' },
    sessions: [dualChannelSession(SESSION)],
  });
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-export-'));
});

test.afterAll(async () => {
  await kallglot?.close();
  await storage?.close();
  fs.rmSync(exportDir, { recursive: true, force: true });
});

test('a new user archives, finds, plays and exports a session', async ({ page, bridge }) => {
  test.setTimeout(180_000);
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // An empty library says so, and offers the way forward.
  await expect(page.getByText('The library is empty')).toBeVisible();
  await shootBothThemes(page, 'library-empty');

  // Add an account with a wrong key: the test says what is wrong in plain words.
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByText('No accounts yet')).toBeVisible();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Provider').selectOption('kallglot');
  await page.getByLabel('Name').fill('Support line');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(WRONG_KEY);
  await shootBothThemes(page, 'accounts-add');
  await page.getByRole('button', { name: 'Add account' }).click();
  const card = page.getByTestId('account-card').filter({ hasText: 'Support line' });
  await expect(card).toBeVisible();
  // The secret is never shown back.
  await expect(page.locator('body')).not.toContainText(WRONG_KEY);
  await card.getByRole('button', { name: 'Test' }).click();
  const verdict = card.getByTestId('account-test-result');
  await expect(verdict).toHaveAttribute('role', 'alert');
  await expect(verdict).toContainText(/revoked|rejected|refused|invalid/i);
  await shootBothThemes(page, 'accounts-wrong-key');

  // Fix the key; the test now passes.
  await card.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('API key').fill(kallglot.apiKey);
  await page.getByRole('button', { name: 'Save' }).click();
  await card.getByRole('button', { name: 'Test' }).click();
  await expect(card.getByTestId('account-test-result')).toHaveAttribute('role', 'status');
  await shootBothThemes(page, 'accounts');

  // Sync the session by typing its id; the queue shows the job until it is done.
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill(`${SESSION}\nnot a valid id!`);
  await expect(page.getByTestId('ids-errors')).toContainText('Line 2');
  await page.getByLabel('Session or recording ids').fill(SESSION);
  await expect(page.locator('#sync-ids-summary')).toHaveText('1 id');
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job.getByTestId('job-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(job.getByTestId('job-archived')).toHaveText('3');
  await expect(job.getByTestId('job-failed')).toHaveText('0');
  await shootBothThemes(page, 'sync');

  // Find it by search as you type.
  await nav.getByRole('button', { name: 'Library' }).click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search recordings')).toBeFocused();
  await page.keyboard.type('e2e_walk');
  const rows = page.getByTestId('library-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('library-count')).toContainText('3 recordings');

  // Play the stereo mixed recording and seek in it.
  const mixed = rows.filter({ hasText: 'mixed' });
  await mixed.click();
  const player = page.getByTestId('player');
  await expect(player.getByTestId('waveform')).toBeVisible();
  const media = player.getByTestId('player-media');
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  await player.getByTestId('player-toggle').click();
  await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.currentTime))
    .toBeGreaterThan(0);
  await player.getByRole('button', { name: 'Pause' }).click();
  const duration = await media.evaluate((el: HTMLMediaElement) => el.duration);
  // Click the waveform at three quarters: the position follows (Range requests work).
  const box = (await player.getByTestId('waveform').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.currentTime))
    .toBeGreaterThan(duration * 0.6);
  // ←: back five seconds (from the grid, where the player's keys apply).
  const before = await media.evaluate((el: HTMLMediaElement) => el.currentTime);
  await page.getByTestId('library-table').focus();
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.currentTime))
    .toBeLessThan(before - 1);

  // Solo the agent, then back to both.
  const listen = player.getByRole('group', { name: 'Listen to' });
  await listen.getByRole('button', { name: 'Agent only' }).click();
  await expect(listen.getByRole('button', { name: 'Agent only' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByTestId('recording-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  await shootBothThemes(page, 'library-player');
  // Speed changes keep the channel routing (the element's audio graph is built once).
  await player.getByLabel('Speed').selectOption('1.5');
  await expect.poll(() => media.evaluate((el: HTMLMediaElement) => el.playbackRate)).toBe(1.5);
  await listen.getByRole('button', { name: 'Both' }).click();
  await expect(player.getByTestId('playback-error')).toHaveCount(0);

  // Select the three rows and export them to mp3.
  await rows.first().click();
  await rows.last().click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('library-count')).toContainText('3 selected');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('Format').selectOption('mp3');
  await dialog.getByLabel('Export folder').fill(exportDir);
  await shootBothThemes(page, 'export-dialog');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-summary')).toHaveText(
    '3 recordings → 3 files exported.',
    {
      timeout: 90_000,
    },
  );
  await shootBothThemes(page, 'export-done');
  const files = fs.readdirSync(exportDir, { recursive: true }).map(String);
  expect(files.filter((name) => name.endsWith('.mp3'))).toHaveLength(3);
  expect(files).toEqual(expect.arrayContaining(['manifest.csv', 'manifest.json', 'SHA256SUMS']));
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The Exports and Settings screens, for the record.
  await nav.getByRole('button', { name: 'Exports' }).click();
  await expect(page.getByTestId('export-progress').first()).toHaveAttribute('data-state', 'done');
  await shootBothThemes(page, 'exports');
  await nav.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Downloads at once')).toBeVisible();
  await shootBothThemes(page, 'settings');
  // The theme setting overrides the system's choice through <html data-theme>.
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
});
