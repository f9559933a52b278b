import type { Channel } from '../providers/types.ts';
import type { RecordingState } from './recording-row.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { inTransaction } from './transaction.ts';

// A job's recordings: its items (job_items) read together with their recordings, for the sync
// runner, the job manager and the queue's view.

const ITEMS = 'job_items ji JOIN recordings r ON r.id = ji.recording_id';

function ids(rows: unknown[]): number[] {
  return (rows as { id: number }[]).map((row) => row.id);
}

/**
 * Recordings of the job's open items that are settled in the index already (archived, gone,
 * failed or excluded), e.g. by another job or by an earlier run.
 */
export function settledOpenItemIds(db: Db, jobId: number): number[] {
  return ids(
    cachedStatement(
      db,
      `SELECT ji.recording_id AS id FROM ${ITEMS}
       WHERE ji.job_id = ? AND ji.state NOT IN ('done', 'skipped', 'failed')
         AND r.state IN ('archived', 'gone', 'failed', 'skipped', 'no_recording')`,
    ).all(jobId),
  );
}

/** The job's recordings waiting for a retry. */
export function pendingRecordingIds(db: Db, jobId: number): number[] {
  return ids(
    cachedStatement(
      db,
      `SELECT r.id FROM ${ITEMS} WHERE ji.job_id = ? AND r.state = 'pending'`,
    ).all(jobId),
  );
}

/** When the job's first waiting recording may be retried, or null when none waits. */
export function nextRetryAt(db: Db, jobId: number): string | null {
  const row = cachedStatement(
    db,
    `SELECT min(r.next_attempt_at) AS at FROM ${ITEMS} WHERE ji.job_id = ? AND r.state = 'pending'`,
  ).get(jobId) as { at: string | null };
  return row.at;
}

/** The job's recordings not archived (yet): what a cancel may have left `.part` files of. */
export function unarchivedRecordingIds(db: Db, jobId: number): number[] {
  return ids(
    cachedStatement(
      db,
      `SELECT ji.recording_id AS id FROM ${ITEMS} WHERE ji.job_id = ? AND r.state != 'archived'`,
    ).all(jobId),
  );
}

/** The job's failed and waiting recordings go back to the queue, due now. */
export function requeueFailed(db: Db, jobId: number, now: Date = new Date()): void {
  inTransaction(db, () => {
    cachedStatement(
      db,
      `UPDATE recordings SET state = 'discovered', next_attempt_at = NULL, updated_at = ?
       WHERE id IN (SELECT recording_id FROM job_items WHERE job_id = ?)
         AND (state = 'failed' OR state = 'pending')`,
    ).run(now.toISOString(), jobId);
    cachedStatement(
      db,
      `UPDATE job_items SET state = 'queued', error = NULL
       WHERE job_id = ? AND state IN ('failed', 'pending')`,
    ).run(jobId);
  });
}

/** A job's counts as the queue shows them (null where no item is counted). */
export interface JobRecordingCounts {
  discovered: number | null;
  archived: number | null;
  skipped: number | null;
  pending: number | null;
  failed: number | null;
  gone: number | null;
  no_recording: number | null;
  bytes_done: number | null;
  bytes_total: number | null;
}

export function countJobRecordings(db: Db, jobId: number): JobRecordingCounts {
  return cachedStatement(
    db,
    `SELECT
       count(*) AS discovered,
       sum(ji.state = 'done') AS archived,
       sum(ji.state = 'skipped' AND r.state <> 'no_recording') AS skipped,
       sum(r.state = 'pending' OR (ji.state = 'pending')) AS pending,
       sum(r.state = 'failed') AS failed,
       sum(r.state = 'gone') AS gone,
       sum(r.state = 'no_recording') AS no_recording,
       sum(ji.bytes_done) AS bytes_done,
       -- Bytes still to come exclude what will never come (gone, failed) or was already there.
       sum(CASE WHEN ji.state = 'skipped' OR r.state IN ('gone', 'failed', 'no_recording') THEN 0
                ELSE coalesce(ji.bytes_total, r.size, 0) END) AS bytes_total
     FROM ${ITEMS} WHERE ji.job_id = ?`,
  ).get(jobId) as JobRecordingCounts;
}

export interface JobRecordingRow {
  recording_id: number;
  remote_id: string;
  channel: Channel;
  r_state: RecordingState;
  bytes_done: number;
  bytes_total: number | null;
  size: number | null;
  expires_at: string | null;
  error: string | null;
  last_error: string | null;
}

/** Items of a job (all, or only `onlyIds`), soonest deadline first. */
export function listJobRecordings(
  db: Db,
  jobId: number,
  limit: number,
  onlyIds?: readonly number[],
): JobRecordingRow[] {
  const filter = onlyIds ? `AND ji.recording_id IN (${onlyIds.map(() => '?').join(',')})` : '';
  // Not cached when filtered: each count of ids would compile and keep a statement of its own.
  const sql = `SELECT ji.recording_id, r.remote_id, r.channel, r.state AS r_state, ji.bytes_done,
       ji.bytes_total, r.size, r.expires_at, ji.error, r.last_error
     FROM ${ITEMS} WHERE ji.job_id = ? ${filter}
     ORDER BY r.sort_expires_at, r.id LIMIT ?`;
  const statement = onlyIds ? db.prepare(sql) : cachedStatement(db, sql);
  return statement.all(jobId, ...(onlyIds ?? []), limit) as JobRecordingRow[];
}
