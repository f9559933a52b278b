import type { Migration } from '../migration.ts';

/**
 * Sync jobs and the recordings each covers, so a job interrupted by a quit or crash resumes
 * where it stopped. Item counts are derived from job_items (never stored twice);
 * `totals_json` holds the counters that have no item row (e.g. how many were discovered).
 */
export const jobsMigration: Migration = {
  version: 4,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id          INTEGER PRIMARY KEY,
        account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        spec_json   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec_json)),
        state       TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT,
        totals_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(totals_json)),
        error       TEXT
      ) STRICT;
      CREATE INDEX jobs_state ON jobs (state, id);
      CREATE INDEX jobs_account ON jobs (account_id, id);

      CREATE TABLE job_items (
        job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        state        TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'done', 'pending', 'failed', 'skipped')),
        bytes_done   INTEGER NOT NULL DEFAULT 0,
        bytes_total  INTEGER,
        error        TEXT,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (job_id, recording_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX job_items_recording ON job_items (recording_id);
    `);
  },
};
