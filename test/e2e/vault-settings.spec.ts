// Issue 17 in the app, through the bridge against a real Ceph RGW this file starts and stops:
// Settings › Team vault adds a vault after its test (a bucket without Object Lock refused with
// the reason), a sync's recordings are counted as they reach the store, the vault re-reads as
// it should, and a second officer's empty data directory opens the team vault from the
// overview and finds the recordings in its library.
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { makeS3Client } from '../../main/core/vault/client.ts';
import { startCephS3, type CephS3 } from '../support/ceph-s3.ts';
import { shootBothThemes } from './screens.ts';
import { startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { kallglotDemoSessions } from '../fakes/seed.ts';
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import {
  expect,
  startBridgeProcess,
  stopBridgeProcess,
  test,
  type RunningBridge,
} from './bridge-fixture.ts';

let ceph: CephS3;
let s3: S3Client;
let storage: FakeStorage;
let kallglot: FakeKallglot;
/** The first officer's bridge, kept for the second test (the vault it filled). */
let first: RunningBridge | null = null;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: 'team', ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
  storage = await createFakeStorage();
  kallglot = await startFakeKallglot({
    rateLimitPerMinute: 300,
    storage,
    sessions: kallglotDemoSessions(),
  });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  if (first) await stopBridgeProcess(first);
  await kallglot?.close();
  await storage?.close();
  s3?.destroy();
  await ceph?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function fillVault(page: Page, bucket: string): Promise<void> {
  const form = page.locator('form.vault-form');
  await form.getByLabel('Endpoint URL').fill(ceph.endpoint);
  await form.getByLabel('Bucket', { exact: true }).fill(bucket);
  await form.getByLabel('Access key').fill(ceph.accessKeyId);
  await form.getByLabel('Secret key').fill(ceph.secretAccessKey);
  await form.getByLabel('Keep every object at least (days)').fill('30');
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Screenshots at both sizes (looked at for truncation), the panel wholly in view, no sideways scroll. */
async function shoot(page: Page, name: string, region: string): Promise<void> {
  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    const panel = page.getByRole('region', { name: region });
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shootBothThemes(page, `${name}-${size.width}`);
  }
}

/** The recordings' and checkpoints' objects in the store (not the test's probes, nor the day
 * bundles of index/, which the upload queue does not count). */
async function objectsInBucket(): Promise<number> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'team' }));
  return (listed.Contents ?? []).filter((o) => !/^(probes|index)\//.test(o.Key!)).length;
}

test('a vault is added after its test, a bucket without Object Lock refused, a sync counted', async ({
  page,
}) => {
  test.setTimeout(180_000);
  first = await startBridgeProcess();
  await page.goto(first.homeUrl);
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Team vault' });
  await expect(panel.getByTestId('vault-none')).toBeVisible();

  await panel.getByRole('button', { name: 'Add a vault…' }).click();
  await fillVault(page, 'plain');
  await panel.getByRole('button', { name: 'Test and add vault' }).click();
  const refusal = panel.getByTestId('vault-error');
  await expect(refusal).toContainText('The vault was not added', { timeout: 30_000 });
  await expect(refusal).toContainText('Bucket "plain" has no Object Lock');
  await expect(refusal).not.toContainText(ceph.secretAccessKey);
  await expect(panel.getByLabel('Secret key')).toHaveValue('');
  await shoot(page, 'vault-refused', 'Team vault');

  await panel.getByLabel('Bucket', { exact: true }).fill('team');
  await panel.getByLabel('Secret key').fill(ceph.secretAccessKey);
  await panel.getByRole('button', { name: 'Test and add vault' }).click();
  const status = panel.getByTestId('vault-status');
  await expect(status).toContainText('bucket team', { timeout: 30_000 });
  await expect(status).toContainText('sealed by this app’s secret store');
  await expect(panel.getByTestId('vault-error')).toHaveCount(0);
  // The secret is nowhere on the page, nor in the data directory (index, WAL, logs): sealed.
  expect(await page.content()).not.toContain(ceph.secretAccessKey);
  for (const file of filesUnder(first.dataDir)) {
    expect(fs.readFileSync(file).includes(ceph.secretAccessKey), file).toBe(false);
  }

  await panel.getByRole('button', { name: 'Test vault' }).click();
  await expect(panel.getByTestId('vault-test-verdict')).toHaveText(
    'The vault passed every check: it is ready.',
    { timeout: 30_000 },
  );
  const checks = panel.getByTestId('vault-check');
  await expect(checks).toHaveCount(6);
  for (const check of await checks.all()) await expect(check).toHaveAttribute('data-ok', 'true');
  await shoot(page, 'vault-tested', 'Team vault');

  // A sync in another window: its recordings go to the vault, and this panel counts them as
  // the store confirms each (vaultChanged), without leaving Settings.
  const other = await page.context().newPage();
  await other.goto(first.homeUrl);
  await nav(other).getByRole('button', { name: 'Accounts' }).click();
  await other.getByRole('button', { name: 'Add account' }).click();
  await other.getByLabel('Name').fill('Demo');
  await other.getByLabel('Base URL').fill(kallglot.baseUrl);
  await other.getByLabel('API key').fill(kallglot.apiKey);
  await other.getByRole('button', { name: 'Add account' }).click();
  await expect(other.getByTestId('account-card').filter({ hasText: 'Demo' })).toHaveCount(1);
  await nav(other).getByRole('button', { name: 'Sync' }).click();
  await other.getByLabel('Session or recording ids').fill('sess_demo_0001');
  await other.getByRole('button', { name: 'Start sync' }).click();
  await expect(other.getByTestId('job').first().getByTestId('job-state')).toHaveText('Done', {
    timeout: 60_000,
  });
  await other.close();
  const counts = panel.getByTestId('vault-counts');
  await expect(counts).toHaveText(/^\s*[1-9]\d* in the vault, 0 queued, 0 failed\s*$/, {
    timeout: 60_000,
  });
  // 3 recordings: media and sidecar each, and the sync's signed checkpoint(s).
  const vaulted = Number(/(\d+) in the vault/.exec((await counts.textContent())!)![1]);
  expect(vaulted).toBeGreaterThanOrEqual(6);
  expect(await objectsInBucket()).toBe(vaulted);
  await expect(panel.getByTestId('vault-last-upload')).not.toHaveText('Nothing uploaded yet');

  await panel.getByLabel(/Objects to re-read at random/).fill('');
  await panel.getByRole('button', { name: 'Verify vault' }).click();
  await expect(panel.getByTestId('vault-verify-result')).toHaveText(
    `${vaulted} objects re-read: every one matches.`,
    { timeout: 30_000 },
  );

  // Past a 1-day retention rule, but the vault keeps them under compliance retention for 30
  // days: the disposal queue says so and offers nothing to dispose of.
  await nav(page).getByRole('button', { name: 'Compliance' }).click();
  await page.getByLabel('Keep for').fill('1d');
  await page.getByRole('button', { name: 'Set rule' }).click();
  const queue = page.getByRole('region', { name: 'Disposal queue' });
  await queue.getByRole('button', { name: 'Refresh' }).click();
  await expect(queue.getByTestId('disposal-vault-kept')).toHaveCount(3);
  const until = new Date(Date.now() + 30 * 86_400_000).getFullYear();
  await expect(queue.getByTestId('disposal-vault-kept').first()).toContainText(
    new RegExp(`\\(Demo\\): kept by the vault’s compliance retention until \\w.+${until}$`),
  );
  await expect(queue.getByTestId('disposal-summary')).toContainText('0 recordings eligible');
  await shoot(page, 'vault-disposal-kept', 'Disposal queue');
});

test('a second officer opens the team vault in an empty data directory and finds the recordings', async ({
  page,
}) => {
  test.setTimeout(120_000);
  expect(first, 'the first test filled the vault').not.toBeNull();
  const second = await startBridgeProcess();
  try {
    await page.goto(second.homeUrl);
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect(page.getByRole('button', { name: 'Open a team vault' })).toBeVisible();
    await shootBothThemes(page, 'vault-overview-empty-1024');
    await page.getByRole('button', { name: 'Open a team vault' }).click();
    const panel = page.getByRole('region', { name: 'Team vault' });
    // The overview's button lands on the form, its first field focused (in view).
    await expect(panel.getByLabel('Endpoint URL')).toBeFocused();
    await fillVault(page, 'team');
    await panel.getByRole('button', { name: 'Open this team vault' }).click();
    await expect(panel.getByTestId('vault-attached')).toHaveText(
      '3 recordings from 1 account indexed from the team vault.',
      { timeout: 60_000 },
    );
    await expect(panel.getByTestId('vault-status')).toContainText('opened from other officers');
    await shoot(page, 'vault-attached', 'Team vault');

    await nav(page).getByRole('button', { name: 'Library' }).click();
    await expect(page.getByTestId('library-row')).toHaveCount(3);
  } finally {
    await stopBridgeProcess(second);
  }
});
