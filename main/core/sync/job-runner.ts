import type { AccountService } from '../accounts/account-service.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { AppError } from '../app-error.ts';
import { CONCURRENCY } from '../contract/vocabulary.ts';
import { nextRetryAt } from '../db/job-recordings.ts';
import { getJob, setJobState, setJobTotals, updateJobItem } from '../db/jobs.ts';
import { markDownloading, nextToDownload, releaseDownload } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import { ProviderError } from '../providers/errors.ts';
import type { ProviderClient } from '../providers/types.ts';
import { archiveOne, JobStop } from './archive-one.ts';
import { discoverAll } from './discover.ts';
import { settleFromIndex } from './item-state.ts';
import { jobSpecSchema } from './job-spec.ts';
import { remoteFromRow } from './remote-from-row.ts';
import type { Semaphore } from './semaphore.ts';
import type { SyncContext } from './sync-context.ts';

export interface JobRunnerDeps {
  db: Db;
  accounts: AccountService;
  archiveRoot: () => string;
  slots: Semaphore;
  actor: AuditActor;
  /** An item's state or bytes changed (the manager throttles what reaches the UI). */
  onItem: (jobId: number, recordingId: number, bytesDelta: number) => void;
  /** Longest a job waits in-run for a recording that is not ready yet. */
  maxInRunWaitMs?: number;
}

/** Why a job ended: done (every item settled), failed (stopped early), or aborted. */
export type JobEnd = { state: 'done' | 'failed'; error: string | null } | { state: 'aborted' };

/**
 * Runs one sync job to its end: discovers every recording of its selections and records each
 * in the index before downloading any, then downloads soonest-to-expire first through the
 * global slots. Re-running a job resumes it: discovery is skipped once done, archived
 * recordings are never fetched again, and `.part` files resume with Range.
 */
export async function runSyncJob(
  deps: JobRunnerDeps,
  jobId: number,
  signal: AbortSignal,
): Promise<JobEnd> {
  const { db } = deps;
  const job = getJob(db, jobId);
  if (!job) throw new AppError('not_found', `No job ${jobId}.`);
  const spec = jobSpecSchema.parse(job.spec);
  const account = deps.accounts.get(job.accountId ?? 0);
  const run = { db, jobId, account, actor: deps.actor };
  setJobState(db, jobId, 'running');
  if (job.startedAt === null) {
    appendAudit(db, {
      actor: deps.actor,
      action: 'sync.started',
      subject: `job:${jobId}`,
      details: { account: account.name, what: spec.label },
    });
  }

  let client: ProviderClient;
  try {
    client = deps.accounts.client(account);
  } catch (error) {
    return finish(run, { state: 'failed', error: (error as Error).message });
  }
  const ctx: SyncContext = {
    ...run,
    accounts: deps.accounts,
    archiveRoot: deps.archiveRoot,
    client,
    channel: spec.channel,
    includeDisposed: spec.includeDisposed ?? false,
    itemChanged: (recordingId, bytesDelta = 0) => deps.onItem(jobId, recordingId, bytesDelta),
  };

  let discoveryErrors: string[] = [];
  if (!job.totals.discoveryDone) {
    try {
      discoveryErrors = await discoverAll(ctx, spec.selections, signal);
    } catch (error) {
      if (signal.aborted) return { state: 'aborted' };
      if (error instanceof ProviderError && error.kind === 'auth') {
        deps.accounts.markAuthFailed(account, error.message);
      }
      return finish(run, { state: 'failed', error: (error as Error).message });
    }
    if (signal.aborted) return { state: 'aborted' };
    setJobTotals(db, jobId, { discoveryDone: 1 });
  }
  settleFromIndex(ctx);

  const stopReason = await downloadAll(ctx, deps, signal);
  if (stopReason !== null) return finish(run, { state: 'failed', error: stopReason });
  if (signal.aborted) return { state: 'aborted' };
  settleFromIndex(ctx);
  const error = discoveryErrors.length ? discoveryErrors.join('\n') : null;
  return finish(run, { state: 'done', error });
}

/**
 * Downloads the job's queue through the global slots, and waits within the run for
 * recordings the provider is still preparing when their retry is due soon. Returns why the job
 * had to stop (JobStop), or null.
 */
async function downloadAll(
  ctx: SyncContext,
  deps: Pick<JobRunnerDeps, 'slots' | 'maxInRunWaitMs'>,
  signal: AbortSignal,
): Promise<string | null> {
  const { db, jobId, client } = ctx;
  const { slots } = deps;
  const stop = new AbortController();
  const stopped = AbortSignal.any([signal, stop.signal]);
  let stopReason: string | null = null;
  const inFlight = new Set<number>();
  // Recordings whose signed URL was asked for ahead (client.prefetch), once a download's bytes
  // flow: the next few in queue order, so each worker's next API round trip overlaps its
  // current transfer. (Not before: a refusal seen early would pause the account's requests.)
  const prefetched = new Set<number>();
  const prefetchNext = (): void => {
    if (client.prefetch === undefined || stopped.aborted) return;
    for (const row of nextToDownload(db, { jobId }, slots.limit)) {
      if (prefetched.has(row.id) || inFlight.has(row.id)) continue;
      const remote = remoteFromRow(row);
      if (remote.status !== 'ready') continue;
      prefetched.add(row.id);
      client.prefetch(remote, stopped);
    }
  };
  const worker = async (): Promise<void> => {
    while (!stopped.aborted) {
      let release: () => void;
      try {
        release = await slots.acquire(stopped);
      } catch {
        return;
      }
      try {
        const [next] = nextToDownload(db, { jobId }, 1);
        if (!next) return;
        const claimed = markDownloading(db, next.id);
        inFlight.add(claimed.id);
        prefetched.delete(claimed.id);
        updateJobItem(db, jobId, claimed.id, { state: 'running', error: null });
        ctx.itemChanged(claimed.id);
        try {
          await archiveOne(ctx, claimed, stopped, prefetchNext);
        } catch (error) {
          if (!(error instanceof JobStop)) throw error;
          stopReason ??= error.message;
          stop.abort(error);
        } finally {
          inFlight.delete(claimed.id);
          releaseDownload(db, claimed.id);
        }
      } finally {
        release();
      }
    }
  };

  const deadline = Date.now() + (deps.maxInRunWaitMs ?? 120_000);
  for (;;) {
    // One worker per slot the limit could ever allow, not per slot it allows now: the global
    // slots gate them, so raising "downloads at once" mid-sync puts the waiting ones to work.
    await Promise.all(Array.from({ length: CONCURRENCY.max }, worker));
    if (stopped.aborted) break;
    // A session placeholder expanded into files after some workers had found the queue empty.
    if (nextToDownload(db, { jobId }, 1).length > 0) continue;
    // Recordings the provider is still preparing: wait for them within the job when the
    // retry is due soon, else leave them pending for the next run.
    const wait = msUntilRetry(db, jobId, deadline);
    if (wait === null) break;
    await delay(wait, stopped);
  }
  return stopReason;
}

function finish(
  run: Pick<SyncContext, 'db' | 'jobId' | 'account' | 'actor'>,
  end: { state: 'done' | 'failed'; error: string | null },
): JobEnd {
  const { db, jobId } = run;
  inTransaction(db, () => {
    setJobState(db, jobId, end.state, { error: end.error });
    const job = getJob(db, jobId)!;
    appendAudit(db, {
      actor: run.actor,
      action: 'sync.finished',
      subject: `job:${jobId}`,
      details: {
        account: run.account.name,
        state: end.state,
        items: job.items.total,
        archived: job.items.byState.done,
        alreadyArchived: job.items.byState.skipped,
        pending: job.items.byState.pending,
        failed: job.items.byState.failed,
        ...(end.error ? { error: end.error } : {}),
      },
    });
  });
  return end;
}

/** Milliseconds until the next pending item of the job may be retried, if before `deadline`. */
function msUntilRetry(db: Db, jobId: number, deadline: number): number | null {
  const due = nextRetryAt(db, jobId);
  if (!due) return null;
  const at = Date.parse(due);
  if (at > deadline) return null;
  return Math.max(0, at - Date.now());
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
