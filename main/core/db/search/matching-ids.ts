import type { Db } from '../sqlite.ts';
import type { RecordingSearch } from './search-options.ts';
import { searchRecordings } from './search-recordings.ts';

/** The index ids of every recording a search matches, in its order, a page at a time. */
export function matchingIds(db: Db, search: RecordingSearch): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = searchRecordings(db, { ...search, cursor, limit: 500 });
    ids.push(...page.rows.map((row) => row.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
