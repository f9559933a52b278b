// The library's query with nothing picked, and whether the user has picked anything.
import { libraryQuerySchema } from '../../../main/core/contract/requests.ts';
import type { LibraryQuery } from '../../../main/core/contract/types.ts';

export const EXPIRING_SOON_DAYS = 7;

/** Every filter empty, the default sort: the contract's own defaults. */
export function defaultQuery(): LibraryQuery {
  return libraryQuerySchema.parse({});
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
    query.notArchived ||
    query.integrityFailed ||
    query.onHold ||
    query.holdIds.length > 0 ||
    query.tags.length > 0
  );
}
