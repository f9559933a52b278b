import { notArchivedReason } from '../contract/not-archived-reason.ts';
import type {
  AccountReport,
  ComplianceReport,
  CompletenessFigures,
  ReportItem,
} from '../contract/report.ts';
import type { ParsedRequestArgs } from '../contract/requests.ts';
import {
  reportAtRisk,
  reportFailureReasons,
  reportItemsInState,
  reportStateCounts,
  reportWaitingWords,
  type ReportFilter,
  type ReportItemRow,
} from '../db/compliance-report.ts';
import type { RecordingState } from '../db/recording-row.ts';
import type { Db } from '../db/sqlite.ts';
import { addDays, toIsoOrNull } from '../db/timestamps.ts';
import { AppError } from '../app-error.ts';

/** Items each list of the report holds at most; the figures always count every recording. */
export const REPORT_ITEM_LIMIT = 10_000;

/** Which figure a recording in each state adds to (archived is split by when, below). */
const FIGURE_OF: Record<Exclude<RecordingState, 'archived'>, keyof CompletenessFigures> = {
  pending: 'waiting',
  discovered: 'queued',
  downloading: 'queued',
  failed: 'failed',
  gone: 'deleted',
  no_recording: 'noRecording',
  skipped: 'excluded',
};

function noFigures(): CompletenessFigures {
  return {
    found: 0,
    archived: 0,
    alreadyArchived: 0,
    waiting: 0,
    queued: 0,
    failed: 0,
    deleted: 0,
    noRecording: 0,
    excluded: 0,
    atRisk: 0,
  };
}

/** A bare date as the period's end means through that day: the next UTC midnight. */
function exclusiveEnd(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return addDays(new Date(`${value}T00:00:00Z`), 1).toISOString();
  return toIsoOrNull(value);
}

function instant(value: string | null, label: string): string | null {
  if (value === null) return null;
  const iso = toIsoOrNull(value);
  if (iso === null) throw new AppError('invalid_arguments', `${label} is not a date: ${value}`);
  return iso;
}

function item(row: ReportItemRow): ReportItem {
  return {
    recordingId: row.id,
    accountName: row.account_name,
    remoteId: row.remote_id,
    recordedAt: row.recorded_at,
    expiresAt: row.expires_at,
    providerStatus: row.provider_status,
    reason: row.state === 'archived' ? null : notArchivedReason(row.state, row.last_error),
  };
}

/**
 * The completeness report over the index as it is now. `now` fixes "at risk" (deleted by the
 * provider within `withinDays` of it, or already past its deletion date while still unsaved).
 */
export function completenessReport(
  db: Db,
  request: ParsedRequestArgs<'complianceReport'>,
  now: Date = new Date(),
): ComplianceReport {
  const filter: ReportFilter = {
    accountIds: request.accountIds,
    from: instant(request.from, 'The period start'),
    toExclusive: request.to === null ? null : exclusiveEnd(request.to),
    archivedSince: instant(request.archivedSince, 'archivedSince'),
  };
  if (filter.from && filter.toExclusive && filter.from >= filter.toExclusive) {
    throw new AppError('invalid_arguments', 'The period ends before it starts.');
  }
  const accounts = new Map<number, AccountReport>();
  const totals = noFigures();
  for (const row of reportStateCounts(db, filter)) {
    let account = accounts.get(row.account_id);
    if (!account) {
      account = {
        accountId: row.account_id,
        accountName: row.account_name,
        provider: row.provider,
        figures: noFigures(),
        waitingWords: [],
      };
      accounts.set(row.account_id, account);
    }
    const figure =
      row.state === 'archived'
        ? row.earlier
          ? 'alreadyArchived'
          : 'archived'
        : FIGURE_OF[row.state];
    for (const figures of [account.figures, totals]) {
      figures[figure] += row.n;
      figures.found += row.n;
    }
  }
  for (const row of reportWaitingWords(db, filter)) {
    accounts.get(row.account_id)?.waitingWords.push({ word: row.word, count: row.n });
  }
  const deadline = addDays(now, request.withinDays).toISOString();
  const atRisk = reportAtRisk(db, filter, deadline, REPORT_ITEM_LIMIT);
  for (const row of atRisk.byAccount) {
    const account = accounts.get(row.account_id);
    if (account) account.figures.atRisk = row.n;
    totals.atRisk += row.n;
  }
  return {
    generatedAt: now.toISOString(),
    period: { field: 'recorded', from: request.from, to: request.to },
    withinDays: request.withinDays,
    archivedSince: request.archivedSince,
    accounts: [...accounts.values()],
    totals,
    failureReasons: reportFailureReasons(db, filter).map((r) => ({
      reason: r.reason ?? 'no reason recorded',
      count: r.n,
    })),
    failed: reportItemsInState(db, filter, 'failed', REPORT_ITEM_LIMIT).map(item),
    deleted: reportItemsInState(db, filter, 'gone', REPORT_ITEM_LIMIT).map(item),
    atRisk: atRisk.rows.map(item),
    itemLimit: REPORT_ITEM_LIMIT,
  };
}
