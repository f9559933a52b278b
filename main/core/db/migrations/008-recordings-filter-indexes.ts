import type { Migration } from '../migration.ts';

// The library filters by account, provider, channel, state, recording date and expiry, in any
// combination, under any of four sorts. One index per sort key leads with (sort key, id), so a
// page is an index walk in order, and carries every filter column and the other sort keys after
// the id (which is unique, so they do not change the order): filters are tested on the index
// entry and only matching rows are read from the table, and the same index can serve as a
// date-range or expiry-range filter whose matches are then sorted without touching the table.
const FILTER_COLUMNS = ['account_id', 'provider', 'channel', 'state'];
const SORT_COLUMNS = ['sort_recorded_at', 'sort_expires_at', 'sort_size', 'sort_duration'];

function wideIndex(name: string, sortColumn: string): string {
  const rest = SORT_COLUMNS.filter((column) => column !== sortColumn);
  return `CREATE INDEX ${name} ON recordings (${[sortColumn, 'id', ...FILTER_COLUMNS, ...rest].join(', ')});`;
}

/**
 * Indexes for filtered library pages at a million rows. The four (sort key, id) indexes of 002
 * are replaced by wider ones with the same leading columns (anything that used them still can).
 * Rows not archived yet are a small minority that people filter for ("failed", "pending", "not
 * archived"): a partial index over only those rows finds them without walking the archived ones.
 * An index over the low-cardinality filters (and the sort keys) lets a total be counted over a
 * range, and a page be drawn from it when the sort index would walk far before its first match.
 */
export const recordingsFilterIndexesMigration: Migration = {
  version: 8,
  name: 'recordings-filter-indexes',
  up(db) {
    db.exec(`
      DROP INDEX recordings_recorded;
      DROP INDEX recordings_expiry;
      DROP INDEX recordings_size;
      DROP INDEX recordings_duration;
      ${wideIndex('recordings_recorded_filter', 'sort_recorded_at')}
      ${wideIndex('recordings_expiry_filter', 'sort_expires_at')}
      ${wideIndex('recordings_size_filter', 'sort_size')}
      ${wideIndex('recordings_duration_filter', 'sort_duration')}
      CREATE INDEX recordings_unarchived
        ON recordings (state, channel, provider, account_id, ${SORT_COLUMNS.join(', ')}, id)
        WHERE state <> 'archived';
      -- Counting matches of the low-cardinality filters: every value combination is a range.
      -- With every sort key too, a page can be drawn from such a range and sorted without
      -- reading the table (when the sort index holds its matches only far from its start).
      CREATE INDEX recordings_filters
        ON recordings (channel, provider, state, account_id, ${SORT_COLUMNS.join(', ')});
    `);
  },
};
