// Issue 11 point 4, through the bridge against the Kallglot fake: a recording's custody panel
// gives the absolute path of its file (the bridge cannot open a file manager and says so), the
// OS user as the actor of its audit trail, and the exports that included it, each opening the
// Exports screen on that export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';

const fakes = demoKallglotForFile();
let parent: string;

test.beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-custody-'));
});

test.afterAll(async () => {
  fs.rmSync(parent, { recursive: true, force: true });
});

test('the custody panel shows the file’s absolute path, the OS user in the trail and the export that included it', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Main');
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill('sess_demo_0001');
  await expect(page.locator('#sync-ids-summary')).toHaveText('1 id');
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  // Export the agent's recording to a folder.
  await nav.getByRole('button', { name: 'Library' }).click();
  const rows = page.getByTestId('library-row');
  await expect(rows).toHaveCount(3);
  const agent = rows.filter({ hasText: 'agent' });
  await agent.click();
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  const target = path.join(parent, 'for-legal');
  fs.mkdirSync(target);
  await dialog.getByLabel('Export folder').fill(target);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-summary')).toContainText('exported', { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The panel: the absolute path of the file that is on disk.
  await agent.click();
  const filePath = page.getByTestId('recording-path');
  // Named by the recording id itself (older versions wrote rec_5fdemo_5f0001_5fagent.wav).
  await expect(filePath).toHaveText(/^\/.+\/rec_demo_0001_agent\.wav$/);
  const shown = (await filePath.textContent())!;
  expect(path.isAbsolute(shown)).toBe(true);
  expect(shown.startsWith(path.join(bridge.dataDir, 'archive') + path.sep)).toBe(true);
  expect(fs.statSync(shown).isFile()).toBe(true);
  await expect(page.getByTestId('file-custody')).toContainText(
    'Show in folder is only available in the desktop app',
  );
  await expect(page.getByRole('button', { name: 'Show in folder' })).toHaveCount(0);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy path' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);

  // The trail names the OS user, never "user".
  const trail = page.getByTestId('audit-history');
  await expect(trail).toContainText(
    new RegExp(`Archived from Kallglot Main by job 1 on .+ by ${os.userInfo().username}`),
  );
  await expect(page.getByTestId('audit-actor').first()).toHaveText(os.userInfo().username);

  // The export that included it, with its files, opening the Exports screen on it.
  const exportsList = page.getByTestId('recording-exports');
  await expect(exportsList.locator('li')).toHaveCount(1);
  await expect(exportsList).toContainText(`to the folder ${target}`);
  const names = fs.readdirSync(target).filter((n) => n.endsWith('.wav'));
  expect(names).toHaveLength(1);
  await expect(exportsList).toContainText(names[0]!);
  await exportsList.getByRole('button', { name: 'Export 1' }).click();
  await expect(page.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Export 1', level: 2 })).toBeFocused();
  await page.screenshot({ path: 'test-results/custody-exports-focused.png' });

  // The other recordings were never exported.
  await nav.getByRole('button', { name: 'Library' }).click();
  await rows.filter({ hasText: 'customer' }).click();
  await expect(page.getByTestId('recording-exports-none')).toHaveText('Not exported yet.');
  await expect(page.getByTestId('recording-path')).toHaveText(/\/rec_demo_0001_customer\.wav$/);
  await page.getByTestId('file-custody').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/custody-panel.png' });
  // A laptop window: the path and the exports wrap, nothing is cut off.
  // Below 1100 px the details are a drawer the row opens.
  await page.setViewportSize({ width: 1024, height: 700 });
  await rows.filter({ hasText: 'customer' }).click();
  await page.getByTestId('file-custody').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('recording-path').boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: 'test-results/custody-panel-1024.png' });
});
