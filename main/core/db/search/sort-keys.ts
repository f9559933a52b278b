// The sorts the recordings list offers. Each maps to a generated, never-null column of
// recordings with an index on (column, id), so a page is an index range, not a sort.

export const RECORDING_SORTS = {
  recordedAt: { column: 'sort_recorded_at', defaultDirection: 'desc', kind: 'text' },
  expiresAt: { column: 'sort_expires_at', defaultDirection: 'asc', kind: 'text' },
  size: { column: 'sort_size', defaultDirection: 'desc', kind: 'number' },
  duration: { column: 'sort_duration', defaultDirection: 'desc', kind: 'number' },
} as const;

export type RecordingSortKey = keyof typeof RECORDING_SORTS;
export type SortDirection = 'asc' | 'desc';
export const RECORDING_SORT_KEYS = Object.keys(RECORDING_SORTS) as RecordingSortKey[];
