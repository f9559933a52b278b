import type { Db } from '../db/sqlite.ts';

/**
 * A worker let go of a recording without settling it (pause, cancel, a stopped job): it goes
 * back to the queue. Settled rows (archived, pending, failed, gone) are left alone.
 */
export function releaseDownload(db: Db, recordingId: number): void {
  db.prepare(
    `UPDATE recordings SET state = 'discovered', updated_at = ? WHERE id = ? AND state = 'downloading'`,
  ).run(new Date().toISOString(), recordingId);
}
