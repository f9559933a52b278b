// Issue 11: "Verify an export…" takes a typed path, not only a picked folder: a .zip package is
// unpacked and checked by the engine through the bridge; a path with nothing there is said at
// the field in plain words, with no verdict.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { expect, test } from './bridge-fixture.ts';

/** A small bag (bagit.txt, one payload file and its manifest) zipped under its own folder. */
async function writeBagZip(zipPath: string): Promise<void> {
  const payload = Buffer.from('a recording\n');
  const sha = createHash('sha256').update(payload).digest('hex');
  const zip = new yazl.ZipFile();
  zip.addBuffer(
    Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'),
    'for-legal/bagit.txt',
  );
  zip.addBuffer(payload, 'for-legal/data/call.txt');
  zip.addBuffer(Buffer.from(`${sha}  data/call.txt\n`), 'for-legal/manifest-sha256.txt');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  });
}

test('a typed .zip path is verified; a typed path with nothing there is said at the field', async ({
  page,
  bridge,
}) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-verify-'));
  const zipPath = path.join(parent, 'for-legal.zip');
  await writeBagZip(zipPath);
  await page.goto(bridge.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Exports' })
    .click();
  const panel = page.getByRole('region', { name: 'Verify an export…' });
  const field = panel.getByLabel('Package (folder or .zip)');

  await field.fill(zipPath);
  await panel.getByRole('button', { name: 'Verify' }).click();
  // Opened and read: the zip's bag passes its BagIt and payload checks (it has no custody records).
  await expect(panel.getByTestId('verify-export-verdict')).toHaveText(/NOT VERIFIED/);
  await expect(panel.getByRole('listitem').filter({ hasText: 'OK bagit' })).toHaveCount(1);
  await expect(panel.getByRole('listitem').filter({ hasText: 'OK payload' }).first()).toBeVisible();
  await expect(panel).not.toContainText('does not exist');

  const missing = path.join(parent, 'for-legl.zip');
  await field.fill(missing);
  await panel.getByRole('button', { name: 'Verify' }).click();
  await expect(panel).toContainText(
    `${missing} does not exist. Check the path: the bag’s folder, or its .zip.`,
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect(panel.getByTestId('verify-export-verdict')).toHaveCount(0);
});
