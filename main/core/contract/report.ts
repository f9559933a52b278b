// The completeness report (issue 14): per account and period, where every recording the index
// knows of stands, so a compliance officer can show that nothing was missed. Types only.
//
// The period filters on the RECORDED date (when the call or session happened, as the provider
// gives it): `from` inclusive, `to` exclusive, a bare `to` date meaning through that day (UTC),
// as the library's date filter does. A recording whose provider gives no date is counted only in
// a report without a period. The request's schema is `complianceReport` in requests.ts.
/** "At risk": not archived and deleted by the provider within this many days, by default. */
export const AT_RISK_DAYS_DEFAULT = 7;

/**
 * Where the recordings stand. Every recording is in exactly one of the counts after `found`:
 * found = archived + alreadyArchived + waiting + queued + failed + deleted + noRecording + excluded.
 */
export interface CompletenessFigures {
  found: number;
  archived: number;
  alreadyArchived: number;
  /** The provider is still preparing it (state pending). */
  waiting: number;
  /** Known, not downloaded yet (discovered, or a download under way). */
  queued: number;
  failed: number;
  /** Deleted by the provider before it was archived. */
  deleted: number;
  /** The call or session exists but has no media: not a failure. */
  noRecording: number;
  /** Excluded from downloads by the user. */
  excluded: number;
  /** Not archived and deleted by the provider within `withinDays` (or past its deletion date). */
  atRisk: number;
}

/** The figures in the order the CLI's table, its CSV and the printable page show them. */
export const FIGURE_COLUMNS: readonly (readonly [keyof CompletenessFigures, string])[] = [
  ['found', 'found'],
  ['archived', 'archived'],
  ['alreadyArchived', 'already archived'],
  ['waiting', 'waiting'],
  ['queued', 'not downloaded yet'],
  ['failed', 'failed'],
  ['deleted', 'deleted by the provider'],
  ['noRecording', 'no recording'],
  ['excluded', 'excluded'],
  ['atRisk', 'at risk'],
];

export interface ReportItem {
  recordingId: number;
  accountName: string;
  remoteId: string;
  recordedAt: string | null;
  expiresAt: string | null;
  /** The provider's own status word. */
  providerStatus: string;
  reason: string | null;
}

export interface AccountReport {
  accountId: number;
  accountName: string;
  provider: string;
  figures: CompletenessFigures;
  /** Waiting recordings by the provider's word (PROCESSING, media_in_progress…). */
  waitingWords: { word: string; count: number }[];
}

export interface ComplianceReport {
  generatedAt: string;
  /** What the period filters on, and its bounds as asked for. */
  period: { field: 'recorded'; from: string | null; to: string | null };
  withinDays: number;
  archivedSince: string | null;
  accounts: AccountReport[];
  totals: CompletenessFigures;
  /** Failed recordings with their reasons, by the reason's frequency. */
  failureReasons: { reason: string; count: number }[];
  failed: ReportItem[];
  deleted: ReportItem[];
  atRisk: ReportItem[];
  /** How many items each list above holds at most (the counts are always complete). */
  itemLimit: number;
}
