import type { LibraryQuery } from '../../../main/core/contract/types.ts';

export const EXPIRING_SOON_DAYS = 7;

export function defaultQuery(): LibraryQuery {
  return {
    text: '',
    accountIds: [],
    providers: [],
    channels: [],
    states: [],
    from: null,
    to: null,
    expiringWithinDays: null,
    notArchived: false,
    sort: 'recorded_desc',
  };
}

/** Whether any filter besides the sort is set (to offer "clear filters" and word empty states). */
export function hasFilters(query: LibraryQuery): boolean {
  const base = defaultQuery();
  return (
    query.text.trim() !== '' ||
    query.accountIds.length > 0 ||
    query.providers.length > 0 ||
    query.channels.length > 0 ||
    query.states.length > 0 ||
    query.from !== base.from ||
    query.to !== base.to ||
    query.expiringWithinDays !== null ||
    query.notArchived
  );
}
