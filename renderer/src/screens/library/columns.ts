import type { LibrarySort, RecordingRow } from '../../../../main/core/contract/types.ts';
import {
  LIBRARY_COLUMN_WIDTH,
  type LibraryColumn,
  type LibraryColumnsLayout,
} from '../../../../main/core/contract/vocabulary.ts';
import {
  daysUntil,
  formatBytes,
  formatDateTime,
  formatDaysLeft,
  formatDuration,
} from '../../lib/format.ts';
import { EXPIRING_SOON_DAYS } from '../../state/filter-defaults.ts';
import { PROVIDER_CAPABILITIES } from '../../../../main/core/contract/providers.ts';

export interface Column {
  key: LibraryColumn;
  label: string;
  /**
   * Its width until the user drags it: wide enough for the label and its sort arrow at 14 px
   * (a header never clips at 1024 px), in rem so it follows the font size.
   */
  rem: number;
  /** Takes a share of the space left over (account, session, tags); the rest stay put. */
  grow?: number;
  text: (row: RecordingRow, now: number) => string;
  /** The sorts this header toggles between (first click: first entry). */
  sorts?: LibrarySort[];
  numeric?: boolean;
  /** An id column: shown cut in the middle (whole in the title and to screen readers). */
  id?: (row: RecordingRow) => string;
}

/** In the order of LIBRARY_COLUMNS (the settings' names for them). */
export const COLUMNS: readonly Column[] = [
  {
    key: 'date',
    label: 'Date',
    rem: 11.8,
    text: (row) => formatDateTime(row.recordedAt),
    sorts: ['recorded_desc', 'recorded_asc'],
  },
  {
    key: 'provider',
    label: 'Provider',
    rem: 5,
    text: (row) => PROVIDER_CAPABILITIES[row.provider].name,
  },
  { key: 'account', label: 'Account', rem: 4.8, grow: 1, text: (row) => row.accountName },
  {
    key: 'session',
    label: 'Session / call',
    rem: 7.6,
    grow: 1.4,
    text: (row) => row.sessionId ?? row.callId ?? row.remoteId,
    id: (row) => row.sessionId ?? row.callId ?? row.remoteId,
  },
  { key: 'tags', label: 'Tags', rem: 3, grow: 0.8, text: (row) => row.tags.join(', ') },
  { key: 'channel', label: 'Channel', rem: 4.9, text: (row) => row.channel },
  {
    key: 'duration',
    label: 'Duration',
    rem: 6,
    text: (row) => formatDuration(row.durationSec),
    sorts: ['duration_desc'],
    numeric: true,
  },
  { key: 'format', label: 'Format', rem: 4.2, text: (row) => row.format ?? '—' },
  {
    key: 'size',
    label: 'Size',
    rem: 4,
    text: (row) => formatBytes(row.size),
    sorts: ['size_desc'],
    numeric: true,
  },
  // The cell is a badge (state-badge.ts); the text is for sorting out what a cell says.
  { key: 'state', label: 'State', rem: 8.8, text: (row) => row.state },
  {
    key: 'expires',
    label: 'Deleted in',
    rem: 6.9,
    text: (row, now) => formatDaysLeft(daysUntil(row.expiresAt, now)),
    sorts: ['expires_asc'],
    numeric: true,
  },
];

/** The columns shown, in order; never none (the last one cannot be hidden). */
export function visibleColumns(layout: LibraryColumnsLayout): Column[] {
  const shown = COLUMNS.filter((column) => !layout.hidden.includes(column.key));
  return shown.length > 0 ? shown : [COLUMNS[0]!];
}

/**
 * The date column's starting width: room for the longest date in the zone shown (its name
 * differs in length: "UTC", "GMT+10", and between summer and winter). `measure` gives a text's
 * width in px at the table's font (a canvas); without one, an estimate in `ch`.
 */
export function dateWidth(zone: string, measure: (text: string) => number | null): string {
  const samples = ['2026-01-31T23:59:00Z', '2026-07-31T23:59:00Z'].map((iso) =>
    formatDateTime(iso, zone),
  );
  const widths = samples.map(measure);
  if (widths.every((px): px is number => px !== null && px > 0)) {
    return `${Math.ceil(Math.max(...widths)) + 2}px`;
  }
  return `${Math.ceil(Math.max(...samples.map((text) => text.length)) * 0.95)}ch`;
}

function startWidth(column: Column, date: string): string {
  return column.key === 'date' ? date : `${column.rem}rem`;
}

/** The row grid's tracks: a dragged width in px, else the default (growing ones share the rest). */
export function gridTemplate(
  columns: readonly Column[],
  layout: LibraryColumnsLayout,
  date: string = `${COLUMNS[0]!.rem}rem`,
): string {
  return columns
    .map((column) => {
      const px = layout.widths[column.key];
      if (px !== undefined) return `${px}px`;
      const start = startWidth(column, date);
      return column.grow ? `minmax(${start}, ${column.grow}fr)` : start;
    })
    .join(' ');
}

/** How wide the table must at least be (the window scrolls sideways below it). */
export function tableMinWidth(
  columns: readonly Column[],
  layout: LibraryColumnsLayout,
  date: string = `${COLUMNS[0]!.rem}rem`,
): string {
  const tracks = columns.map((column) => {
    const px = layout.widths[column.key];
    return px !== undefined ? `${px}px` : startWidth(column, date);
  });
  // Row padding 0.4rem each side, a 0.4rem gap between cells, the border.
  return `calc(${tracks.join(' + ')} + ${columns.length - 1} * 0.4rem + 0.8rem + 2px)`;
}

/** A width a drag or a key press asks for, kept within what the settings accept. */
export function clampWidth(px: number, atLeast: number = LIBRARY_COLUMN_WIDTH.min): number {
  const min = Math.max(LIBRARY_COLUMN_WIDTH.min, Math.ceil(atLeast));
  return Math.round(Math.min(LIBRARY_COLUMN_WIDTH.max, Math.max(min, px)));
}

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
