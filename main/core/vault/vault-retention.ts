import { effectiveRule, keepOf } from '../compliance/retention-rules.ts';
import { isHeld } from '../db/holds.ts';
import { getRecording } from '../db/recordings.ts';
import { listRetentionRules } from '../db/retention.ts';
import type { Db } from '../db/sqlite.ts';
import type { FiniteKeep } from './retain-until.ts';

/** What the vault asks of the compliance code: holds and retention rules (issue 14). */
export function vaultRetention(db: Db): {
  isHeld: (recordingId: number) => boolean;
  retentionOf: (recordingId: number) => { recordedAt: string | null; keep: FiniteKeep | null };
} {
  return {
    isHeld: (recordingId) => isHeld(db, recordingId),
    retentionOf: (recordingId) => {
      const recording = getRecording(db, recordingId);
      if (!recording) return { recordedAt: null, keep: null };
      const rule = effectiveRule(listRetentionRules(db), recording.accountId);
      const keep = rule ? keepOf(rule) : null;
      return {
        recordedAt: recording.recordedAt ?? recording.createdAt,
        keep: keep && !keep.forever ? { count: keep.count, unit: keep.unit } : null,
      };
    },
  };
}
