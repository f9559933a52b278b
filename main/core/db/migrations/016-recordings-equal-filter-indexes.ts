import type { Migration } from '../migration.ts';

// One index per sort key that leads with the three low-cardinality filters the library sets
// most (channel, provider, state), then the sort key and id: a search naming one channel, one
// provider and one state (and perhaps a range of the sort key itself) is one range of it, in
// page order. Before this a page and its total walked every match of the three filters in
// recordings_filters (about 95,000 entries at a million rows) and sorted them (bench/NOTES.md).
const SORT_COLUMNS = {
  recorded: 'sort_recorded_at',
  expiry: 'sort_expires_at',
  size: 'sort_size',
  duration: 'sort_duration',
} as const;

export const recordingsEqualFilterIndexesMigration: Migration = {
  version: 16,
  name: 'recordings-equal-filter-indexes',
  up(db) {
    db.exec(
      Object.entries(SORT_COLUMNS)
        .map(
          ([name, column]) =>
            `CREATE INDEX recordings_equal_${name} ON recordings (channel, provider, state, ${column}, id);`,
        )
        .join('\n'),
    );
  },
};
