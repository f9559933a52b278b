import type { Migration } from '../migration.ts';

// The rows not archived yet (a minority) with one channel and one provider, per sort key, in
// page order: "expiring within 7 days and not archived" for one provider's agent channel is one
// range here. Before this it was a scan of recordings_unarchived (it leads with state, which
// `state <> 'archived'` cannot seek), a walk of the sort index and a read of every match of
// recordings_filters (bench/NOTES.md). The state is last so a state filter is tested on the entry.
const SORT_COLUMNS = {
  recorded: 'sort_recorded_at',
  expiry: 'sort_expires_at',
  size: 'sort_size',
  duration: 'sort_duration',
} as const;

export const recordingsUnarchivedEqualIndexesMigration: Migration = {
  version: 17,
  name: 'recordings-unarchived-equal-indexes',
  up(db) {
    db.exec(
      Object.entries(SORT_COLUMNS)
        .map(
          ([name, column]) =>
            `CREATE INDEX recordings_unarchived_equal_${name}
               ON recordings (channel, provider, ${column}, id, state) WHERE state <> 'archived';`,
        )
        .join('\n'),
    );
  },
};
