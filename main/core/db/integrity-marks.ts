// Which recordings the last archive verification found altered or missing. No table of its own:
// the answer is the last `verify.run` audit entry's `failedRecordings`, so it is exactly what
// the (hash-chained) log says and a later clean verify clears it.
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

/** The ids of the last verification's failures, as SQL (a subquery usable in a search). */
export const LAST_VERIFY_FAILED_IDS_SQL = `SELECT CAST(value AS INTEGER) FROM json_each(COALESCE(
  (SELECT json_extract(details_json, '$.failedRecordings') FROM audit_log
   WHERE action = 'verify.run' ORDER BY seq DESC LIMIT 1), '[]'))`;

/** Archived recordings by their path in the archive: what a verification's files belong to. */
export function archivedIdsByPath(db: Db): Map<string, number> {
  const rows = cachedStatement(
    db,
    `SELECT id, local_path AS path FROM recordings
     WHERE state = 'archived' AND local_path IS NOT NULL`,
  ).all() as { id: number; path: string }[];
  return new Map(rows.map((row) => [row.path, row.id]));
}

export interface LastVerify {
  at: string;
  checked: number;
  ok: number;
  /** Altered, missing or unreadable files, and sidecar mismatches. */
  problems: number;
  failedRecordings: number[];
}

/** The last archive verification's time and result, or null when none ever ran. */
export function lastVerify(db: Db): LastVerify | null {
  const row = cachedStatement(
    db,
    `SELECT at, details_json AS details FROM audit_log
     WHERE action = 'verify.run' ORDER BY seq DESC LIMIT 1`,
  ).get() as { at: string; details: string } | undefined;
  if (!row) return null;
  const d = JSON.parse(row.details) as Record<string, unknown>;
  const n = (key: string): number => (typeof d[key] === 'number' ? (d[key] as number) : 0);
  const failed = Array.isArray(d.failedRecordings)
    ? d.failedRecordings.filter((v): v is number => typeof v === 'number')
    : [];
  return {
    at: row.at,
    checked: n('checked'),
    ok: n('ok'),
    problems: n('missing') + n('altered') + n('unindexed') + n('sidecarMismatches'),
    failedRecordings: failed,
  };
}

/** Of these recordings, the ones the last verification found altered or missing. */
export function integrityFailedAmong(db: Db, ids: readonly number[]): Set<number> {
  if (ids.length === 0) return new Set();
  const failed = lastVerify(db)?.failedRecordings ?? [];
  const wanted = new Set(ids);
  return new Set(failed.filter((id) => wanted.has(id)));
}
