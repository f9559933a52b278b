import type { KeepUnit } from '../contract/vocabulary.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// Retention rules (migration 011): one global (accountId null), at most one per account.

export interface RetentionRuleRow {
  id: number;
  accountId: number | null;
  /** null: keep forever. */
  keepCount: number | null;
  keepUnit: KeepUnit | null;
  updatedBy: string;
  updatedAt: string;
}

const COLUMNS = `id, account_id AS accountId, keep_count AS keepCount, keep_unit AS keepUnit,
  updated_by AS updatedBy, updated_at AS updatedAt`;

export function listRetentionRules(db: Db): RetentionRuleRow[] {
  return cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM retention_rules ORDER BY account_id IS NOT NULL, account_id`,
  ).all() as RetentionRuleRow[];
}

/** Sets the rule of one scope (replacing the one it had). */
export function upsertRetentionRule(
  db: Db,
  rule: { accountId: number | null; keepCount: number | null; keepUnit: KeepUnit | null },
  updatedBy: string,
  now: Date = new Date(),
): RetentionRuleRow {
  cachedStatement(
    db,
    `INSERT INTO retention_rules (account_id, keep_count, keep_unit, updated_by, updated_at)
     VALUES (@accountId, @keepCount, @keepUnit, @updatedBy, @at)
     ON CONFLICT (coalesce(account_id, 0)) DO UPDATE SET keep_count = excluded.keep_count,
       keep_unit = excluded.keep_unit, updated_by = excluded.updated_by,
       updated_at = excluded.updated_at`,
  ).run({ ...rule, updatedBy, at: now.toISOString() });
  return listRetentionRules(db).find((row) => row.accountId === rule.accountId)!;
}

export interface DisposalCandidateRow {
  id: number;
  accountId: number;
  provider: string;
  remoteId: string;
  localPath: string;
  sha256: string;
  size: number;
  recordedAt: string;
  held: number;
}

/**
 * Archived recordings of one account recorded before `cutoff` (ISO), oldest first, each
 * with whether a live legal hold protects it. Undated recordings are never candidates: no rule
 * can say when their retention ends.
 */
export function archivedRecordedBefore(
  db: Db,
  accountId: number,
  cutoff: string,
): DisposalCandidateRow[] {
  return cachedStatement(
    db,
    `SELECT r.id, r.account_id AS accountId, r.provider, r.remote_id AS remoteId,
       r.local_path AS localPath, r.sha256, r.local_size AS size, r.recorded_at AS recordedAt,
       EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
               WHERE hi.recording_id = r.id AND h.released_at IS NULL) AS held
     FROM recordings r
     WHERE r.account_id = ? AND r.state = 'archived' AND r.local_path IS NOT NULL
       AND r.recorded_at IS NOT NULL AND r.recorded_at < ?
     ORDER BY r.recorded_at, r.id`,
  ).all(accountId, cutoff) as DisposalCandidateRow[];
}
