// Display formatting for numbers, sizes, times and dates: pure, but for the zone dates are shown in.
import { displayTimeZone } from './time-zone.svelte.ts';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** An ETA in words: "about 3 min", "12 s". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * The app's one date format, with the zone it is in: "2026-03-01 14:05 UTC", "2026-03-01
 * 23:05 GMT+9". Year first and a 24-hour clock read the same in every locale (a compliance
 * record must not be read as 3 January in one office and 1 March in another). The zone is the
 * user's choice in Settings, else the system's (lib/time-zone.svelte.ts).
 */
export function formatDateTime(
  iso: string | null | undefined,
  zone: string = displayTimeZone(),
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatterFor(zone).formatToParts(date)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute} ${part.timeZoneName}`;
}

/** For table cells: the same format (one format everywhere). */
export const formatShortDateTime = formatDateTime;

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A day, for dates that matter by the day (a retain-until date): "Dec 1, 2032". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `iso` (rounded up; negative once past), or null when unknown. */
export function daysUntil(iso: string | null | undefined, now = Date.now()): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.ceil((at - now) / DAY_MS);
}

export function formatDaysLeft(days: number | null): string {
  if (days === null) return '—';
  if (days < 0) return 'deleted';
  if (days === 0) return 'today';
  return days === 1 ? '1 day' : `${days} days`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/**
 * An id cut in the middle to at most `max` characters, keeping its start and end, which tell
 * ids apart ("sess_de…a91f"): a cut at the end hides the part that differs between rows.
 * Ids that fit come back whole; show the full id beside it (title, screen-reader text).
 */
/**
 * A shortened id in two parts for a cell that may be narrower still: the start (which the
 * page may clip further with its own ellipsis) and the end that must stay in sight.
 */
export function headAndTail(shortened: string, tailChars = 5): [string, string] {
  const cut = shortened.indexOf('…');
  if (cut !== -1) return [shortened.slice(0, cut + 1), shortened.slice(cut + 1)];
  const chars = [...shortened];
  const tail = Math.min(tailChars, Math.floor(chars.length / 2));
  return [chars.slice(0, chars.length - tail).join(''), chars.slice(chars.length - tail).join('')];
}

export function shortenMiddle(id: string, max: number, tailShare = 0.4): string {
  const chars = [...id]; // by code point, so an emoji or accent is never split in two
  const limit = Math.max(3, Math.floor(max));
  if (chars.length <= limit) return id;
  const kept = limit - 1; // one character for the ellipsis
  // By default a little more of the start: it names the kind ("sess_", "call_"); the end tells
  // rows apart. A path gives the end more (tailShare): its last folders are what it means.
  const tail = Math.max(1, Math.floor(kept * tailShare));
  const head = kept - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
