import type { Db } from '../sqlite.ts';
import { toRecording } from '../recording-row.ts';
import type { Recording, RecordingRow } from '../recording-row.ts';
import { buildSearchSql, equalPathOf, searchCandidates, sortBoundSql } from './build-search-sql.ts';
import type {
  AccessPath,
  Candidate,
  SearchSql,
  SortKeyBound,
  TextIds,
} from './build-search-sql.ts';
import { buildFtsQuery } from './fts-query.ts';
import { encodeCursor } from './cursor.ts';
import type { RecordingSearch } from './search-options.ts';

/**
 * Totals are counted up to this many matches; past it the page says "at least this many"
 * (`totalCapped`). Counting a million matches exactly costs more than the page itself.
 */
export const TOTAL_COUNT_CAP = 10_000;

/**
 * A path other than the sort index is taken when walking its range costs at most this many
 * index entries (or an eighth as many table reads). Walking the sort index instead costs about
 * limit × rows ÷ matches entries, which is below this whenever the search matches more than
 * about 1% of a million rows; a range this small is walked and sorted in a few milliseconds.
 */
const PATH_BUDGET = 12_000;

export interface RecordingPage {
  rows: Recording[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /**
   * All matches, only when `withTotal` was asked for: exact up to TOTAL_COUNT_CAP; beyond it,
   * TOTAL_COUNT_CAP with `totalCapped` set ("10,000+").
   */
  total?: number;
  /** Set (true) when there are more than `total` matches. */
  totalCapped?: boolean;
  /** Search terms too short to look up (fewer than three characters). */
  ignoredTerms: string[];
}

interface Measured {
  candidate: Candidate;
  /** Rows in the candidate's range, when fewer than its probe's cap (else null: at least). */
  rows: number | null;
  cost: number;
}

/**
 * Which way to draw the page: the cheapest narrowing path when its range is small enough,
 * otherwise the sort index. Decided by counting each candidate's range, not by the planner's
 * statistics, which are sampled and can be far off at this size. Each probe stops as soon as
 * its path can no longer beat the cheapest found so far, so probing costs little.
 */
function choosePath(
  db: Db,
  search: RecordingSearch,
  now: Date,
  textIds: TextIds,
): { path: AccessPath; cheapest: Measured | null } {
  let cheapest: Measured | null = null;
  for (const candidate of searchCandidates(search, 0, now, textIds)) {
    const bound: number = cheapest?.cost ?? Infinity;
    // A probe reaching its cap means "at least this many": never cheaper than the bound.
    const cap: number = Math.floor(Math.min(PATH_BUDGET * 2, bound) / candidate.weight) + 1;
    const params = [...candidate.probeParams.slice(0, -1), cap];
    const { n } = db.prepare(candidate.probeSql).get(...params) as { n: number };
    const cost = n * candidate.weight;
    if (cost < bound) cheapest = { candidate, rows: n < cap ? n : null, cost };
  }
  const path = cheapest !== null && cheapest.cost <= PATH_BUDGET ? cheapest.candidate.path : 'sort';
  return { path, cheapest };
}

function hasEqualityFilter(search: RecordingSearch): boolean {
  return [search.accountIds, search.providers, search.channels, search.states].some(
    (values) => values !== undefined && values.length > 0,
  );
}

/**
 * A filtered page walks at most this many sort-index entries (a millisecond or two) before it is
 * drawn from the filters index instead: matches can sit far from the start of the sort order
 * however many there are (small recordings of one provider, under size descending).
 */
const SORT_WALK_LIMIT = PATH_BUDGET;

/** Full-text matches beyond this many are matched inside each query instead. */
const TEXT_ID_LIMIT = 2 * PATH_BUDGET;

/**
 * The ids the full-text terms match, looked up once (a JSON array for `json_each`), so the probe,
 * the page and the count do not each evaluate the MATCH; null when there is no text or too many.
 */
function findTextIds(db: Db, search: RecordingSearch): TextIds {
  const { match } = buildFtsQuery(search.text ?? '');
  if (match === null) return null;
  const ids = db
    .prepare('SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH ? LIMIT ?')
    .pluck()
    .all(match, TEXT_ID_LIMIT + 1) as number[];
  return ids.length <= TEXT_ID_LIMIT ? JSON.stringify(ids) : null;
}

/** One page of recordings matching a search, in keyset order. */
export function searchRecordings(
  db: Db,
  search: RecordingSearch = {},
  now: Date = new Date(),
): RecordingPage {
  const textIds = findTextIds(db, search);
  // One range of an equality index in page order: nothing to measure, nothing cheaper.
  const equal = equalPathOf(search, now, textIds);
  const chosen: ReturnType<typeof choosePath> =
    equal !== null ? { path: equal, cheapest: null } : choosePath(db, search, now, textIds);
  const { cheapest } = chosen;
  let path = chosen.path;
  const fetch = (built: SearchSql) =>
    db.prepare(built.pageSql).all(...built.pageParams) as (RecordingRow & {
      sort_key: string | number;
    })[];
  // Under an equality filter, the sort index is walked only so far; if the page is not full by
  // then, the filters index holds the matches as a few ranges, which are read and sorted instead.
  let bound: SortKeyBound | null = null;
  if (path === 'sort' && hasEqualityFilter(search)) {
    const { sql, params } = sortBoundSql(search, SORT_WALK_LIMIT);
    bound = (db.prepare(sql).get(...params) as SortKeyBound | undefined) ?? null;
  }
  let built = buildSearchSql(search, now, path, TOTAL_COUNT_CAP + 1, textIds, bound);
  let fetched = fetch(built);
  if (bound !== null && fetched.length <= built.limit) {
    path = 'filters';
    built = buildSearchSql(search, now, path, TOTAL_COUNT_CAP + 1, textIds);
    fetched = fetch(built);
  }
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
    let counted: number;
    if (cheapest?.candidate.exact && cheapest.rows !== null) {
      // The probe counted exactly this search's matches already.
      counted = cheapest.rows;
    } else {
      // Count along a range known to be small; otherwise over the index of the channel,
      // provider, state and account filters (each combination asked for is a range, and the
      // date and expiry bounds are tested on its entries), which stops at the cap.
      const countPath: AccessPath =
        path !== 'sort'
          ? path
          : cheapest !== null && (cheapest.rows !== null || !hasEqualityFilter(search))
            ? cheapest.candidate.path
            : 'filters';
      const count = buildSearchSql(
        { ...search, cursor: null },
        now,
        countPath,
        TOTAL_COUNT_CAP + 1,
      );
      counted = (db.prepare(count.countSql).get(...count.countParams) as { total: number }).total;
    }
    result.total = Math.min(counted, TOTAL_COUNT_CAP);
    if (counted > TOTAL_COUNT_CAP) result.totalCapped = true;
  }
  return result;
}
