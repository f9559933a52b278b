import type { Migration } from '../migration.ts';

/**
 * One row per provider file. Provider metadata (refreshed by discovery) and archive state
 * (owned by the downloader) live side by side; the repository keeps discovery from touching the
 * archive columns. The sort_* generated columns give every sort a non-null key so keyset paging
 * is a plain row-value comparison that an index can serve.
 */
export const recordingsMigration: Migration = {
  version: 2,
  name: 'recordings',
  up(db) {
    db.exec(`
      CREATE TABLE recordings (
        id                 INTEGER PRIMARY KEY,
        account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
        provider           TEXT NOT NULL CHECK (provider IN ('kallglot', 'koreai', 'envoy')),
        remote_id          TEXT NOT NULL,
        session_id         TEXT,
        call_id            TEXT,
        user_id            TEXT,
        channel            TEXT NOT NULL CHECK (channel IN ('mixed', 'agent', 'customer')),
        provider_status    TEXT NOT NULL,
        remote_status      TEXT NOT NULL
                           CHECK (remote_status IN ('ready', 'pending', 'failed', 'gone')),
        format             TEXT,
        content_type       TEXT,
        size               INTEGER,
        duration_sec       REAL,
        sample_rate        INTEGER,
        bit_depth          INTEGER,
        recorded_at        TEXT,
        created_at         TEXT,
        expires_at         TEXT,
        phone_numbers      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(phone_numbers)),
        provider_file_name TEXT,
        raw_json           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(raw_json)),
        local_path         TEXT,
        local_size         INTEGER,
        sha256             TEXT,
        archived_at        TEXT,
        state              TEXT NOT NULL DEFAULT 'discovered'
                           CHECK (state IN ('discovered', 'downloading', 'archived', 'pending',
                                            'failed', 'gone', 'skipped')),
        last_error         TEXT,
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at    TEXT,
        notes              TEXT NOT NULL DEFAULT '',
        tags               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
        discovered_at      TEXT NOT NULL,
        updated_at         TEXT NOT NULL,

        -- Sort keys: unknown recording dates sort as oldest, unknown expiry as latest (so
        -- "expiring soonest" never starts with rows that have no deadline), unknown size and
        -- duration as smallest.
        sort_recorded_at   TEXT GENERATED ALWAYS AS (coalesce(recorded_at, '')) VIRTUAL,
        sort_expires_at    TEXT GENERATED ALWAYS AS (coalesce(expires_at, '9999-12-31T23:59:59.999Z')) VIRTUAL,
        sort_size          INTEGER GENERATED ALWAYS AS (coalesce(size, -1)) VIRTUAL,
        sort_duration      REAL GENERATED ALWAYS AS (coalesce(duration_sec, -1)) VIRTUAL,

        UNIQUE (account_id, remote_id),
        CHECK (state <> 'archived' OR (local_path IS NOT NULL AND sha256 IS NOT NULL))
      ) STRICT;

      -- Browsing: default sort overall and per account.
      CREATE INDEX recordings_recorded ON recordings (sort_recorded_at, id);
      CREATE INDEX recordings_account_recorded ON recordings (account_id, sort_recorded_at, id);
      -- "Expiring soonest", overall and for one state (e.g. everything not archived yet).
      CREATE INDEX recordings_expiry ON recordings (sort_expires_at, id);
      CREATE INDEX recordings_state_expiry ON recordings (state, sort_expires_at, id);
      -- The download queue: one account's rows in a state, soonest deadline first.
      CREATE INDEX recordings_account_state_expiry
        ON recordings (account_id, state, sort_expires_at, id);
      CREATE INDEX recordings_size ON recordings (sort_size, id);
      CREATE INDEX recordings_duration ON recordings (sort_duration, id);
      CREATE INDEX recordings_session ON recordings (session_id) WHERE session_id IS NOT NULL;
    `);
  },
};
