import type { Db } from '../db/sqlite.ts';
import { toRecording } from '../db/recording-row.ts';
import type { Recording, RecordingRow } from '../db/recording-row.ts';
import { buildSearchSql } from './build-search-sql.ts';
import { encodeCursor } from './cursor.ts';
import type { RecordingSearch } from './search-options.ts';

export interface RecordingPage {
  rows: Recording[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** All matches, only when `withTotal` was asked for. */
  total?: number;
  /** Search terms too short to look up (fewer than three characters). */
  ignoredTerms: string[];
}

/** One page of recordings matching a search, in keyset order. */
export function searchRecordings(
  db: Db,
  search: RecordingSearch = {},
  now: Date = new Date(),
): RecordingPage {
  const built = buildSearchSql(search, now);
  const fetched = db.prepare(built.pageSql).all(...built.pageParams) as (RecordingRow & {
    sort_key: string | number;
  })[];
  const page = fetched.slice(0, built.limit);
  const last = page.at(-1);
  const nextCursor =
    fetched.length > built.limit && last
      ? encodeCursor({
          sort: built.sort,
          direction: built.direction,
          value: last.sort_key,
          id: last.id,
        })
      : null;
  const result: RecordingPage = {
    rows: page.map(toRecording),
    nextCursor,
    ignoredTerms: built.ignoredTerms,
  };
  if (search.withTotal) {
    const { total } = db.prepare(built.countSql).get(...built.countParams) as { total: number };
    result.total = total;
  }
  return result;
}
