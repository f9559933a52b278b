import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { verifyArchiveFiles } from '../archive/verify-files.ts';
import type { Db } from '../db/sqlite.ts';

/**
 * Moves the archive to `target` without ever losing a byte: copy, re-hash every archived file
 * at the new place against the index, and only then switch and remove the old copy. Refuses a
 * target that is inside the current archive or already holds files.
 */
export async function moveArchive(db: Db, from: string, target: string): Promise<void> {
  const source = path.resolve(from);
  const destination = path.resolve(target);
  if (destination === source) return;
  if (destination.startsWith(source + path.sep)) {
    throw new AppError(
      'invalid_arguments',
      'The new archive folder cannot be inside the current one.',
    );
  }
  const existing = await fs.promises.readdir(destination).catch(() => []);
  if (existing.length > 0) {
    throw new AppError(
      'conflict',
      `${destination} is not empty: choose an empty folder for the archive.`,
    );
  }
  await fs.promises.mkdir(destination, { recursive: true });
  await fs.promises.cp(source, destination, { recursive: true, errorOnExist: true, force: false });
  const expected = db
    .prepare(
      `SELECT local_path AS relativePath, sha256, local_size AS size FROM recordings
       WHERE state = 'archived' AND local_path IS NOT NULL`,
    )
    .all() as { relativePath: string; sha256: string; size: number }[];
  const report = await verifyArchiveFiles(destination, expected);
  if (report.missing.length || report.altered.length || report.unreadable.length) {
    await fs.promises.rm(destination, { recursive: true, force: true });
    throw new AppError(
      'storage',
      `The copy at ${destination} did not verify (${report.missing.length} missing, ${report.altered.length} altered); the archive stays where it was.`,
    );
  }
  await fs.promises.rm(source, { recursive: true, force: true });
}
