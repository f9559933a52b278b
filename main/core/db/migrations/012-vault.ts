import type { Migration } from '../migration.ts';

/**
 * The team vault (issue 17). `vault_target`: at most one per data directory (its keys are
 * references, env:VAR or enc:…, never the keys). `vault_items`: the durable upload queue, one
 * row per object the vault must hold (a recording's media and sidecar, each checkpoint file);
 * `vaulted` only after a HEAD showed the store holds the object with this SHA-256 and size.
 * Rows are keyed by what they are, so a resumed run finds them again and never doubles one.
 */
export const vaultMigration: Migration = {
  version: 12,
  name: 'vault',
  up(db) {
    db.exec(`
      CREATE TABLE vault_target (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        kind            TEXT NOT NULL CHECK (kind IN ('s3')),
        endpoint        TEXT NOT NULL,
        bucket          TEXT NOT NULL,
        region          TEXT NOT NULL,
        prefix          TEXT NOT NULL,
        access_key_ref  TEXT NOT NULL,
        secret_key_ref  TEXT NOT NULL,
        mode            TEXT NOT NULL CHECK (mode IN ('compliance', 'governance')),
        retain_days     INTEGER NOT NULL CHECK (retain_days >= 1),
        attached        INTEGER NOT NULL DEFAULT 0 CHECK (attached IN (0, 1)),
        added_at        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE vault_items (
        item           TEXT PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('media', 'sidecar', 'checkpoint')),
        recording_id   INTEGER REFERENCES recordings (id) ON DELETE SET NULL,
        local_path     TEXT NOT NULL,
        object_key     TEXT NOT NULL UNIQUE,
        sha256         TEXT NOT NULL,
        size           INTEGER NOT NULL,
        state          TEXT NOT NULL DEFAULT 'queued'
                       CHECK (state IN ('queued', 'vaulted', 'failed')),
        version_id     TEXT,
        lock_mode      TEXT,
        retain_until   TEXT,
        legal_hold     INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
        attempts       INTEGER NOT NULL DEFAULT 0,
        last_error     TEXT,
        updated_at     TEXT NOT NULL,
        CHECK (state <> 'vaulted' OR retain_until IS NOT NULL)
      ) STRICT;
      CREATE INDEX vault_items_state ON vault_items (state, item);
      CREATE INDEX vault_items_recording ON vault_items (recording_id);
    `);
  },
};
