// getSessions refuses date ranges of 7 days or more, so a longer selection is walked in
// windows, newest first (the order Kore.ai returns sessions in).
import { ProviderError } from './errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Below the documented 7-day limit with room for the server's own rounding. */
export const KOREAI_WINDOW_MS = 6 * DAY_MS;

export interface KoreaiDateWindow {
  dateFrom: string;
  dateTo: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Date-only bounds cover whole days: `from` at 00:00 UTC, `to` until the end of its day. */
function parseBound(value: string, edge: 'start' | 'end'): number {
  const iso = DATE_ONLY.test(value)
    ? `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`
    : value;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new ProviderError({
      provider: 'koreai',
      kind: 'bad_request',
      endpoint: '/api/public/bot/{botId}/getSessions',
      field: edge === 'start' ? 'from' : 'to',
      message: `koreai getSessions: ${edge === 'start' ? 'from' : 'to'} date is not a date`,
    });
  }
  return ms;
}

export function koreaiDateWindows(
  from: string,
  to: string,
  windowMs = KOREAI_WINDOW_MS,
): KoreaiDateWindow[] {
  const start = parseBound(from, 'start');
  let end = parseBound(to, 'end');
  const windows: KoreaiDateWindow[] = [];
  while (end >= start) {
    const windowStart = Math.max(start, end - windowMs + 1);
    windows.push({
      dateFrom: new Date(windowStart).toISOString(),
      dateTo: new Date(end).toISOString(),
    });
    end = windowStart - 1;
  }
  return windows;
}
