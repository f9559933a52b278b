import type { Db } from '../sqlite.ts';
import { cachedStatement } from '../statement-cache.ts';

/**
 * Every tag in the library with how many recordings carry it, most used first. Spellings that
 * differ only in case count as one tag (search matches them alike), shown as first met.
 */
export function listTags(db: Db): { tag: string; count: number }[] {
  return cachedStatement(
    db,
    `SELECT min(t.value) AS tag, count(DISTINCT r.id) AS count
       FROM recordings r, json_each(r.tags) t
      WHERE r.tags <> '[]'
      GROUP BY lower(t.value)
      ORDER BY count DESC, lower(t.value) ASC`,
  ).all() as { tag: string; count: number }[];
}
