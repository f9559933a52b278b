// Issue 11 point 5, an export flow that cannot surprise, through the bridge against the Kallglot
// fake: before it starts the dialog says "3 recordings → 4 files" (split channels, the rows not
// archived named), following the options; a failed export keeps its reason on Exports and is
// retried with the same settings once the cause is fixed; Exports shows the options, the files
// with their SHA-256, the zip's SHA-256, and verifies the export; the dialog reopens with the
// last settings.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './bridge-fixture.ts';
import { demoKallglotForFile } from './demo-kallglot.ts';
import { seedDemoArchive, selectAllRows } from './seed-demo.ts';
import { shootBothThemes } from './screens.ts';

const fakes = demoKallglotForFile();
let parent: string;

test.beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-flow-'));
});

test.afterAll(async () => {
  fs.rmSync(parent, { recursive: true, force: true });
});

test('the dialog says "3 recordings → 4 files" before it starts; Exports shows options, files, zip SHA-256, verifies, retries a failed export; the dialog remembers', async ({
  page,
  bridge,
}) => {
  test.setTimeout(180_000);
  await page.goto(bridge.url);
  await seedDemoArchive(page, fakes.kallglot);
  // sess_demo_0002: a stereo recording and two mono ones; sess_demo_states: three not archived.
  await selectAllRows(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('Format').selectOption('wav');
  await dialog.getByRole('radio', { name: 'Split agent / customer' }).check();
  const plan = dialog.getByTestId('export-plan');
  await expect(plan.getByTestId('export-plan-headline')).toHaveText('3 recordings → 4 files');
  await expect(plan).toContainText('1 recording is split into an agent file and a customer file.');
  await expect(plan).toContainText('Files: 4 .wav');
  await expect(plan).toContainText('3 of the 6 selected are not archived yet');
  // It follows the options: kept channels make one file per recording.
  await dialog.getByRole('radio', { name: 'Keep', exact: true }).first().check();
  await expect(plan.getByTestId('export-plan-headline')).toHaveText('3 recordings → 3 files');
  await dialog.getByRole('radio', { name: 'Split agent / customer' }).check();
  await dialog.getByRole('button', { name: 'Export the 3 archived' }).click();
  await expect(plan.getByTestId('export-plan-headline')).toHaveText('3 recordings → 4 files');
  await expect(plan).not.toContainText('not archived');
  await page.setViewportSize({ width: 1024, height: 700 });
  await shootBothThemes(page, 'export-flow-dialog-1024x700');
  await page.setViewportSize({ width: 1280, height: 800 });

  // A file where the zip's folder should be: the export fails, and says why.
  const blocked = path.join(parent, 'blocked');
  fs.writeFileSync(blocked, 'a file, not a folder');
  const zip = path.join(blocked, 'for-legal.zip');
  await dialog.getByRole('radio', { name: 'One .zip file' }).check();
  await dialog.getByLabel('Package for legal (BagIt)').uncheck();
  await dialog.getByLabel('Zip file path').fill(zip);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-summary')).toContainText('The export failed: ', {
    timeout: 60_000,
  });
  const reason = (await dialog.getByTestId('export-summary').textContent())!;
  expect(reason).toContain(blocked);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Exports' })
    .click();
  const failed = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Export 1' }) });
  await expect(failed.getByTestId('export-summary')).toHaveText(reason);
  await failed.getByRole('button', { name: 'Show details' }).click();
  const failedOptions = failed.getByTestId('export-options');
  await expect(failedOptions).toContainText(/Format\s*WAV/);
  await expect(failedOptions).toContainText(
    /Channels\s*Split: one agent file and one customer file/,
  );
  await expect(failedOptions).toContainText(/Package\s*Plain files in one \.zip file/);
  await expect(failedOptions).toContainText(/Recordings\s*3/);
  await expect(failedOptions).toContainText(/Time zone\s*UTC/);
  await expect(failed).toContainText('No files were written: the export failed');

  // Fixed: the folder is there now. The retry takes the same recordings and settings.
  fs.rmSync(blocked);
  fs.mkdirSync(blocked);
  await failed.getByRole('button', { name: 'Retry with the same settings' }).click();
  await expect(failed.getByTestId('export-retried')).toContainText('Started again as export 2');
  const retried = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Export 2' }) });
  await expect(retried.getByTestId('export-progress')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  await expect(retried.getByTestId('export-summary')).toHaveText(
    '3 recordings → 4 files exported.',
  );
  await retried.getByRole('button', { name: 'Show details' }).click();
  await expect(retried).toContainText('A retry of export 1, with the same settings.');
  const files = retried.getByTestId('export-files').locator('tbody tr');
  await expect(files).toHaveCount(4);
  const zipSha = createHash('sha256').update(fs.readFileSync(zip)).digest('hex');
  await expect(retried.getByTestId('export-zip-sha256')).toContainText(zipSha);
  await expect(retried.getByTestId('export-files')).toContainText('4 files written');
  await retried.getByText('View the manifest (manifest.csv)').click();
  await expect(retried.getByTestId('export-manifest')).toContainText('output_file,output_sha256');
  await retried.getByRole('button', { name: 'Verify this export' }).click();
  await expect(retried.getByTestId('export-verify-result')).toContainText('VERIFIED', {
    timeout: 30_000,
  });
  // The failed one still says why it failed.
  await expect(failed.getByTestId('export-summary')).toHaveText(reason);
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1024, height: 700 },
  ]) {
    await page.setViewportSize(size);
    await retried.getByTestId('export-files').scrollIntoViewIfNeeded();
    await shootBothThemes(page, `export-flow-exports-${size.width}x${size.height}`);
  }

  // Reopened, the dialog starts from the last settings.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Library' })
    .click();
  await page.getByLabel('Search recordings').fill('sess_demo_0002');
  await expect(page.getByTestId('library-count')).toHaveText(/^3\s+recordings/);
  await selectAllRows(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByLabel('Format')).toHaveValue('wav');
  await expect(dialog.getByRole('radio', { name: 'Split agent / customer' })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'One .zip file' })).toBeChecked();
  await expect(dialog.getByLabel('Package for legal (BagIt)')).not.toBeChecked();
  await expect(dialog.getByLabel('Zip file path')).toHaveValue(zip);
  await expect(plan.getByTestId('export-plan-headline')).toHaveText('3 recordings → 4 files');
});
