// The sort keys the recordings list walks. Each maps to a generated, never-null column of
// recordings with an index on (column, id), so a page is an index range, not a sort.
import type { LibrarySort } from '../../contract/vocabulary.ts';

export const RECORDING_SORTS = {
  recordedAt: { column: 'sort_recorded_at', kind: 'text' },
  expiresAt: { column: 'sort_expires_at', kind: 'text' },
  size: { column: 'sort_size', kind: 'number' },
  duration: { column: 'sort_duration', kind: 'number' },
} as const;

export type RecordingSortKey = keyof typeof RECORDING_SORTS;
export type SortDirection = 'asc' | 'desc';
export const RECORDING_SORT_KEYS = Object.keys(RECORDING_SORTS) as RecordingSortKey[];

/** Each of the library's sorts (contract/vocabulary.ts) as the key it walks, and which way. */
export const LIBRARY_SORT_ORDER = {
  recorded_desc: { sort: 'recordedAt', direction: 'desc' },
  recorded_asc: { sort: 'recordedAt', direction: 'asc' },
  expires_asc: { sort: 'expiresAt', direction: 'asc' },
  size_desc: { sort: 'size', direction: 'desc' },
  duration_desc: { sort: 'duration', direction: 'desc' },
} as const satisfies Record<LibrarySort, { sort: RecordingSortKey; direction: SortDirection }>;

/** The key and direction a search walks (newest recorded first when it names no sort). */
export function sortOrder(sort: LibrarySort | undefined): {
  sort: RecordingSortKey;
  direction: SortDirection;
} {
  return LIBRARY_SORT_ORDER[sort ?? 'recorded_desc'];
}
