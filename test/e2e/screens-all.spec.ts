// Screenshots of every screen of the sidebar at 1280×800 and 1024×700, light and dark, over a
// seeded archive (issue 11): screenshots/<screen>-<size>-<theme>.png, looked at for truncation
// and overlap. Each screen is also checked to show its heading without a horizontal scrollbar.
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { kallglotDemoSessions } from '../fakes/seed.ts';
import { expect, test } from './bridge-fixture.ts';
import { shootBothThemes } from './screens.ts';

let storage: FakeStorage;
let kallglot: FakeKallglot;

test.beforeAll(async () => {
  storage = await createFakeStorage();
  kallglot = await startFakeKallglot({ storage, sessions: kallglotDemoSessions() });
});

test.afterAll(async () => {
  await kallglot?.close();
  await storage?.close();
});

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
];

test('every screen at 1280×800 and 1024×700, light and dark', async ({ page, bridge }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(SIZES[0]!);
  await page.goto(bridge.homeUrl);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Support line');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page
    .getByLabel('Session or recording ids')
    .fill('sess_demo_0001\nsess_demo_0002\nsess_demo_states\nsess_demo_missing');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
  await nav.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('library-row').first().click();

  const screens = (await nav.getByRole('button').allTextContents()).map((label) =>
    label.replace(/\s*\d+%?\s*$/, '').trim(),
  );
  expect(screens[0]).toBe('Overview');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const label of screens) {
      await nav.getByRole('button', { name: new RegExp(`^${label}`) }).click();
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      // Let lists and figures settle before the picture.
      await page.waitForTimeout(300);
      const name = `${label.toLowerCase().replace(/\s+/g, '-')}-${size.width}x${size.height}`;
      await shootBothThemes(page, name);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  }
});
