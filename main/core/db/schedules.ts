import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// Unattended syncs (migration 011): one schedule per account.

export interface ScheduleRow {
  accountId: number;
  everyHours: number | null;
  /** HH:MM, local time of the machine running the app. */
  dailyAt: string | null;
  windowDays: number;
  watchFolder: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  lastJobId: number | null;
  lastResult: string | null;
  lastError: string | null;
  updatedAt: string;
}

interface Row extends Omit<ScheduleRow, 'enabled'> {
  enabled: number;
}

const COLUMNS = `account_id AS accountId, every_hours AS everyHours, daily_at AS dailyAt,
  window_days AS windowDays, watch_folder AS watchFolder, enabled, last_run_at AS lastRunAt,
  last_job_id AS lastJobId, last_result AS lastResult, last_error AS lastError,
  updated_at AS updatedAt`;

const fromRow = (row: Row): ScheduleRow => ({ ...row, enabled: row.enabled === 1 });

export function listSchedules(db: Db): ScheduleRow[] {
  return (
    cachedStatement(db, `SELECT ${COLUMNS} FROM schedules ORDER BY account_id`).all() as Row[]
  ).map(fromRow);
}

export function getSchedule(db: Db, accountId: number): ScheduleRow | null {
  const row = cachedStatement(db, `SELECT ${COLUMNS} FROM schedules WHERE account_id = ?`).get(
    accountId,
  ) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function upsertSchedule(
  db: Db,
  schedule: Pick<
    ScheduleRow,
    'accountId' | 'everyHours' | 'dailyAt' | 'windowDays' | 'watchFolder' | 'enabled'
  >,
  now: Date = new Date(),
): ScheduleRow {
  cachedStatement(
    db,
    `INSERT INTO schedules (account_id, every_hours, daily_at, window_days, watch_folder,
       enabled, updated_at)
     VALUES (@accountId, @everyHours, @dailyAt, @windowDays, @watchFolder, @enabled, @at)
     ON CONFLICT (account_id) DO UPDATE SET every_hours = excluded.every_hours,
       daily_at = excluded.daily_at, window_days = excluded.window_days,
       watch_folder = excluded.watch_folder, enabled = excluded.enabled,
       updated_at = excluded.updated_at`,
  ).run({ ...schedule, enabled: schedule.enabled ? 1 : 0, at: now.toISOString() });
  return getSchedule(db, schedule.accountId)!;
}

export function deleteSchedule(db: Db, accountId: number): boolean {
  return (
    cachedStatement(db, 'DELETE FROM schedules WHERE account_id = ?').run(accountId).changes > 0
  );
}

export function recordScheduleRun(
  db: Db,
  accountId: number,
  run: { at: string; jobId: number | null; result: string | null; error: string | null },
): void {
  cachedStatement(
    db,
    `UPDATE schedules SET last_run_at = @at, last_job_id = @jobId, last_result = @result,
       last_error = @error WHERE account_id = @accountId`,
  ).run({ ...run, accountId });
}

/** Remote ids of an account's recordings still waiting at the provider (pending). */
export function waitingRemoteIds(db: Db, accountId: number): string[] {
  return cachedStatement(
    db,
    `SELECT remote_id FROM recordings WHERE account_id = ? AND state = 'pending' ORDER BY id`,
  )
    .pluck()
    .all(accountId) as string[];
}
