import type { Migration } from '../migration.ts';

/**
 * Compliance, issue 14 part B:
 * - `holds` (legal matters) and `hold_items` (the recordings each holds). A released matter
 *   keeps its row and its items as history; only unreleased matters protect recordings, and a
 *   live name is unique case-insensitively (a released name may be reused).
 * - `retention_rules`: one global rule (account_id NULL) and at most one per account; keep_count
 *   NULL means forever. The database refuses a second rule for the same scope.
 * - `disposals`: the tombstone of every disposed file (ids, checksum, size, dates, the rule and
 *   who disposed of it). Append-only like the audit log: it is the proof of what was destroyed.
 * - `schedules`: one unattended sync per account, every N hours or daily at HH:MM, with its
 *   rolling window and its last run.
 */
export const holdsRetentionSchedulesMigration: Migration = {
  version: 11,
  name: 'holds-retention-schedules',
  up(db) {
    db.exec(`
      CREATE TABLE holds (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
        reference      TEXT NOT NULL DEFAULT '',
        description    TEXT NOT NULL DEFAULT '',
        created_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        released_at    TEXT,
        released_by    TEXT,
        release_reason TEXT,
        CHECK ((released_at IS NULL) = (release_reason IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX holds_live_name ON holds (name COLLATE NOCASE)
        WHERE released_at IS NULL;

      CREATE TABLE hold_items (
        hold_id      INTEGER NOT NULL REFERENCES holds (id) ON DELETE RESTRICT,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE RESTRICT,
        added_by     TEXT NOT NULL,
        added_at     TEXT NOT NULL,
        PRIMARY KEY (hold_id, recording_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX hold_items_recording ON hold_items (recording_id, hold_id);

      CREATE TABLE retention_rules (
        id          INTEGER PRIMARY KEY,
        account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
        keep_count  INTEGER CHECK (keep_count IS NULL OR keep_count > 0),
        keep_unit   TEXT CHECK (keep_unit IN ('days', 'years')),
        updated_by  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        CHECK ((keep_count IS NULL) = (keep_unit IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX retention_rules_scope ON retention_rules (coalesce(account_id, 0));

      CREATE TABLE disposals (
        id           INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE RESTRICT,
        account_id   INTEGER NOT NULL,
        provider     TEXT NOT NULL,
        remote_id    TEXT NOT NULL,
        local_path   TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        size         INTEGER NOT NULL,
        recorded_at  TEXT,
        disposed_at  TEXT NOT NULL,
        rule         TEXT NOT NULL,
        actor        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX disposals_recording ON disposals (recording_id, id);
      CREATE TRIGGER disposals_no_update BEFORE UPDATE ON disposals BEGIN
        SELECT RAISE(ABORT, 'disposals is append-only');
      END;
      CREATE TRIGGER disposals_no_delete BEFORE DELETE ON disposals BEGIN
        SELECT RAISE(ABORT, 'disposals is append-only');
      END;

      CREATE TABLE schedules (
        account_id   INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        every_hours  INTEGER CHECK (every_hours IS NULL OR every_hours BETWEEN 1 AND 168),
        daily_at     TEXT CHECK (daily_at IS NULL OR daily_at GLOB '[0-2][0-9]:[0-5][0-9]'),
        window_days  INTEGER NOT NULL DEFAULT 7 CHECK (window_days BETWEEN 1 AND 366),
        watch_folder TEXT,
        enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        last_run_at  TEXT,
        last_job_id  INTEGER,
        last_result  TEXT,
        last_error   TEXT,
        updated_at   TEXT NOT NULL,
        CHECK ((every_hours IS NULL) <> (daily_at IS NULL))
      ) STRICT;
    `);
  },
};
