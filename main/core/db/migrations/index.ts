import type { Migration } from '../migration.ts';
import { accountsMigration } from './001-accounts.ts';
import { recordingsMigration } from './002-recordings.ts';
import { recordingsSearchMigration } from './003-recordings-search.ts';
import { jobsMigration } from './004-jobs.ts';
import { exportsMigration } from './005-exports.ts';
import { auditLogMigration } from './006-audit-log.ts';
import { auditSubjectIndexMigration } from './007-audit-subject-index.ts';
import { recordingsFilterIndexesMigration } from './008-recordings-filter-indexes.ts';
import { checkpointsMigration } from './009-checkpoints.ts';
import { noRecordingMigration } from './010-no-recording.ts';
import { holdsRetentionSchedulesMigration } from './011-holds-retention-schedules.ts';
import { vaultMigration } from './012-vault.ts';
import { exportSelectionMigration } from './013-export-selection.ts';
import { vaultBundlesMigration } from './014-vault-bundles.ts';
import { archiveNamesMigration } from './015-archive-names.ts';
import { recordingsEqualFilterIndexesMigration } from './016-recordings-equal-filter-indexes.ts';
import { recordingsUnarchivedEqualIndexesMigration } from './017-recordings-unarchived-equal-indexes.ts';

/** Append only: never edit or reorder a released migration; add the next number instead. */
export const MIGRATIONS: readonly Migration[] = [
  accountsMigration,
  recordingsMigration,
  recordingsSearchMigration,
  jobsMigration,
  exportsMigration,
  auditLogMigration,
  auditSubjectIndexMigration,
  recordingsFilterIndexesMigration,
  checkpointsMigration,
  noRecordingMigration,
  holdsRetentionSchedulesMigration,
  vaultMigration,
  exportSelectionMigration,
  vaultBundlesMigration,
  archiveNamesMigration,
  recordingsEqualFilterIndexesMigration,
  recordingsUnarchivedEqualIndexesMigration,
];
