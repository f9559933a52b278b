import type { RecordingRow } from '../contract/types.ts';
import { integrityFailedAmong } from '../db/integrity-marks.ts';
import type { Db } from '../db/sqlite.ts';

/** Marks the rows whose file the last verification found altered or missing (one lookup). */
export function withIntegrity<R extends RecordingRow>(db: Db, rows: R[]): R[] {
  const failed = integrityFailedAmong(
    db,
    rows.filter((row) => row.state === 'archived').map((row) => row.id),
  );
  if (failed.size === 0) return rows;
  return rows.map((row) => (failed.has(row.id) ? { ...row, integrityFailed: true } : row));
}
