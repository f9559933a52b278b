import type { JobItemView, JobTotals, JobView } from '../contract/types.ts';
import { accountLabel } from '../db/accounts.ts';
import { countJobRecordings, listJobRecordings, nextRetryAt } from '../db/job-recordings.ts';
import type { Job } from '../db/jobs.ts';
import type { Db } from '../db/sqlite.ts';
import type { JobSpec } from './job-spec.ts';

export interface LiveRate {
  throughput: number;
}

/** A job as the queue shows it; counts come from the index so they never disagree with it. */
export function jobView(db: Db, job: Job, live: LiveRate | null): JobView {
  const account = job.accountId === null ? null : accountLabel(db, job.accountId);
  const counts = countJobRecordings(db, job.id);
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
    noRecording: counts.no_recording ?? 0,
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
    nextRetryAt: totals.pending > 0 ? nextRetryAt(db, job.id) : null,
  };
}

/** Items of a job, soonest deadline first, with their reasons. */
export function jobItemViews(
  db: Db,
  jobId: number,
  limit: number,
  onlyIds?: number[],
): JobItemView[] {
  const rows = listJobRecordings(db, jobId, limit, onlyIds);
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
