// Relative windows for unattended runs: `--since 2d` means "from two days before now", so a
// crontab line or a schedule syncs (or reports) a rolling window without editing dates.
// One parser for the CLI's sync and report and for schedules. Plain TS (no node:*), so the
// renderer can import it too.

/** The units a relative window takes: minutes, hours, days, weeks. */
export const RELATIVE_UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type RelativeUnit = keyof typeof RELATIVE_UNITS;

const RELATIVE = /^(\d{1,5})([mhdw])$/;
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** How the help texts describe what a --since/--until value may be. */
export const WHEN_HELP =
  'a date (2026-01-31), a date and time, or a window back from now (30m, 12h, 2d, 1w)';

/** `2d` → 172 800 000; null when `value` is not a relative window. */
export function relativeMs(value: string): number | null {
  const match = RELATIVE.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * RELATIVE_UNITS[match[2] as RelativeUnit];
}

/**
 * The moment `value` names: a relative window counted back from `now` (as an ISO instant), or
 * an absolute date / date-time returned as given. Null when it is neither (the caller refuses).
 */
export function resolveWhen(value: string, now: Date = new Date()): string | null {
  const trimmed = value.trim();
  const ms = relativeMs(trimmed);
  if (ms !== null) return new Date(now.getTime() - ms).toISOString();
  if (ABSOLUTE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return trimmed;
  return null;
}
