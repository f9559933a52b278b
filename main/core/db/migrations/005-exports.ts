import type { Migration } from '../migration.ts';

/** Batch exports: where they went, with which options, and what came of them. */
export const exportsMigration: Migration = {
  version: 5,
  name: 'exports',
  up(db) {
    db.exec(`
      CREATE TABLE exports (
        id           INTEGER PRIMARY KEY,
        created_at   TEXT NOT NULL,
        finished_at  TEXT,
        destination  TEXT NOT NULL,
        options_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options_json)),
        state        TEXT NOT NULL DEFAULT 'running'
                     CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
        summary_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary_json)),
        error        TEXT
      ) STRICT;
      CREATE INDEX exports_created ON exports (created_at, id);
    `);
  },
};
