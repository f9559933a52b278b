// The overview screen's figures (the app's home). Each count is the total of one library
// query, `OVERVIEW_QUERIES`, so a click on it opens the library filtered to exactly those rows.
import type { LibraryQuery } from './types.ts';
import type { JobView } from './types.ts';

export const OVERVIEW_FIGURES = [
  'atRisk7',
  'atRisk30',
  'failed',
  'waiting',
  'deletedBeforeArchived',
  'integrityFailed',
] as const;
export type OverviewFigure = (typeof OVERVIEW_FIGURES)[number];

/** The part of a library query each figure counts (the rest of the query at its defaults). */
export const OVERVIEW_QUERIES: Record<OverviewFigure, Partial<LibraryQuery>> = {
  atRisk7: { notArchived: true, expiringWithinDays: 7, sort: 'expires_asc' },
  atRisk30: { notArchived: true, expiringWithinDays: 30, sort: 'expires_asc' },
  failed: { states: ['failed'] },
  waiting: { states: ['pending'] },
  deletedBeforeArchived: { states: ['gone'] },
  integrityFailed: { integrityFailed: true },
};

export interface OverviewCount {
  count: number;
  /** The count stopped there (very large archives): "10,000+". */
  capped: boolean;
}

export interface OverviewAccount {
  id: number;
  name: string;
  provider: JobView['provider'];
  /** Its newest sync job (running or ended), or null when it never synced. */
  lastSync: JobView | null;
  /** When a connection test last succeeded, or null. */
  lastTestOkAt: string | null;
  authError: string | null;
}

export interface OverviewView {
  counts: Record<OverviewFigure, OverviewCount>;
  accounts: OverviewAccount[];
  /** The last archive verification, or null when none ran. */
  lastVerify: { at: string; checked: number; ok: number; problems: number } | null;
}
