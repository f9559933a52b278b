import type { Migration } from '../migration.ts';

/**
 * A recording's audit history (shown beside the player) is read by subject, newest first:
 * without this index that read scans the whole log, which grows with every download.
 */
export const auditSubjectIndexMigration: Migration = {
  version: 7,
  name: 'audit-subject-index',
  up(db) {
    db.exec(`CREATE INDEX audit_log_subject ON audit_log (subject, seq)`);
  },
};
