// Issue 11 point 3, a library that fits a laptop, through the bridge against the Kallglot fake
// at 1024×700 and 1280×800: resizable and hideable columns remembered across a reload, headers
// that never clip, ids cut in the middle, tags in bulk and as a filter, the details as a drawer
// in a narrow window, and the time zone chosen in Settings on every date.
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { expect, test } from './bridge-fixture.ts';
import type { Page } from '@playwright/test';
import { shootBothThemes } from './screens.ts';

const LONG_SESSION = 'sess_laptop_quarterly_review_escalation_2026_a91f';
/** 14:05 UTC: 23:05 in Tokyo, the same day. */
const RECORDED_AT = '2026-03-01T14:05:00Z';

let storage: FakeStorage;
let kallglot: FakeKallglot;

// The browser's own zone is UTC, so "the system's zone" is known to the test.
test.use({ timezoneId: 'UTC' });

test.beforeAll(async () => {
  storage = await createFakeStorage();
  kallglot = await startFakeKallglot({
    rateLimitPerMinute: 300,
    storage,
    sessions: [
      dualChannelSession(LONG_SESSION, { createdAt: RECORDED_AT }),
      dualChannelSession('sess_short_1', { createdAt: '2026-02-01T09:00:00Z' }),
    ],
  });
});

test.afterAll(async () => {
  await kallglot?.close();
  await storage?.close();
});

/** An account and a sync of both sessions: six recordings archived. */
async function seed(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Laptop');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill(`${LONG_SESSION}\nsess_short_1`);
  await expect(page.locator('#sync-ids-summary')).toHaveText('2 ids');
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job.getByTestId('job-archived')).toHaveText('6', { timeout: 60_000 });
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await nav.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText(/^6\s+recordings/);
}

/** Headers whose label is cut (its text wider than the room it has). */
async function clippedHeaders(page: Page): Promise<string[]> {
  return page.locator('[role="columnheader"]').evaluateAll((headers) =>
    headers
      .filter((header) => {
        const label = header.querySelector('.label') as HTMLElement;
        return label.scrollWidth > label.clientWidth + 0.5;
      })
      .map((header) => header.textContent!.trim()),
  );
}

async function headerWidth(page: Page, key: string): Promise<number> {
  return page
    .locator(`[role="columnheader"][data-column="${key}"]`)
    .evaluate((el) => el.getBoundingClientRect().width);
}

test('columns resized and hidden are remembered after a reload; no header clips at 1024 or 1280', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(bridge.url);
  await seed(page);
  expect(await clippedHeaders(page)).toEqual([]);
  // The first layout fits the window: no sideways scroll.
  const fits = () => page.locator('.table-area').evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(await fits()).toBe(true);

  // Drag the Session column's edge 80 px to the right.
  const before = await headerWidth(page, 'session');
  const edge = page.getByTestId('resize-session');
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const after = await headerWidth(page, 'session');
  expect(after).toBeGreaterThan(before + 70);
  // The rows follow the header (one grid template for all).
  const cell = await page
    .getByTestId('library-row')
    .first()
    .locator('.cell-session')
    .evaluate((el) => el.getBoundingClientRect().width);
  expect(Math.abs(cell - after)).toBeLessThan(1);

  // The keyboard moves an edge too.
  const state = await headerWidth(page, 'state');
  await page.getByTestId('resize-state').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => headerWidth(page, 'state')).toBeGreaterThan(state + 15);
  const stateAfter = await headerWidth(page, 'state');

  // Hide the Channel column from the Columns menu (provider, format and size start hidden, to
  // fit); Escape closes it and focus goes back.
  const menu = page.getByRole('button', { name: /^Columns/ });
  await expect(menu).toHaveText('Columns (3 hidden)');
  await menu.click();
  await page.getByRole('group', { name: 'Columns shown' }).getByLabel('Channel').uncheck();
  await expect(page.locator('[role="columnheader"][data-column="channel"]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(menu).toBeFocused();
  await expect(menu).toHaveText('Columns (4 hidden)');
  // Let the keyboard resize's pause-then-save happen before the reload.
  await page.waitForTimeout(800);

  await page.reload();
  await expect(page.getByTestId('library-count')).toHaveText(/^6\s+recordings/);
  await expect(page.locator('[role="columnheader"][data-column="channel"]')).toHaveCount(0);
  await expect.poll(() => headerWidth(page, 'session')).toBeCloseTo(after, 0);
  expect(await headerWidth(page, 'state')).toBeCloseTo(stateAfter, 0);
  expect(await clippedHeaders(page)).toEqual([]);
  await shootBothThemes(page, 'library-laptop-1024x700');

  // Back to the first layout: it fits beside the details at 1280×800 with nothing clipped
  // and no sideways scroll.
  await page.getByRole('button', { name: /^Columns/ }).click();
  await page.getByRole('button', { name: 'Default columns and widths' }).click();
  await expect(page.locator('[role="columnheader"][data-column="channel"]')).toHaveCount(1);
  await page.keyboard.press('Escape');
  expect(await clippedHeaders(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('library-row').first().click();
  expect(await clippedHeaders(page)).toEqual([]);
  expect(await fits()).toBe(true);
  await shootBothThemes(page, 'library-laptop-1280x800');
  // Every column shown: still no header cut (the table scrolls sideways instead).
  await page.getByRole('button', { name: /^Columns/ }).click();
  for (const name of ['Provider', 'Format', 'Size']) {
    await page.getByRole('group', { name: 'Columns shown' }).getByLabel(name).check();
  }
  await page.keyboard.press('Escape');
  expect(await clippedHeaders(page)).toEqual([]);
});

test('a long session id is cut in the middle, whole in its title; the details are titled with it', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await seed(page);
  const row = page
    .getByTestId('library-row')
    .filter({ has: page.locator(`[title="${LONG_SESSION}"]`) });
  await expect(row).toHaveCount(3);
  const id = row.first().locator('.cell-session [title]');
  await expect(id).toHaveAttribute('title', LONG_SESSION);
  const shown = (await id.locator('[aria-hidden="true"]').textContent())!;
  expect(shown).toMatch(/^sess_lap[^…]*…[^…]*a91f$/);
  expect(shown.length).toBeLessThan(LONG_SESSION.length);
  // Screen readers get the whole id.
  await expect(id.locator('.visually-hidden')).toHaveText(LONG_SESSION);

  await row.first().click();
  const title = page.getByTestId('detail-title');
  await expect(title).toContainText('Session');
  await expect(title.locator(`[title="${LONG_SESSION}"]`)).toHaveCount(1);
});

test('tag two rows in bulk, then the tag filter shows exactly those two', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await seed(page);
  const rows = page.getByTestId('library-row');
  await rows.nth(1).click();
  await rows.nth(4).click({ modifiers: ['Control'] });
  await expect(page.getByTestId('library-count')).toContainText('2 selected');
  const picked = [
    await rows.nth(1).getAttribute('data-id'),
    await rows.nth(4).getAttribute('data-id'),
  ];

  const opener = page.getByRole('button', { name: 'Tag…' });
  await opener.click();
  const dialog = page.getByTestId('tag-dialog');
  await dialog.getByLabel('Tag').fill('Escalated');
  await dialog.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByTestId('hold-note')).toHaveText(
    'Tag “Escalated” added to 2 of 2 recordings.',
  );
  await expect(rows.filter({ hasText: 'Escalated' })).toHaveCount(2);

  await page.getByRole('button', { name: 'Clear selection' }).click();
  await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'Escalated (2)' });
  await expect(page.getByTestId('library-count')).toHaveText(/^2\s+recordings/);
  const shown = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
  expect(shown.sort()).toEqual(picked.sort());
  await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'All tags' });
  await expect(page.getByTestId('library-count')).toHaveText(/^6\s+recordings/);
});

test('at 1024 wide the details are a drawer: opened by a row, closed by Escape, focus back on the table', async ({
  page,
  bridge,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(bridge.url);
  await seed(page);
  const drawer = page.getByRole('complementary', { name: 'Selected recording' });
  await expect(drawer).toBeHidden();
  const grid = page.getByRole('grid', { name: 'Recordings' });
  await page.getByTestId('library-row').first().click();
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('detail-title')).toContainText('Session');
  // Over the table, not beside it: the table keeps the window's width.
  const tableBox = (await grid.boundingBox())!;
  expect(tableBox.width).toBeGreaterThan(800);
  // The selection's actions above stay in reach while the drawer is open.
  await page.getByRole('button', { name: 'Export…' }).click({ trial: true });
  await page.getByRole('button', { name: 'Tag…' }).click({ trial: true });
  await shootBothThemes(page, 'library-drawer-1024x700');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(grid).toBeFocused();
  // Enter on the active row opens it again; the close button shuts it.
  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  await drawer.getByRole('button', { name: 'Close the details' }).click();
  await expect(drawer).toBeHidden();

  // Wide enough, the details sit beside the table with no drawer to open.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Close the details' })).toHaveCount(0);
});

test('the time zone chosen in Settings changes every date shown', async ({ page, bridge }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  await seed(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const longRow = page
    .getByTestId('library-row')
    .filter({ has: page.locator(`[title="${LONG_SESSION}"]`) })
    .first();
  // The system's zone (the browser's: UTC) until one is chosen.
  await expect(longRow.locator('.cell-date')).toHaveText('2026-03-01 14:05 UTC');

  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await expect(page.getByText('Time zone saved.')).toBeVisible();
  await nav.getByRole('button', { name: 'Library' }).click();
  await expect(longRow.locator('.cell-date')).toHaveText('2026-03-01 23:05 GMT+9');
  await longRow.click();
  await expect(page.getByRole('complementary', { name: 'Selected recording' })).toContainText(
    '2026-03-01 23:05 GMT+9',
  );

  // Remembered by the engine: still Tokyo after a reload.
  await page.reload();
  await expect(
    page
      .getByTestId('library-row')
      .filter({ has: page.locator(`[title="${LONG_SESSION}"]`) })
      .first()
      .locator('.cell-date'),
  ).toHaveText('2026-03-01 23:05 GMT+9');
});
