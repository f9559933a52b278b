import { recordingColumns } from '../db/recording-row.ts';
import { addDays, toIsoOrNull } from '../db/timestamps.ts';
import { decodeCursor, InvalidCursorError } from './cursor.ts';
import { buildFtsQuery } from './fts-query.ts';
import type { RecordingSearch } from './search-options.ts';
import { DEFAULT_PAGE_SIZE } from './search-options.ts';
import { RECORDING_SORTS } from './sort-keys.ts';
import type { RecordingSortKey, SortDirection } from './sort-keys.ts';

type Param = string | number;

export interface SearchSql {
  /** One page (limit + 1 rows, to know whether another page follows), with `sort_key`. */
  pageSql: string;
  pageParams: Param[];
  /** The same filters, counted, without the cursor. */
  countSql: string;
  countParams: Param[];
  sort: RecordingSortKey;
  direction: SortDirection;
  limit: number;
  ignoredTerms: string[];
}

/**
 * Builds the page and count queries for a search. Every user value is a bound parameter;
 * only fixed column names and operators are spliced into the SQL.
 */
export function buildSearchSql(search: RecordingSearch, now: Date = new Date()): SearchSql {
  const sort = search.sort ?? 'recordedAt';
  const { column, defaultDirection } = RECORDING_SORTS[sort];
  const direction = search.direction ?? defaultDirection;
  const limit = search.limit ?? DEFAULT_PAGE_SIZE;

  const where: string[] = [];
  const params: Param[] = [];
  const inList = (sqlColumn: string, values: readonly Param[] | undefined) => {
    if (!values || values.length === 0) return;
    if (values.length === 1) {
      // `=` rather than a one-element IN: the planner then also uses the index for ORDER BY.
      where.push(`${sqlColumn} = ?`);
    } else {
      where.push(`${sqlColumn} IN (${values.map(() => '?').join(', ')})`);
    }
    params.push(...values);
  };

  inList('r.account_id', search.accountIds);
  inList('r.provider', search.providers);
  inList('r.channel', search.channels);
  inList('r.remote_status', search.remoteStatuses);
  inList('r.state', search.states);
  if (search.archived === true) where.push(`r.state = 'archived'`);
  if (search.archived === false) where.push(`r.state <> 'archived'`);
  for (const tag of search.tags ?? []) {
    where.push('EXISTS (SELECT 1 FROM json_each(r.tags) WHERE lower(value) = lower(?))');
    params.push(tag.trim());
  }
  if (search.recordedFrom !== undefined) {
    where.push('r.recorded_at >= ?');
    params.push(requireIso(search.recordedFrom));
  }
  if (search.recordedTo !== undefined) {
    where.push('r.recorded_at < ?');
    params.push(requireIso(search.recordedTo));
  }
  if (search.expiringWithinDays !== undefined) {
    where.push('r.expires_at >= ? AND r.expires_at <= ?');
    params.push(now.toISOString(), addDays(now, search.expiringWithinDays).toISOString());
  }
  const fts = buildFtsQuery(search.text ?? '');
  if (fts.match !== null) {
    where.push('r.id IN (SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH ?)');
    params.push(fts.match);
  }

  const countWhere = [...where];
  const countParams = [...params];
  if (search.cursor) {
    const cursor = decodeCursor(search.cursor);
    if (cursor.sort !== sort || cursor.direction !== direction) throw new InvalidCursorError();
    // Row-value comparison on (sort key, id): an index range seek that resumes exactly after
    // the last row served, however many rows share its sort key.
    where.push(`(r.${column}, r.id) ${direction === 'desc' ? '<' : '>'} (?, ?)`);
    params.push(cursor.value, cursor.id);
  }

  const whereSql = (clauses: string[]) =>
    clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const order = direction === 'desc' ? 'DESC' : 'ASC';
  return {
    pageSql: `SELECT ${recordingColumns('r')}, r.${column} AS sort_key FROM recordings r
      ${whereSql(where)} ORDER BY r.${column} ${order}, r.id ${order} LIMIT ?`,
    pageParams: [...params, limit + 1],
    countSql: `SELECT count(*) AS total FROM recordings r ${whereSql(countWhere)}`,
    countParams,
    sort,
    direction,
    limit,
    ignoredTerms: fts.ignoredTerms,
  };
}

function requireIso(value: string): string {
  const iso = toIsoOrNull(value);
  if (iso === null) throw new RangeError(`Not a timestamp: ${JSON.stringify(value)}`);
  return iso;
}
