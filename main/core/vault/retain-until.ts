const DAY_MS = 86_400_000;

/** A finite retention rule (a "forever" rule is null here: nothing to date a lock to). */
export interface FiniteKeep {
  count: number;
  unit: 'days' | 'years';
}

/**
 * How long the vault locks a recording: its local retention rule counted from its date, and
 * never less than the vault's --retain-days from now (a lock cannot lie in the past, and the
 * team's floor holds even for an old recording). Under a "forever" rule the floor applies and
 * the rule keeps the recording locally; a lock can always be extended later, never shortened.
 */
export function retainUntilFor(
  recordedAt: string | null,
  keep: FiniteKeep | null,
  retainDays: number,
  now: Date,
): Date {
  const floor = new Date(now.getTime() + retainDays * DAY_MS);
  const dated = recordedAt === null ? Number.NaN : Date.parse(recordedAt);
  if (!keep || Number.isNaN(dated)) return floor;
  const until = new Date(dated);
  if (keep.unit === 'years') until.setUTCFullYear(until.getUTCFullYear() + keep.count);
  else until.setTime(until.getTime() + keep.count * DAY_MS);
  return until > floor ? until : floor;
}
