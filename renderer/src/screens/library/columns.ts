import type { LibrarySort, RecordingRow } from '../../../../main/core/contract/types.ts';
import {
  daysUntil,
  formatBytes,
  formatShortDateTime,
  formatDaysLeft,
  formatDuration,
} from '../../lib/format.ts';
import { EXPIRING_SOON_DAYS } from '../../state/filter-defaults.ts';
import { PROVIDER_CAPABILITIES } from '../../../../main/core/contract/providers.ts';

export interface Column {
  key: string;
  label: string;
  /** CSS grid track. */
  width: string;
  text: (row: RecordingRow, now: number) => string;
  /** The sorts this header toggles between (first click: first entry). */
  sorts?: LibrarySort[];
  numeric?: boolean;
  /** An id column: shown cut in the middle (whole in the title and to screen readers). */
  id?: (row: RecordingRow) => string;
}

export const COLUMNS: Column[] = [
  {
    key: 'date',
    label: 'Date',
    width: '8rem',
    text: (row) => formatShortDateTime(row.recordedAt),
    sorts: ['recorded_desc', 'recorded_asc'],
  },
  {
    key: 'provider',
    label: 'Provider',
    width: '4.5rem',
    text: (row) => PROVIDER_CAPABILITIES[row.provider].name,
  },
  {
    key: 'account',
    label: 'Account',
    width: 'minmax(4.5rem, 1fr)',
    text: (row) => row.accountName,
  },
  {
    key: 'session',
    label: 'Session / call',
    width: 'minmax(6rem, 1.4fr)',
    text: (row) => row.sessionId ?? row.callId ?? row.remoteId,
    id: (row) => row.sessionId ?? row.callId ?? row.remoteId,
  },
  { key: 'channel', label: 'Channel', width: '4.5rem', text: (row) => row.channel },
  {
    key: 'duration',
    label: 'Duration',
    width: '3.8rem',
    text: (row) => formatDuration(row.durationSec),
    sorts: ['duration_desc'],
    numeric: true,
  },
  { key: 'format', label: 'Format', width: '3.2rem', text: (row) => row.format ?? '—' },
  {
    key: 'size',
    label: 'Size',
    width: '4.5rem',
    text: (row) => formatBytes(row.size),
    sorts: ['size_desc'],
    numeric: true,
  },
  {
    key: 'state',
    label: 'State',
    width: '5.5rem',
    // Disposed of under retention: "skipped" in the index, with a tombstone.
    text: (row) =>
      row.integrityFailed ? 'Integrity failed' : row.disposedAt ? 'disposed' : row.state,
  },
  {
    key: 'expires',
    label: 'Deleted in',
    width: '4.8rem',
    text: (row, now) => formatDaysLeft(daysUntil(row.expiresAt, now)),
    sorts: ['expires_asc'],
    numeric: true,
  },
];

export const GRID_TEMPLATE = COLUMNS.map((column) => column.width).join(' ');

/** Close to deletion by the provider and not safe in the archive yet: worth a highlight. */
export function isExpiringSoon(row: RecordingRow, now: number): boolean {
  const days = daysUntil(row.expiresAt, now);
  return row.state !== 'archived' && days !== null && days >= 0 && days <= EXPIRING_SOON_DAYS;
}

/** The sort a header click picks: the header's next sort, or its first. */
export function nextSort(column: Column, current: LibrarySort): LibrarySort | null {
  if (!column.sorts) return null;
  const index = column.sorts.indexOf(current);
  return column.sorts[(index + 1) % column.sorts.length] ?? null;
}

export function ariaSort(
  column: Column,
  current: LibrarySort,
): 'ascending' | 'descending' | 'none' {
  if (!column.sorts?.includes(current)) return 'none';
  return current.endsWith('_asc') ? 'ascending' : 'descending';
}
