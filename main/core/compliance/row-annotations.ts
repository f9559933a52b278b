import type { RecordingRow } from '../contract/types.ts';
import { disposedAtOf } from '../db/disposals.ts';
import { liveHoldNames } from '../db/holds.ts';
import type { Db } from '../db/sqlite.ts';

/**
 * A library page's rows with their live holds (the badge) and disposal date: two lookups. The
 * fields are set only where there is something to say, so rows of an archive without holds or
 * disposals read as before.
 */
export function withCompliance<R extends RecordingRow>(db: Db, rows: R[]): R[] {
  const ids = rows.map((row) => row.id);
  const holds = liveHoldNames(db, ids);
  const disposed = disposedAtOf(db, ids);
  return rows.map((row) => {
    const names = holds.get(row.id);
    const at = disposed.get(row.id);
    return { ...row, ...(names ? { holds: names } : {}), ...(at ? { disposedAt: at } : {}) };
  });
}
