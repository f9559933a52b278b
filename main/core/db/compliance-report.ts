import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import type { RecordingState } from './recording-row.ts';

// The completeness report's statements (core/report/ turns them into the contract's figures).
// One filter for all of them (where() below): the accounts as a JSON array (empty: all), the
// recorded-date period (from inclusive, to exclusive; an unknown date never matches a bound).

export interface ReportFilter {
  accountIds: readonly number[];
  /** ISO instants (normalised by the caller). */
  from: string | null;
  toExclusive: string | null;
  /** Archived before this instant counts as already archived. */
  archivedSince: string | null;
}

/**
 * The filter as SQL over `recordings r`: only the bounds given are written, on the sort column
 * of the recorded date, so the (sort_recorded_at, id, …) index can serve a period as a range
 * (a `@from IS NULL OR …` term would make every report a full scan). Each shape is its own
 * cached statement; there are four.
 */
function where(filter: ReportFilter): string {
  const terms = ['(@all_accounts = 1 OR r.account_id IN (SELECT value FROM json_each(@accounts)))'];
  if (filter.from !== null) terms.push('r.sort_recorded_at >= @from');
  // '' is the sort key of an unknown date, which no bound matches.
  if (filter.toExclusive !== null)
    terms.push("r.sort_recorded_at < @to AND r.sort_recorded_at > ''");
  return terms.join(' AND ');
}

function params(filter: ReportFilter): Record<string, string | number | null> {
  return {
    all_accounts: filter.accountIds.length === 0 ? 1 : 0,
    accounts: JSON.stringify(filter.accountIds),
    ...(filter.from === null ? {} : { from: filter.from }),
    ...(filter.toExclusive === null ? {} : { to: filter.toExclusive }),
  };
}

export interface StateCountRow {
  account_id: number;
  account_name: string;
  provider: string;
  state: RecordingState;
  /** 1 when archived before `archivedSince`. */
  earlier: number;
  n: number;
}

/** How many recordings of each account are in each state (archived split by when). */
export function reportStateCounts(db: Db, filter: ReportFilter): StateCountRow[] {
  return cachedStatement(
    db,
    `SELECT r.account_id, a.name AS account_name, a.provider, r.state,
            (r.state = 'archived' AND @archived_since IS NOT NULL
              AND coalesce(r.archived_at, '') < @archived_since) AS earlier,
            count(*) AS n
       FROM recordings r JOIN accounts a ON a.id = r.account_id
      WHERE ${where(filter)}
      GROUP BY r.account_id, r.state, earlier
      ORDER BY a.name COLLATE NOCASE, r.account_id`,
  ).all({ ...params(filter), archived_since: filter.archivedSince }) as StateCountRow[];
}

export interface WaitingWordRow {
  account_id: number;
  word: string;
  n: number;
}

/** Waiting recordings by the provider's own status word. */
export function reportWaitingWords(db: Db, filter: ReportFilter): WaitingWordRow[] {
  return cachedStatement(
    db,
    `SELECT r.account_id, r.provider_status AS word, count(*) AS n
       FROM recordings r
      WHERE ${where(filter)} AND r.state = 'pending'
      GROUP BY r.account_id, r.provider_status
      ORDER BY n DESC, word`,
  ).all(params(filter)) as WaitingWordRow[];
}

export interface ReportItemRow {
  id: number;
  account_name: string;
  remote_id: string;
  recorded_at: string | null;
  expires_at: string | null;
  provider_status: string;
  last_error: string | null;
  state: RecordingState;
}

const ITEM_COLUMNS = `r.id, a.name AS account_name, r.remote_id, r.recorded_at, r.expires_at,
  r.provider_status, r.last_error, r.state`;

/** Recordings in one state (failed, gone), oldest recording first. */
export function reportItemsInState(
  db: Db,
  filter: ReportFilter,
  state: RecordingState,
  limit: number,
): ReportItemRow[] {
  return cachedStatement(
    db,
    `SELECT ${ITEM_COLUMNS}
       FROM recordings r JOIN accounts a ON a.id = r.account_id
      WHERE ${where(filter)} AND r.state = @state
      ORDER BY r.sort_recorded_at, r.id
      LIMIT @limit`,
  ).all({ ...params(filter), state, limit }) as ReportItemRow[];
}

/** Failed recordings' reasons and how many share each. */
export function reportFailureReasons(
  db: Db,
  filter: ReportFilter,
): { reason: string | null; n: number }[] {
  return cachedStatement(
    db,
    `SELECT r.last_error AS reason, count(*) AS n
       FROM recordings r
      WHERE ${where(filter)} AND r.state = 'failed'
      GROUP BY r.last_error
      ORDER BY n DESC, reason`,
  ).all(params(filter)) as { reason: string | null; n: number }[];
}

// Not archived and not settled otherwise (deleted, no recording, excluded): still to be saved.
const AT_RISK = `r.state IN ('discovered', 'downloading', 'pending', 'failed')
  AND r.expires_at IS NOT NULL AND r.expires_at <= @deadline`;

/** Recordings at risk: still to be saved, and the provider deletes them by `deadline`. */
export function reportAtRisk(
  db: Db,
  filter: ReportFilter,
  deadline: string,
  limit: number,
): { rows: ReportItemRow[]; byAccount: { account_id: number; n: number }[] } {
  const bound = { ...params(filter), deadline };
  const rows = cachedStatement(
    db,
    `SELECT ${ITEM_COLUMNS}
       FROM recordings r JOIN accounts a ON a.id = r.account_id
      WHERE ${where(filter)} AND ${AT_RISK}
      ORDER BY r.expires_at, r.id
      LIMIT @limit`,
  ).all({ ...bound, limit }) as ReportItemRow[];
  const byAccount = cachedStatement(
    db,
    `SELECT r.account_id, count(*) AS n FROM recordings r
      WHERE ${where(filter)} AND ${AT_RISK} GROUP BY r.account_id`,
  ).all(bound) as { account_id: number; n: number }[];
  return { rows, byAccount };
}
