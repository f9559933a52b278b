// The overview: what is at risk, failed, waiting or lost, each account's last sync and test,
// and the last verification. Counts come from the library's own search, query for query, so
// the figure and the library it opens can never disagree.
import type { AccountService } from '../accounts/account-service.ts';
import {
  OVERVIEW_FIGURES,
  OVERVIEW_QUERIES,
  type OverviewCount,
  type OverviewFigure,
  type OverviewView,
} from '../contract/overview.ts';
import { libraryQuerySchema } from '../contract/requests.ts';
import type { JobView } from '../contract/types.ts';
import { lastSuccessfulTests } from '../db/account-tests.ts';
import { lastVerify } from '../db/integrity-marks.ts';
import type { Db } from '../db/sqlite.ts';
import type { LibraryService } from '../library/library-service.ts';
import type { JobManager } from '../sync/job-manager.ts';

export interface OverviewDeps {
  db: Db;
  library: LibraryService;
  jobs: JobManager;
  accounts: AccountService;
}

export function buildOverview({ db, library, jobs, accounts }: OverviewDeps): OverviewView {
  const counts = {} as Record<OverviewFigure, OverviewCount>;
  for (const figure of OVERVIEW_FIGURES) counts[figure] = count(library, figure);
  // Newest first, as the queue lists them: the first job per account is its last sync.
  const lastJob = new Map<number, JobView>();
  for (const job of jobs.list()) if (!lastJob.has(job.accountId)) lastJob.set(job.accountId, job);
  const tested = lastSuccessfulTests(db);
  const verify = lastVerify(db);
  return {
    counts,
    accounts: accounts.list().map((account) => ({
      id: account.id,
      name: account.name,
      provider: account.provider,
      lastSync: lastJob.get(account.id) ?? null,
      lastTestOkAt: tested.get(account.id) ?? null,
      authError: account.authError,
    })),
    lastVerify: verify && {
      at: verify.at,
      checked: verify.checked,
      ok: verify.ok,
      problems: verify.problems,
    },
  };
}

function count(library: LibraryService, figure: OverviewFigure): OverviewCount {
  const query = libraryQuerySchema.parse(OVERVIEW_QUERIES[figure]);
  const page = library.search(query, null, 1, true);
  return { count: page.total ?? 0, capped: page.totalCapped === true };
}
