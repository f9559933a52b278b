import { RowNotFoundError } from './errors.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { inTransaction } from './transaction.ts';
import { JOB_STATES, type JobState } from '../contract/vocabulary.ts';

export { JOB_STATES, type JobState } from '../contract/vocabulary.ts';
export const JOB_ITEM_STATES = [
  'queued',
  'running',
  'done',
  'pending',
  'failed',
  'skipped',
] as const;
export type JobItemState = (typeof JOB_ITEM_STATES)[number];

export interface JobItemCounts {
  total: number;
  byState: Record<JobItemState, number>;
  bytesDone: number;
  bytesTotal: number;
}

export interface Job {
  id: number;
  accountId: number | null;
  kind: string;
  spec: unknown;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Counters the engine keeps that have no item row (e.g. recordings discovered). */
  totals: Record<string, number>;
  error: string | null;
  /** Derived from job_items each time, so it can never disagree with them. */
  items: JobItemCounts;
}

interface JobRow {
  id: number;
  account_id: number | null;
  kind: string;
  spec_json: string;
  state: JobState;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  totals_json: string;
  error: string | null;
}

export function createJob(
  db: Db,
  input: { accountId: number | null; kind: string; spec: unknown },
  now: Date = new Date(),
): Job {
  const { id } = cachedStatement(
    db,
    `INSERT INTO jobs (account_id, kind, spec_json, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
  ).get(input.accountId, input.kind, JSON.stringify(input.spec ?? {}), now.toISOString()) as {
    id: number;
  };
  return requireJob(db, id);
}

/** Adds recordings to a job; ones already in it are left as they are. */
export function addJobItems(
  db: Db,
  jobId: number,
  recordingIds: readonly number[],
  now: Date = new Date(),
): void {
  const insert = cachedStatement(
    db,
    `INSERT INTO job_items (job_id, recording_id, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (job_id, recording_id) DO NOTHING`,
  );
  inTransaction(db, () => {
    for (const recordingId of recordingIds) insert.run(jobId, recordingId, now.toISOString());
  });
}

export function updateJobItem(
  db: Db,
  jobId: number,
  recordingId: number,
  change: {
    state?: JobItemState;
    bytesDone?: number;
    bytesTotal?: number | null;
    error?: string | null;
  },
  now: Date = new Date(),
): void {
  const result = cachedStatement(
    db,
    `UPDATE job_items SET
         state = coalesce(@state, state),
         bytes_done = coalesce(@bytes_done, bytes_done),
         bytes_total = CASE WHEN @has_bytes_total THEN @bytes_total ELSE bytes_total END,
         error = CASE WHEN @has_error THEN @error ELSE error END,
         updated_at = @at
       WHERE job_id = @job_id AND recording_id = @recording_id`,
  ).run({
    state: change.state ?? null,
    bytes_done: change.bytesDone ?? null,
    has_bytes_total: change.bytesTotal === undefined ? 0 : 1,
    bytes_total: change.bytesTotal ?? null,
    has_error: change.error === undefined ? 0 : 1,
    error: change.error ?? null,
    at: now.toISOString(),
    job_id: jobId,
    recording_id: recordingId,
  });
  if (result.changes === 0) throw new RowNotFoundError('job_items', recordingId);
}

/** Moves a job to `state`, stamping started/finished times as the state implies. */
export function setJobState(
  db: Db,
  jobId: number,
  state: JobState,
  options: { error?: string | null; now?: Date } = {},
): Job {
  const at = (options.now ?? new Date()).toISOString();
  const finished = state === 'done' || state === 'failed' || state === 'cancelled';
  const result = cachedStatement(
    db,
    `UPDATE jobs SET state = @state,
         started_at = CASE WHEN @state = 'running' THEN coalesce(started_at, @at) ELSE started_at END,
         finished_at = CASE WHEN @finished THEN @at ELSE NULL END,
         error = @error
       WHERE id = @id`,
  ).run({ state, at, finished: finished ? 1 : 0, error: options.error ?? null, id: jobId });
  if (result.changes === 0) throw new RowNotFoundError('jobs', jobId);
  return requireJob(db, jobId);
}

/** Replaces the engine's free-form counters (merged over the existing ones). */
export function setJobTotals(db: Db, jobId: number, totals: Record<string, number>): void {
  const result = cachedStatement(
    db,
    `UPDATE jobs SET totals_json = json_patch(totals_json, ?) WHERE id = ?`,
  ).run(JSON.stringify(totals), jobId);
  if (result.changes === 0) throw new RowNotFoundError('jobs', jobId);
}

export function getJob(db: Db, id: number): Job | null {
  const row = cachedStatement(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toJob(db, row) : null;
}

/** Jobs in the given states, oldest first (e.g. what to resume at startup). */
export function listJobs(db: Db, states: readonly JobState[] = JOB_STATES): Job[] {
  if (states.length === 0) return [];
  const rows = cachedStatement(
    db,
    `SELECT * FROM jobs WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY id`,
  ).all(...states) as JobRow[];
  return rows.map((row) => toJob(db, row));
}

/**
 * At startup nothing is running: jobs and items left `running` by a crash or quit become
 * `paused` / `queued` so the user (or the CLI) can resume them. Returns the paused job ids.
 */
export function pauseInterruptedJobs(db: Db): number[] {
  return inTransaction(db, () => {
    cachedStatement(db, `UPDATE job_items SET state = 'queued' WHERE state = 'running'`).run();
    const rows = cachedStatement(
      db,
      `UPDATE jobs SET state = 'paused' WHERE state = 'running' RETURNING id`,
    ).all() as { id: number }[];
    return rows.map((row) => row.id).sort((a, b) => a - b);
  });
}

function requireJob(db: Db, id: number): Job {
  const job = getJob(db, id);
  if (!job) throw new RowNotFoundError('jobs', id);
  return job;
}

function toJob(db: Db, row: JobRow): Job {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    spec: JSON.parse(row.spec_json) as unknown,
    state: row.state,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    totals: JSON.parse(row.totals_json) as Record<string, number>,
    error: row.error,
    items: countItems(db, row.id),
  };
}

function countItems(db: Db, jobId: number): JobItemCounts {
  const rows = cachedStatement(
    db,
    `SELECT state, count(*) AS n, sum(bytes_done) AS done, sum(coalesce(bytes_total, 0)) AS total
       FROM job_items WHERE job_id = ? GROUP BY state`,
  ).all(jobId) as { state: JobItemState; n: number; done: number; total: number }[];
  const byState = Object.fromEntries(JOB_ITEM_STATES.map((state) => [state, 0])) as Record<
    JobItemState,
    number
  >;
  let total = 0;
  let bytesDone = 0;
  let bytesTotal = 0;
  for (const row of rows) {
    byState[row.state] = row.n;
    total += row.n;
    bytesDone += row.done;
    bytesTotal += row.total;
  }
  return { total, byState, bytesDone, bytesTotal };
}
