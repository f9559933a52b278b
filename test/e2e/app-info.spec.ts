import path from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { expect, test } from './bridge-fixture.ts';

test('the renderer shows the version and archive location the engine reports', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.url);
  await expect(page.getByTestId('app-version')).toHaveText(pkg.version);
  // Cut in the middle on screen when long (the end in sight), whole in the title and to readers.
  const archiveDir = page.getByTestId('archive-dir');
  await expect(archiveDir).toHaveAttribute('title', path.join(bridge.dataDir, 'archive'));
  await expect(archiveDir).toContainText(path.join(bridge.dataDir, 'archive'));
  // The token left the address bar once read.
  expect(page.url()).not.toContain('token=');
});

test('without the token the renderer cannot reach the engine and says so', async ({
  page,
  bridge,
}) => {
  await page.goto(bridge.origin + '/');
  await expect(page.getByRole('alert')).toHaveText('Cannot reach the Recvault engine.');
});
