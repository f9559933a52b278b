import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const outDir = path.join(repoRoot, 'out');

/** Path of a build output; fails with a clear message when `npm run build` has not run. */
export function builtFile(relative: string): string {
  if (process.env.RECVAULT_TEST_PROJECT === 'unit')
    throw new Error(`A unit test may not read the build (${relative}): move it to test/built/.`);
  const file = path.join(outDir, relative);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first.`);
  return file;
}
