import type { JobItemView, JobTotals, JobView } from '../contract/types.ts';
import type { Job } from '../db/jobs.ts';
import type { Db } from '../db/sqlite.ts';
import type { ProviderKind } from '../providers/types.ts';
import type { JobSpec } from './job-spec.ts';

export interface LiveRate {
  throughput: number;
}

/** A job as the queue shows it; counts come from the index so they never disagree with it. */
export function jobView(db: Db, job: Job, live: LiveRate | null): JobView {
  const account = db
    .prepare('SELECT name, provider FROM accounts WHERE id = ?')
    .get(job.accountId) as { name: string; provider: ProviderKind } | undefined;
  const counts = db
    .prepare(
      `SELECT
         count(*) AS discovered,
         sum(ji.state = 'done') AS archived,
         sum(ji.state = 'skipped') AS skipped,
         sum(r.state = 'pending' OR (ji.state = 'pending')) AS pending,
         sum(r.state = 'failed') AS failed,
         sum(r.state = 'gone') AS gone,
         sum(ji.bytes_done) AS bytes_done,
         -- Bytes still to come exclude what will never come (gone, failed) or was already there.
         sum(CASE WHEN ji.state = 'skipped' OR r.state IN ('gone', 'failed') THEN 0
                  ELSE coalesce(ji.bytes_total, r.size, 0) END) AS bytes_total
       FROM job_items ji JOIN recordings r ON r.id = ji.recording_id WHERE ji.job_id = ?`,
    )
    .get(job.id) as Record<string, number | null>;
  const bytesDone = counts.bytes_done ?? 0;
  const bytesTotal = Math.max(counts.bytes_total ?? 0, bytesDone);
  const throughput = job.state === 'running' ? (live?.throughput ?? 0) : 0;
  const totals: JobTotals = {
    discovered: counts.discovered ?? 0,
    archived: counts.archived ?? 0,
    skipped: counts.skipped ?? 0,
    pending: counts.pending ?? 0,
    failed: counts.failed ?? 0,
    gone: counts.gone ?? 0,
    bytesDone,
    bytesTotal,
    throughput,
    etaSeconds:
      job.state !== 'running'
        ? null
        : throughput > 0
          ? Math.ceil(Math.max(0, bytesTotal - bytesDone) / throughput)
          : null,
  };
  const spec = job.spec as Partial<JobSpec>;
  return {
    id: job.id,
    accountId: job.accountId ?? 0,
    accountName: account?.name ?? '(removed account)',
    provider: account?.provider ?? 'kallglot',
    state: job.state,
    label: spec.label ?? job.kind,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    totals,
    error: job.error,
  };
}

interface ItemRow {
  recording_id: number;
  remote_id: string;
  channel: JobItemView['channel'];
  r_state: JobItemView['state'];
  bytes_done: number;
  bytes_total: number | null;
  size: number | null;
  expires_at: string | null;
  error: string | null;
  last_error: string | null;
}

/** Items of a job, soonest deadline first, with their reasons. */
export function jobItemViews(
  db: Db,
  jobId: number,
  limit: number,
  onlyIds?: number[],
): JobItemView[] {
  const filter = onlyIds ? `AND ji.recording_id IN (${onlyIds.map(() => '?').join(',')})` : '';
  const rows = db
    .prepare(
      `SELECT ji.recording_id, r.remote_id, r.channel, r.state AS r_state, ji.bytes_done,
              ji.bytes_total, r.size, r.expires_at, ji.error, r.last_error
       FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
       WHERE ji.job_id = ? ${filter}
       ORDER BY r.sort_expires_at, r.id LIMIT ?`,
    )
    .all(jobId, ...(onlyIds ?? []), limit) as ItemRow[];
  return rows.map((row) => ({
    recordingId: row.recording_id,
    remoteId: row.remote_id,
    channel: row.channel,
    state: row.r_state,
    bytesDone: row.bytes_done,
    bytesTotal: row.bytes_total ?? row.size,
    expiresAt: row.expires_at,
    error: row.r_state === 'archived' ? null : (row.error ?? row.last_error),
  }));
}
