// The statements of the in-place rename to readable file names (archive/rename-to-readable.ts).
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

export const LEGACY_NAMES = 1;
export const READABLE_NAMES = 2;

export function archiveNamesScheme(db: Db): number {
  const row = cachedStatement(db, 'SELECT scheme FROM archive_names WHERE id = 1').get() as
    { scheme: number } | undefined;
  return row?.scheme ?? LEGACY_NAMES;
}

export function setArchiveNamesScheme(db: Db, scheme: number): void {
  cachedStatement(db, 'UPDATE archive_names SET scheme = ? WHERE id = 1').run(scheme);
}

export interface ArchivedFileRow {
  id: number;
  accountId: number;
  remoteId: string;
  localPath: string;
}

/** Every recording with a file in the archive, in id order. */
export function archivedFiles(db: Db): ArchivedFileRow[] {
  return cachedStatement(
    db,
    `SELECT id, account_id AS accountId, remote_id AS remoteId, local_path AS localPath
       FROM recordings WHERE local_path IS NOT NULL ORDER BY id`,
  ).all() as ArchivedFileRow[];
}

/** Recordings without a file: a download of theirs may have left a `.part` under the old name. */
export function idsWithoutFile(db: Db): number[] {
  return (
    cachedStatement(db, 'SELECT id FROM recordings WHERE local_path IS NULL ORDER BY id').all() as {
      id: number;
    }[]
  ).map((row) => row.id);
}

/**
 * Points the index at a renamed file (and its sidecar): the recording and the team vault's
 * queue. Changes nothing unless the row still names `from`. Returns whether it did.
 */
export function moveRecordingPath(
  db: Db,
  recordingId: number,
  from: string,
  to: string,
  sidecar: { from: string; to: string },
): boolean {
  const changed = cachedStatement(
    db,
    'UPDATE recordings SET local_path = ? WHERE id = ? AND local_path = ?',
  ).run(to, recordingId, from).changes;
  if (changed === 0) return false;
  cachedStatement(
    db,
    `UPDATE vault_items SET local_path = CASE local_path WHEN ? THEN ? ELSE ? END
      WHERE recording_id = ? AND local_path IN (?, ?)`,
  ).run(from, to, sidecar.to, recordingId, from, sidecar.from);
  return true;
}
