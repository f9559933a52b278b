import { LAST_VERIFY_FAILED_IDS_SQL } from '../integrity-marks.ts';
import { recordingColumns } from '../recording-row.ts';
import { addDays, toIsoOrNull } from '../timestamps.ts';
import { decodeCursor, InvalidCursorError } from './cursor.ts';
import { buildFtsQuery } from './fts-query.ts';
import type { RecordingSearch } from './search-options.ts';
import { DEFAULT_PAGE_SIZE } from './search-options.ts';
import { CHANNEL_NAMES, PROVIDER_NAMES, RECORDING_STATES } from '../../contract/vocabulary.ts';
import { RECORDING_SORTS, sortOrder } from './sort-keys.ts';
import type { RecordingSortKey, SortDirection } from './sort-keys.ts';

type Param = string | number;

/**
 * The full-text matches' ids, found beforehand (a JSON array), or null to match in the query.
 * Looking them up once and passing them on saves evaluating the MATCH once per query.
 */
export type TextIds = string | null;

/**
 * How a page is drawn (see migration 008 for the indexes):
 * - `sort`: walk the sort key's index in order, testing the filters on each index entry, until
 *   the page is full. Cheap when the filters match a fair share of the rows.
 * - `recorded`, `expiry`: the rows in the date or expiry range, from the index on that column,
 *   filtered and sorted without reading the table.
 * - `unarchived`: the rows not archived yet (a minority), from their partial index, likewise.
 * - `account`: one or a few accounts' rows, from the per-account index.
 * - `text`: the full-text matches, each read from the table.
 * - `filters` (for counting only): every combination of channel, provider and state asked for
 *   is a range of one narrow index, so a total stops after the cap instead of walking far.
 * - `equal`: one channel, one provider and one state (and at most a range of the sort key): the
 *   page and its total are one range of that sort key's equality index (migration 016), in page
 *   order. Taken whenever it fits (`equalPathOf`): nothing else is cheaper.
 * - `equalUnarchived`: likewise for one channel and one provider among the rows not archived
 *   (any states of those), from a partial index per sort key (migration 017).
 * The other paths are cheap when their range holds few rows; `searchRecordings` measures that.
 */
export type AccessPath =
  | 'sort'
  | 'recorded'
  | 'expiry'
  | 'unarchived'
  | 'account'
  | 'text'
  | 'filters'
  | 'equal'
  | 'equalUnarchived';

/** Index of each sort key: (sort key, id) first, then every filter column (migration 008). */
const SORT_INDEX: Record<RecordingSortKey, string> = {
  recordedAt: 'recordings_recorded_filter',
  expiresAt: 'recordings_expiry_filter',
  size: 'recordings_size_filter',
  duration: 'recordings_duration_filter',
};

/** (channel, provider, state, sort key, id), one per sort key (migration 016). */
const EQUAL_INDEX: Record<RecordingSortKey, string> = {
  recordedAt: 'recordings_equal_recorded',
  expiresAt: 'recordings_equal_expiry',
  size: 'recordings_equal_size',
  duration: 'recordings_equal_duration',
};

/** (channel, provider, sort key, id, state) over the rows not archived (migration 017). */
const UNARCHIVED_EQUAL_INDEX: Record<RecordingSortKey, string> = {
  recordedAt: 'recordings_unarchived_equal_recorded',
  expiresAt: 'recordings_unarchived_equal_expiry',
  size: 'recordings_unarchived_equal_size',
  duration: 'recordings_unarchived_equal_duration',
};

const PATH_INDEX: Record<
  Exclude<AccessPath, 'sort' | 'text' | 'equal' | 'equalUnarchived'>,
  string
> = {
  recorded: SORT_INDEX.recordedAt,
  expiry: SORT_INDEX.expiresAt,
  unarchived: 'recordings_unarchived',
  account: 'recordings_account_recorded',
  filters: 'recordings_filters',
};

/** One way in other than the sort index, and how to measure the rows it would walk. */
export interface Candidate {
  /** `sort` here: the sort index's own range (a date range under the date sort). */
  path: Exclude<AccessPath, 'filters' | 'equal' | 'equalUnarchived'>;
  /** `SELECT count(*) AS n` of the rows the path walks, capped at its last parameter. */
  probeSql: string;
  probeParams: Param[];
  /** Cost of one row walked, relative to one index entry (table reads cost more). */
  weight: number;
  /** The probe's condition is the whole search: its count is the total. */
  exact: boolean;
}

export interface SearchSql {
  /** One page (limit + 1 rows, to know whether another page follows), with `sort_key`. */
  pageSql: string;
  pageParams: Param[];
  /** The same filters, without the cursor, counted up to `countLimit` rows. */
  countSql: string;
  countParams: Param[];
  path: AccessPath;
  sort: RecordingSortKey;
  direction: SortDirection;
  limit: number;
  ignoredTerms: string[];
}

interface Term {
  sql: string;
  params: Param[];
  /** Which path's index can narrow the walk with this term. */
  narrows: 'recorded' | 'expiry' | 'unarchived' | 'account' | 'text' | null;
}

interface Analysed {
  terms: Term[];
  /** Terms equivalent to no filter, naming every value of a column, so an index can seek. */
  everyValue: Term[];
  sort: RecordingSortKey;
  column: string;
  direction: SortDirection;
  limit: number;
  ignoredTerms: string[];
  unarchived: boolean;
  fts: string | null;
}

/**
 * The search's filters as SQL terms over `recordings r`. Every user value is a bound parameter;
 * only fixed column names and operators are spliced into the SQL. Date and expiry bounds are
 * written on the sort columns (equivalent: timestamps are ISO strings or null, and null sorts
 * as '' or as the far-future sentinel, outside any bound) so their indexes can serve them.
 */
function analyse(search: RecordingSearch, now: Date, textIds: TextIds): Analysed {
  const { sort, direction } = sortOrder(search.sort);
  const { column } = RECORDING_SORTS[sort];
  const limit = search.limit ?? DEFAULT_PAGE_SIZE;

  const terms: Term[] = [];
  const inList = (
    sqlColumn: string,
    values: readonly Param[] | undefined,
    narrows: Term['narrows'] = null,
  ) => {
    if (!values || values.length === 0) return;
    // `=` rather than a one-element IN: the planner then also uses the index for ORDER BY.
    const sql =
      values.length === 1
        ? `${sqlColumn} = ?`
        : `${sqlColumn} IN (${values.map(() => '?').join(', ')})`;
    terms.push({ sql, params: [...values], narrows });
  };

  inList('r.account_id', search.accountIds, 'account');
  inList('r.provider', search.providers);
  inList('r.channel', search.channels);
  inList('r.remote_status', search.remoteStatuses);
  inList('r.state', search.states);
  // Literally the partial index's condition, so the planner may use that index.
  const unarchivedSql = `r.state <> 'archived'`;
  const onlyUnarchivedStates =
    search.states !== undefined &&
    search.states.length > 0 &&
    search.states.every((state) => state !== 'archived');
  const unarchived = search.notArchived === true || onlyUnarchivedStates;
  if (unarchived) terms.push({ sql: unarchivedSql, params: [], narrows: 'unarchived' });
  for (const tag of search.tags ?? []) {
    terms.push({
      sql: 'EXISTS (SELECT 1 FROM json_each(r.tags) WHERE lower(value) = lower(?))',
      params: [tag.trim()],
      narrows: null,
    });
  }
  // Altered or missing at the last verification (its audit entry lists them).
  if (search.integrityFailed) {
    terms.push({ sql: `r.id IN (${LAST_VERIFY_FAILED_IDS_SQL})`, params: [], narrows: null });
  }
  // Legal holds (migration 011): on any live matter, or on one of the matters named.
  const holdIds = search.holdIds ?? [];
  if (search.onHold || holdIds.length > 0) {
    const named = holdIds.length > 0 ? ` AND h.id IN (${holdIds.map(() => '?').join(', ')})` : '';
    terms.push({
      sql: `r.id IN (SELECT hi.recording_id FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
             WHERE h.released_at IS NULL${named})`,
      params: [...holdIds],
      narrows: null,
    });
  }
  if (search.from) {
    terms.push({
      sql: 'r.sort_recorded_at >= ?',
      params: [requireIso(search.from)],
      narrows: 'recorded',
    });
  }
  if (search.to) {
    // '' is the sort key of an unknown date, which no date bound matches.
    const known = search.from ? '' : ` AND r.sort_recorded_at > ''`;
    terms.push({
      sql: `r.sort_recorded_at < ?${known}`,
      params: [requireIso(endOfDay(search.to))],
      narrows: 'recorded',
    });
  }
  if (search.expiringWithinDays !== undefined && search.expiringWithinDays !== null) {
    // The upper bound (at most 100 years ahead) is below the sentinel of an unknown expiry.
    terms.push({
      sql: 'r.sort_expires_at >= ? AND r.sort_expires_at <= ?',
      params: [now.toISOString(), addDays(now, search.expiringWithinDays).toISOString()],
      narrows: 'expiry',
    });
  }
  const everyValue: Term[] = [];
  const every = (column: string, values: readonly string[], given: unknown[] | undefined) => {
    if (given && given.length > 0) return;
    everyValue.push({
      sql: `r.${column} IN (${values.map((v) => `'${v}'`).join(', ')})`,
      params: [],
      narrows: null,
    });
  };
  every('channel', CHANNEL_NAMES, search.channels);
  every('provider', PROVIDER_NAMES, search.providers);
  if (!search.notArchived) every('state', RECORDING_STATES, search.states);
  if (unarchived && !onlyUnarchivedStates) {
    every(
      'state',
      RECORDING_STATES.filter((state) => state !== 'archived'),
      search.states,
    );
  }
  const fts = buildFtsQuery(search.text ?? '');
  if (fts.match !== null) {
    terms.push(
      textIds
        ? { sql: 'r.id IN (SELECT value FROM json_each(?))', params: [textIds], narrows: 'text' }
        : {
            sql: 'r.id IN (SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH ?)',
            params: [fts.match],
            narrows: 'text',
          },
    );
  }
  return {
    terms,
    everyValue,
    sort,
    column,
    direction,
    limit,
    ignoredTerms: fts.ignoredTerms,
    unarchived,
    fts: fts.match,
  };
}

/**
 * The ways into this search other than walking the sort index, each with a query counting the
 * rows it would walk (capped at `cap`). A path whose range is the sort index's own (a date range
 * under the date sort) is the `sort` path already and is left out.
 */
export function searchCandidates(
  search: RecordingSearch,
  cap: number,
  now: Date = new Date(),
  textIds: TextIds = null,
): Candidate[] {
  const a = analyse(search, now, textIds);
  const candidates: Candidate[] = [];
  const probe = (index: string, terms: Term[]) => {
    const where = terms.length > 0 ? `WHERE ${terms.map((t) => t.sql).join(' AND ')}` : '';
    return {
      probeSql: `SELECT count(*) AS n FROM (SELECT 1 FROM recordings r INDEXED BY ${index} ${where} LIMIT ?)`,
      probeParams: [...terms.flatMap((t) => t.params), cap],
    };
  };
  const narrowing = (path: Term['narrows']) => a.terms.filter((t) => t.narrows === path);
  const add = (path: Candidate['path'], terms: Term[], weight: number) => {
    if (terms.length === 0) return;
    const index = path === 'text' ? null : path === 'sort' ? SORT_INDEX[a.sort] : PATH_INDEX[path];
    const probed =
      index !== null
        ? probe(index, terms)
        : textIds
          ? {
              probeSql: `SELECT count(*) AS n FROM (SELECT 1 FROM json_each(?) LIMIT ?)`,
              probeParams: [textIds, cap],
            }
          : {
              probeSql: `SELECT count(*) AS n FROM (SELECT 1 FROM recordings_fts WHERE recordings_fts MATCH ? LIMIT ?)`,
              probeParams: [a.fts!, cap],
            };
    candidates.push({ path, ...probed, weight, exact: terms.length === a.terms.length });
  };
  add(a.sort === 'recordedAt' ? 'sort' : 'recorded', narrowing('recorded'), 1);
  add(a.sort === 'expiresAt' ? 'sort' : 'expiry', narrowing('expiry'), 1);
  if (a.unarchived) {
    // The partial index leads with state, channel, provider, account: all narrow its walk.
    const prefix = a.terms.filter(
      (t) =>
        t.narrows === 'unarchived' || /^r\.(state|channel|provider|account_id) (=|IN)/.test(t.sql),
    );
    candidates.push({
      path: 'unarchived',
      ...probe(PATH_INDEX.unarchived, prefix),
      weight: 1,
      exact: false,
    });
  }
  // These two read the table for each row walked (other filters, sort key).
  add('account', narrowing('account'), 8);
  add('text', narrowing('text'), 8);
  return candidates;
}

/**
 * The equality path that serves this search, if one does: `equal` for exactly one channel, one
 * provider and one state; `equalUnarchived` for one channel and one provider among the rows not
 * archived (any states of those). Either way no other filter but a range of the sort key itself,
 * so every term is tested on the index entry: neither the page nor the total reads a row that
 * does not match.
 */
export function equalPathOf(
  search: RecordingSearch,
  now: Date,
  textIds: TextIds,
): 'equal' | 'equalUnarchived' | null {
  const a = analyse(search, now, textIds);
  const equality = (column: string) => a.terms.some((t) => t.sql === `r.${column} = ?`);
  if (!equality('channel') || !equality('provider')) return null;
  const onSortKey = (t: Term) => t.narrows !== null && t.sql.startsWith(`r.${a.column} `);
  const fits = (states: RegExp) =>
    a.terms.every(
      (t) =>
        /^r\.(channel|provider) = \?$/.test(t.sql) ||
        states.test(t.sql) ||
        t.sql === `r.state <> 'archived'` ||
        onSortKey(t),
    );
  if (equality('state') && fits(/^r\.state = \?$/)) return 'equal';
  if (a.unarchived && fits(/^r\.state (= \?|IN \([?, ]+\))$/)) return 'equalUnarchived';
  return null;
}

/** A sort-index entry: (sort key, id). */
export interface SortKeyBound {
  value: string | number;
  id: number;
}

/**
 * The sort-index entry `steps` entries after the search's start (its cursor, or the start of the
 * index), whatever the filters, or none when fewer entries follow. Walking there reads the index
 * alone; a `sort` page bounded by it (see `buildSearchSql`) then walks at most that many entries.
 */
export function sortBoundSql(
  search: RecordingSearch,
  steps: number,
): { sql: string; params: Param[] } {
  const { sort, direction } = sortOrder(search.sort);
  const { column } = RECORDING_SORTS[sort];
  const order = direction === 'desc' ? 'DESC' : 'ASC';
  const params: Param[] = [];
  let where = '';
  if (search.cursor) {
    const cursor = decodeCursor(search.cursor);
    if (cursor.sort !== sort || cursor.direction !== direction) throw new InvalidCursorError();
    where = `WHERE (r.${column}, r.id) ${direction === 'desc' ? '<' : '>'} (?, ?)`;
    params.push(cursor.value, cursor.id);
  }
  return {
    sql: `SELECT r.${column} AS value, r.id AS id FROM recordings r INDEXED BY ${SORT_INDEX[sort]}
      ${where} ORDER BY r.${column} ${order}, r.id ${order} LIMIT 1 OFFSET ?`,
    params: [...params, steps],
  };
}

/**
 * Builds the page and count queries of a search drawn through `path`. With `bound` (the `sort`
 * path only), the page stops at that sort-index entry, inclusive: it may then hold fewer rows
 * than the search has, and is complete only when it is full.
 */
export function buildSearchSql(
  search: RecordingSearch,
  now: Date = new Date(),
  path: AccessPath = 'sort',
  countLimit = 10_001,
  textIds: TextIds = null,
  bound: SortKeyBound | null = null,
): SearchSql {
  const a = analyse(search, now, textIds);
  const { column, direction } = a;
  const order = direction === 'desc' ? 'DESC' : 'ASC';

  const terms =
    path === 'text'
      ? a.terms.filter((t) => t.narrows !== 'text')
      : path === 'filters'
        ? [...a.everyValue, ...a.terms]
        : a.terms;
  const where = terms.map((t) => t.sql);
  const params = terms.flatMap((t) => t.params);
  const countWhere = [...where];
  const countParams = [...params];
  if (search.cursor) {
    const cursor = decodeCursor(search.cursor);
    if (cursor.sort !== a.sort || cursor.direction !== direction) throw new InvalidCursorError();
    // Row-value comparison on (sort key, id): an index range seek that resumes exactly after
    // the last row served, however many rows share its sort key.
    where.push(`(r.${column}, r.id) ${direction === 'desc' ? '<' : '>'} (?, ?)`);
    params.push(cursor.value, cursor.id);
  }
  if (bound !== null && path === 'sort') {
    where.push(`(r.${column}, r.id) ${direction === 'desc' ? '>=' : '<='} (?, ?)`);
    params.push(bound.value, bound.id);
  }

  const whereSql = (clauses: string[]) =>
    clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  // For `text` the FTS matches drive (CROSS JOIN keeps that order) and each is read by rowid.
  const from =
    path !== 'text'
      ? `recordings r INDEXED BY ${indexOf(path, a.sort)}`
      : textIds
        ? 'json_each(?) AS t CROSS JOIN recordings r ON r.id = t.value'
        : 'recordings_fts CROSS JOIN recordings r ON r.id = recordings_fts.rowid';
  const textParams = path !== 'text' ? [] : textIds ? [textIds] : [a.fts!];
  const textWhere = path === 'text' && !textIds ? ['recordings_fts MATCH ?'] : [];
  const pageWhere = whereSql([...textWhere, ...where]);
  const orderBy = (alias: string) => `ORDER BY ${alias}.${column} ${order}, ${alias}.id ${order}`;

  const pageSql =
    path === 'sort'
      ? `SELECT ${recordingColumns('r')}, r.${column} AS sort_key FROM ${from}
      ${pageWhere} ${orderBy('r')} LIMIT ?`
      : // Pick the page's ids first (from the index alone where it covers the filters), then
        // read only those rows.
        `SELECT ${recordingColumns('o')}, o.${column} AS sort_key FROM recordings o
      WHERE o.id IN (SELECT r.id FROM ${from} ${pageWhere} ${orderBy('r')} LIMIT ?)
      ${orderBy('o')}`;
  return {
    pageSql,
    pageParams: [...textParams, ...params, a.limit + 1],
    countSql: `SELECT count(*) AS total FROM (SELECT 1 FROM ${from}
      ${whereSql([...textWhere, ...countWhere])} LIMIT ?)`,
    countParams: [...textParams, ...countParams, countLimit],
    path,
    sort: a.sort,
    direction,
    limit: a.limit,
    ignoredTerms: a.ignoredTerms,
  };
}

function indexOf(path: Exclude<AccessPath, 'text'>, sort: RecordingSortKey): string {
  if (path === 'sort') return SORT_INDEX[sort];
  if (path === 'equal') return EQUAL_INDEX[sort];
  if (path === 'equalUnarchived') return UNARCHIVED_EQUAL_INDEX[sort];
  return PATH_INDEX[path];
}

/** A bare date as a `to` bound means "through that day": the exclusive bound is the next midnight (UTC). */
function endOfDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const next = new Date(`${value}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

function requireIso(value: string): string {
  const iso = toIsoOrNull(value);
  if (iso === null) throw new RangeError(`Not a timestamp: ${JSON.stringify(value)}`);
  return iso;
}
