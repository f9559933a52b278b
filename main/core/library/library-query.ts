import type { LibraryQuery, LibrarySort } from '../contract/types.ts';
import type { RecordingSearch } from '../db/search/search-options.ts';

const SORTS: Record<LibrarySort, Pick<RecordingSearch, 'sort' | 'direction'>> = {
  recorded_desc: { sort: 'recordedAt', direction: 'desc' },
  recorded_asc: { sort: 'recordedAt', direction: 'asc' },
  expires_asc: { sort: 'expiresAt', direction: 'asc' },
  size_desc: { sort: 'size', direction: 'desc' },
  duration_desc: { sort: 'duration', direction: 'desc' },
};

/** The library's query as the index's search options (the `to` date is inclusive for users). */
export function toRecordingSearch(query: LibraryQuery): RecordingSearch {
  return {
    text: query.text,
    accountIds: query.accountIds,
    providers: query.providers,
    channels: query.channels,
    states: query.states,
    ...(query.notArchived ? { archived: false } : {}),
    ...(query.from ? { recordedFrom: query.from } : {}),
    ...(query.to ? { recordedTo: endOfDay(query.to) } : {}),
    ...(query.expiringWithinDays !== null ? { expiringWithinDays: query.expiringWithinDays } : {}),
    ...SORTS[query.sort],
  };
}

/** A bare date means "through that day": the exclusive bound is the next midnight (UTC). */
function endOfDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const next = new Date(`${value}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}
