import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { verifyArchiveFiles } from '../archive/verify-files.ts';
import { archivedFiles } from '../db/recordings.ts';
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
  try {
    // Entry by entry: the (empty) destination folder itself already exists.
    for (const entry of await fs.promises.readdir(source)) {
      await fs.promises.cp(path.join(source, entry), path.join(destination, entry), {
        recursive: true,
        errorOnExist: true,
        force: false,
      });
    }
  } catch (error) {
    await emptyFolder(destination);
    throw new AppError(
      'storage',
      `Copying the archive to ${destination} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it stays where it was.`,
      { cause: error },
    );
  }
  const report = await verifyArchiveFiles(destination, [...archivedFiles(db)]);
  if (report.missing.length || report.altered.length || report.unreadable.length) {
    await emptyFolder(destination);
    throw new AppError(
      'storage',
      `The copy at ${destination} did not verify (${report.missing.length} missing, ${report.altered.length} altered); the archive stays where it was.`,
    );
  }
  await fs.promises.rm(source, { recursive: true, force: true });
}

/** Removes what the move copied, leaving the (empty before) folder the user chose. */
async function emptyFolder(folder: string): Promise<void> {
  for (const entry of await fs.promises.readdir(folder).catch(() => [])) {
    await fs.promises.rm(path.join(folder, entry), { recursive: true, force: true });
  }
}
