// An instant as the production's time zone shows it: ISO 8601 with that zone's offset
// ("2026-03-02T09:15:00-05:00"), so a reviewer reads local time and still has the instant.
const formats = new Map<string, Intl.DateTimeFormat>();

export interface ZonedTime {
  /** 2026-03-02T09:15:00-05:00 */
  iso: string;
  /** 2026-03-02 */
  date: string;
  /** 09:15:00 */
  time: string;
  /** -05:00 (+00:00 for UTC) */
  offset: string;
}

export function zonedTime(instant: Date, timeZone: string): ZonedTime {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  // The zone's offset: the wall clock read as UTC, minus the instant (whole seconds).
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const minutes = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { iso: `${date}T${time}${offset}`, date, time, offset };
}
