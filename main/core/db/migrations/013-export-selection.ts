import type { Migration } from '../migration.ts';

/**
 * What an export was asked to take, so "Retry with the same settings" can ask again: the
 * recordings it resolved to (ids, in the order given; a query is resolved once, at the start)
 * and whether it went to a folder or a zip. Rows from before this migration have neither: '[]'
 * and NULL, and a retry of one is refused with a reason.
 */
export const exportSelectionMigration: Migration = {
  version: 13,
  name: 'export-selection',
  up(db) {
    db.exec(`
      ALTER TABLE exports ADD COLUMN recording_ids_json TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(recording_ids_json) AND json_type(recording_ids_json) = 'array');
      ALTER TABLE exports ADD COLUMN destination_kind TEXT
        CHECK (destination_kind IS NULL OR destination_kind IN ('folder', 'zip'));
    `);
  },
};
