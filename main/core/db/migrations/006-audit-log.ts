import { GENESIS_HASH } from '../../audit/audit-hash.ts';
import type { Migration } from '../migration.ts';

/**
 * The hash-chained, append-only audit log. Triggers refuse UPDATE and DELETE so no code path
 * can rewrite history by mistake; someone who drops the triggers is caught by verifyAudit.
 * `audit_head` (one row) records the last seq and hash in the same transaction as each append,
 * so deleting the newest rows — which leaves an intact but shorter chain — is detectable too.
 */
export const auditLogMigration: Migration = {
  version: 6,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq          INTEGER PRIMARY KEY,
        at           TEXT NOT NULL,
        actor        TEXT NOT NULL,
        action       TEXT NOT NULL,
        subject      TEXT,
        details_json TEXT NOT NULL DEFAULT '{}',
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_action ON audit_log (action, seq);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;

      CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN
        SELECT RAISE(ABORT, 'audit_head cannot be deleted');
      END;
    `);
    db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)').run(GENESIS_HASH);
  },
};
