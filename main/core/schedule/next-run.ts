// When a schedule runs next. Pure, so a fake clock drives it in tests.

export interface ScheduleTiming {
  everyHours: number | null;
  /** HH:MM on the local clock of the machine that runs the app. */
  dailyAt: string | null;
  enabled: boolean;
  lastRunAt: string | null;
  /** When the schedule was set: the first run of a daily schedule is its next HH:MM after it. */
  updatedAt: string;
}

/**
 * The next run. Every N hours: N hours after the last run, or at once when it never ran (an
 * unattended archive should start getting ahead of the provider's retention now). Daily at
 * HH:MM: the first HH:MM after the last run (or after it was set). A time already past means
 * "due now" (the app was closed at the time); null when disabled.
 */
export function nextRunAt(schedule: ScheduleTiming): Date | null {
  if (!schedule.enabled) return null;
  const last = schedule.lastRunAt === null ? null : new Date(schedule.lastRunAt);
  if (schedule.everyHours !== null) {
    return last === null
      ? new Date(schedule.updatedAt)
      : new Date(last.getTime() + schedule.everyHours * 3_600_000);
  }
  if (schedule.dailyAt !== null)
    return nextDailyAfter(schedule.dailyAt, last ?? new Date(schedule.updatedAt));
  return null;
}

/** The first local HH:MM strictly after `after`. */
export function nextDailyAfter(hhmm: string, after: Date): Date {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  const next = new Date(after.getTime());
  next.setHours(hours, minutes, 0, 0);
  if (next.getTime() <= after.getTime()) next.setDate(next.getDate() + 1);
  return next;
}

/** The rolling window a run syncs: the last `days` days by date, through today. */
export function rollingWindow(days: number, now: Date): { from: string; to: string } {
  const from = new Date(now.getTime() - days * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) };
}
