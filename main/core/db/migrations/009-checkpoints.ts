import type { Migration } from '../migration.ts';

/**
 * Signed checkpoints (core/custody/checkpoint.ts): each row holds the exact signed bytes, the
 * signature and, once a time-stamping authority answered, its token. The same files are kept
 * in the data directory's checkpoints/ folder; the signing key is never in this database.
 * `tsa_state`: off (no TSA configured), pending (asked and failed: retried later), stamped.
 */
export const checkpointsMigration: Migration = {
  version: 9,
  name: 'checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE checkpoints (
        seq             INTEGER PRIMARY KEY,
        created_at      TEXT NOT NULL,
        reason          TEXT NOT NULL,
        audit_seq       INTEGER NOT NULL,
        audit_hash      TEXT NOT NULL,
        merkle_root     TEXT NOT NULL,
        file_count      INTEGER NOT NULL,
        key_fingerprint TEXT NOT NULL,
        public_key_pem  TEXT NOT NULL,
        body            BLOB NOT NULL,
        signature       BLOB NOT NULL,
        entry_hashes    TEXT NOT NULL,
        file_name       TEXT NOT NULL,
        tsa_state       TEXT NOT NULL DEFAULT 'off'
                        CHECK (tsa_state IN ('off', 'pending', 'stamped')),
        tsa_url         TEXT,
        tsr             BLOB,
        tsa_error       TEXT
      ) STRICT;
      CREATE INDEX checkpoints_tsa_pending ON checkpoints (tsa_state, seq);
    `);
  },
};
