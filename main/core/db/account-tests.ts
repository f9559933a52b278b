// When each account's connection test last succeeded: read from its `account.tested` audit
// entries (the log already says who tested what when; no column of its own).
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

export function lastSuccessfulTests(db: Db): Map<number, string> {
  const rows = cachedStatement(
    db,
    `SELECT CAST(substr(subject, 9) AS INTEGER) AS id, max(at) AS at FROM audit_log
     WHERE action = 'account.tested' AND json_extract(details_json, '$.ok') = 1
     GROUP BY subject`,
  ).all() as { id: number; at: string }[];
  return new Map(rows.map((row) => [row.id, row.at]));
}
