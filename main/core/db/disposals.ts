import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// Tombstones of disposed files (migration 011) and the recording row's side of a disposal.

export interface Tombstone {
  recordingId: number;
  accountId: number;
  provider: string;
  remoteId: string;
  localPath: string;
  sha256: string;
  size: number;
  recordedAt: string | null;
  disposedAt: string;
  rule: string;
  actor: string;
}

const COLUMNS = `recording_id AS recordingId, account_id AS accountId, provider,
  remote_id AS remoteId, local_path AS localPath, sha256, size, recorded_at AS recordedAt,
  disposed_at AS disposedAt, rule, actor`;

/**
 * Records the tombstone and takes the recording out of the archive: no file, no checksum, and
 * the `skipped` state, which discovery never undoes (so a re-sync never fetches it again).
 * Refuses (returns false) when the row is no longer archived at that path or a live hold
 * protects it, so a hold placed meanwhile always wins.
 */
export function recordDisposal(db: Db, tombstone: Tombstone): boolean {
  const taken = cachedStatement(
    db,
    `UPDATE recordings SET state = 'skipped', local_path = NULL, local_size = NULL,
       sha256 = NULL, archived_at = NULL, next_attempt_at = NULL,
       last_error = 'Disposed of under retention rule ' || @rule, updated_at = @disposedAt
     WHERE id = @recordingId AND state = 'archived' AND local_path = @localPath
       AND NOT EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
                       WHERE hi.recording_id = recordings.id AND h.released_at IS NULL)`,
  ).run(tombstone).changes;
  if (taken === 0) return false;
  cachedStatement(
    db,
    `INSERT INTO disposals (recording_id, account_id, provider, remote_id, local_path, sha256,
       size, recorded_at, disposed_at, rule, actor)
     VALUES (@recordingId, @accountId, @provider, @remoteId, @localPath, @sha256, @size,
       @recordedAt, @disposedAt, @rule, @actor)`,
  ).run(tombstone);
  return true;
}

/** Whether an archived recording still has these bytes (its derived copies are shared). */
export function shaStillArchived(db: Db, sha256: string): boolean {
  return (
    cachedStatement(
      db,
      `SELECT 1 FROM recordings WHERE sha256 = ? AND state = 'archived' LIMIT 1`,
    ).get(sha256) !== undefined
  );
}

/** Every tombstone, oldest first. */
export function listTombstones(db: Db): Tombstone[] {
  return cachedStatement(db, `SELECT ${COLUMNS} FROM disposals ORDER BY id`).all() as Tombstone[];
}

/** Recordings whose latest state is "disposed of" (skipped, with a tombstone). */
export function countDisposed(db: Db): number {
  return cachedStatement(
    db,
    `SELECT count(*) FROM recordings r WHERE r.state = 'skipped'
       AND EXISTS (SELECT 1 FROM disposals d WHERE d.recording_id = r.id)`,
  )
    .pluck()
    .get() as number;
}

/** Whether this recording stands disposed of (a re-sync leaves it alone unless asked). */
export function isDisposed(db: Db, recordingId: number): boolean {
  return (
    cachedStatement(
      db,
      `SELECT 1 FROM recordings r WHERE r.id = ? AND r.state = 'skipped'
       AND EXISTS (SELECT 1 FROM disposals d WHERE d.recording_id = r.id)`,
    ).get(recordingId) !== undefined
  );
}

/** A disposed recording asked for again (`--include-disposed`): back in the download queue. */
export function undisposeForDownload(db: Db, recordingId: number, now: Date = new Date()): void {
  cachedStatement(
    db,
    `UPDATE recordings SET state = 'discovered', last_error = NULL, updated_at = ?
     WHERE id = ? AND state = 'skipped'
       AND EXISTS (SELECT 1 FROM disposals d WHERE d.recording_id = recordings.id)`,
  ).run(now.toISOString(), recordingId);
}

/** Disposal tombstones of these recordings, latest first per recording. */
export function disposedAtOf(db: Db, recordingIds: readonly number[]): Map<number, string> {
  const rows = cachedStatement(
    db,
    `SELECT r.id, max(d.disposed_at) AS at FROM recordings r JOIN disposals d
       ON d.recording_id = r.id
     WHERE r.state = 'skipped' AND r.id IN (SELECT value FROM json_each(?)) GROUP BY r.id`,
  ).all(JSON.stringify(recordingIds)) as { id: number; at: string }[];
  return new Map(rows.map((row) => [row.id, row.at]));
}
