import type { LibraryQuery } from '../../contract/requests.ts';
import type { RemoteStatus } from '../../providers/types.ts';

/**
 * What a recordings search may ask for: any part of the library's query (the contract's one
 * shape, parsed at the boundary by libraryQuerySchema), a page of it, and two filters only the
 * engine uses. Empty filter arrays mean "no filter" (nothing picked in that filter), not "match
 * nothing". `from` is inclusive; `to` is too when it is a bare date (through that day), else
 * exclusive, so consecutive ranges never overlap. `expiringWithinDays`: now <= expires_at <=
 * now + N days, in any state (with `notArchived` for "at risk"); recordings already past their
 * deadline or with none never match. `tags`: every listed tag must be present
 * (case-insensitive).
 */
export type RecordingSearch = Partial<LibraryQuery> & {
  remoteStatuses?: RemoteStatus[];
  limit?: number;
  cursor?: string | null;
  /** Also count all matches (one extra query; ask for it on the first page only). */
  withTotal?: boolean;
};

export const DEFAULT_PAGE_SIZE = 100;
