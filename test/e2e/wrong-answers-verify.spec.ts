// Issue 11: a verification that finds an altered file names it, and the library then shows that
// recording as "Integrity failed" (and can filter for it), through the bridge against the fake.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';

const fakes = demoKallglotForFile();

test('verify names the altered file and the library shows its recording as "Integrity failed"', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Demo');
  await page.getByLabel('Base URL').fill(fakes.kallglot.baseUrl);
  await page.getByLabel('API key').fill(fakes.kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill('sess_demo_0001');
  await expect(page.locator('#sync-ids-summary')).toHaveText('1 id');
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(page.getByTestId('job').first().getByTestId('job-state')).toHaveText('Done', {
    timeout: 60_000,
  });

  // Change one byte of the agent's file behind Recvault's back.
  const archive = path.join(bridge.dataDir, 'archive');
  const media = (fs.readdirSync(archive, { recursive: true }) as string[])
    .map(String)
    .filter((f) => /agent\.wav$/.test(f));
  expect(media).toHaveLength(1);
  const altered = media[0]!;
  const bytes = fs.readFileSync(path.join(archive, altered));
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  fs.writeFileSync(path.join(archive, altered), bytes);

  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Verify now' }).click();
  const problems = page.getByTestId('verify-problems');
  await expect(problems).toContainText(`Altered: ${altered.split(path.sep).join('/')}`, {
    timeout: 60_000,
  });
  await expect(problems.locator('li')).toHaveCount(1);

  await nav.getByRole('button', { name: 'Library' }).click();
  const rows = page.getByTestId('library-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'Integrity failed' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Integrity failed' })).toContainText('agent');
  // The custody panel of each: the altered one failed, the others verified, the hash copied.
  await rows.filter({ hasText: 'customer' }).click();
  const custody = page.getByTestId('recording-custody');
  await expect(custody).toContainText(/^Verified ✓ at .+\d/);
  await expect(page.getByTestId('audit-history')).toContainText(
    /Archived from Kallglot Demo by job 1 on .+ by /,
  );
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy the SHA-256' }).click();
  const sha = await page.getByTestId('recording-sha256').textContent();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sha);
  await rows.filter({ hasText: 'Integrity failed' }).click();
  await expect(custody).toContainText('Integrity failed ✗');
  await expect(page.getByTestId('audit-history')).toContainText('Integrity check failed');
  await page.getByRole('checkbox', { name: 'Integrity failed' }).check();
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('library-count')).toHaveText(/^1\s+recording/);

  // Moving the archive is then refused, naming the file at fault; it stays where it was.
  await nav.getByRole('button', { name: 'Settings' }).click();
  const target = `${bridge.dataDir}-moved`;
  try {
    await page.getByLabel('Folder', { exact: true }).fill(target);
    const move = page.getByRole('button', { name: 'Move archive here' });
    await move.click();
    await page.getByRole('button', { name: 'Move archive', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'did not verify' })).toContainText(
      altered.split(path.sep).join('/'),
      { timeout: 60_000 },
    );
    // Asked again and cancelled: focus is back on the button that asked.
    await move.click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(move).toBeFocused();
    expect(fs.existsSync(path.join(archive, altered))).toBe(true);
  } finally {
    fs.rmSync(target, { recursive: true, force: true });
  }
});
