import type { AccountService } from '../accounts/account-service.ts';
import type { EventBus } from '../api/event-bus.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { AppError } from '../app-error.ts';
import type { JobItemView, JobView } from '../contract/types.ts';
import { requeueFailed } from '../db/job-recordings.ts';
import {
  createJob,
  getJob,
  listJobs,
  pauseInterruptedJobs,
  setJobState,
  setJobTotals,
  type Job,
} from '../db/jobs.ts';
import { resetInterruptedDownloads } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import type { ArchiverLock } from './archiver-lock.ts';
import { discardJobPartials } from './discard-partials.ts';
import { JobProgress } from './job-progress.ts';
import { runSyncJob, type JobEnd } from './job-runner.ts';
import { buildJobSpec, type SyncRequest } from './job-spec.ts';
import { jobItemViews, jobView } from './job-view.ts';
import { RetryLater } from './retry-later.ts';
import { Semaphore } from './semaphore.ts';

export interface JobManagerDeps {
  db: Db;
  accounts: AccountService;
  events: EventBus;
  archiveRoot: () => string;
  actor: AuditActor;
  concurrency: number;
  maxInRunWaitMs?: number;
  /** Held while any job of this process downloads. */
  lock: ArchiverLock;
  /**
   * Run a finished job again when its waiting recordings come due (the app, which stays open);
   * the CLI leaves them for its next scheduled run.
   */
  retryPendingLater?: boolean;
  /** Longest wait before such a re-run (tests shorten it). */
  retryLaterMaxMs?: number;
  /** Called when a job's run ends (custody's checkpoint); `wait` resolves after it. */
  onJobEnded?: () => Promise<void>;
}

interface RunningJob {
  controller: AbortController;
  done: Promise<JobEnd>;
  progress: JobProgress;
}

/** Starts, pauses, resumes and cancels sync jobs, and reports their progress. */
export class JobManager {
  readonly #deps: JobManagerDeps;
  readonly #slots: Semaphore;
  readonly #running = new Map<number, RunningJob>();
  readonly #retryLater: RetryLater;

  constructor(deps: JobManagerDeps) {
    this.#deps = deps;
    this.#slots = new Semaphore(deps.concurrency);
    this.#retryLater = new RetryLater({
      db: deps.db,
      maxMs: deps.retryLaterMaxMs,
      isRunning: (jobId) => this.#running.has(jobId),
      launch: (jobId) => this.#launch(jobId),
    });
  }

  /**
   * After a crash or kill: rows left downloading go back to the queue and running jobs become
   * paused. Returns the interrupted jobs so the caller can resume them.
   */
  recoverInterrupted(): number[] {
    // Rows another live process is downloading right now are not interrupted: leave them.
    if (this.#deps.lock.tryAcquire() !== null) return [];
    resetInterruptedDownloads(this.#deps.db);
    const crashed = pauseInterruptedJobs(this.#deps.db);
    const suspended = listJobs(this.#deps.db, ['paused'])
      .filter((job) => job.totals.resumeAtStart === 1)
      .map((job) => job.id);
    if (this.#running.size === 0) this.#deps.lock.release();
    return [...new Set([...crashed, ...suspended])].sort((a, b) => a - b);
  }

  setConcurrency(limit: number): void {
    this.#slots.setLimit(limit);
  }

  start(accountId: number, request: SyncRequest): JobView {
    const account = this.#deps.accounts.get(accountId);
    const spec = buildJobSpec(account.provider, request);
    this.#deps.lock.acquire();
    const job = createJob(this.#deps.db, { accountId, kind: 'sync', spec });
    this.#launch(job.id);
    return this.view(job.id);
  }

  list(): JobView[] {
    return listJobs(this.#deps.db)
      .reverse()
      .map((job) => this.#view(job));
  }

  view(jobId: number): JobView {
    return this.#view(this.#job(jobId));
  }

  items(jobId: number, limit: number): JobItemView[] {
    this.#job(jobId);
    return jobItemViews(this.#deps.db, jobId, limit);
  }

  /** Resolves when the job's current run ends (immediately when it is not running). */
  async wait(jobId: number): Promise<JobView> {
    await this.#running.get(jobId)?.done;
    return this.view(jobId);
  }

  async pause(jobId: number): Promise<JobView> {
    const job = this.#job(jobId);
    const running = this.#running.get(jobId);
    if (!running) {
      if (job.state === 'queued') setJobState(this.#deps.db, jobId, 'paused');
      return this.view(jobId);
    }
    running.controller.abort(new AppError('cancelled', 'Paused'));
    await running.done;
    setJobState(this.#deps.db, jobId, 'paused');
    this.#emit(jobId);
    return this.view(jobId);
  }

  resume(jobId: number): JobView {
    const job = this.#job(jobId);
    if (this.#running.has(jobId)) return this.view(jobId);
    if (job.state === 'done' && job.items.byState.pending === 0 && job.items.byState.queued === 0) {
      return this.view(jobId);
    }
    if (job.state === 'cancelled')
      throw new AppError('conflict', 'A cancelled job cannot be resumed: start a new one.');
    this.#launch(jobId);
    return this.view(jobId);
  }

  /** Stops the job for good: its partial downloads are deleted; what it found stays indexed. */
  async cancel(jobId: number): Promise<JobView> {
    const job = this.#job(jobId);
    this.#retryLater.cancel(jobId);
    const running = this.#running.get(jobId);
    if (running) {
      running.controller.abort(new AppError('cancelled', 'Cancelled'));
      await running.done;
    }
    const { db } = this.#deps;
    await discardJobPartials(db, this.#deps.archiveRoot(), job);
    inTransaction(db, () => {
      setJobState(db, jobId, 'cancelled');
      appendAudit(db, {
        actor: this.#deps.actor,
        action: 'sync.cancelled',
        subject: `job:${jobId}`,
      });
    });
    this.#emit(jobId);
    return this.view(jobId);
  }

  /** Puts the job's failed and waiting recordings back in the queue and runs it again. */
  retryFailed(jobId: number): JobView {
    this.#job(jobId);
    requeueFailed(this.#deps.db, jobId);
    if (this.#running.has(jobId)) return this.view(jobId);
    this.#launch(jobId);
    return this.view(jobId);
  }

  /** Pauses every running job on the way out; they resume at the next start of the app. */
  async suspendAll(): Promise<void> {
    this.#retryLater.cancelAll();
    await Promise.all(
      [...this.#running.keys()].map(async (id) => {
        await this.pause(id);
        setJobTotals(this.#deps.db, id, { resumeAtStart: 1 });
      }),
    );
  }

  #launch(jobId: number): void {
    this.#deps.lock.acquire();
    setJobTotals(this.#deps.db, jobId, { resumeAtStart: 0 });
    const controller = new AbortController();
    const entry: RunningJob = {
      controller,
      progress: new JobProgress((ids) => this.#report(jobId, entry, ids)),
      done: Promise.resolve({ state: 'aborted' }),
    };
    this.#running.set(jobId, entry);
    entry.done = runSyncJob(
      {
        db: this.#deps.db,
        accounts: this.#deps.accounts,
        archiveRoot: this.#deps.archiveRoot,
        slots: this.#slots,
        actor: this.#deps.actor,
        maxInRunWaitMs: this.#deps.maxInRunWaitMs,
        onItem: (_, recordingId, bytes) => entry.progress.itemChanged(recordingId, bytes),
      },
      jobId,
      controller.signal,
    )
      .catch((error: unknown): JobEnd => {
        const message = error instanceof Error ? error.message : String(error);
        setJobState(this.#deps.db, jobId, 'failed', { error: message });
        return { state: 'failed', error: message };
      })
      .then(async (end) => {
        await this.#deps.onJobEnded?.();
        return end;
      })
      .finally(() => {
        this.#running.delete(jobId);
        if (this.#running.size === 0) this.#deps.lock.release();
        entry.progress.flush();
        if (this.#deps.retryPendingLater) this.#retryLater.schedule(jobId);
      });
    this.#emit(jobId);
  }

  /** One progress event for the job, with the items changed since the last one. */
  #report(jobId: number, entry: RunningJob, ids: number[]): void {
    const items = ids.length ? jobItemViews(this.#deps.db, jobId, ids.length, ids) : [];
    const job = jobView(this.#deps.db, this.#job(jobId), {
      throughput: entry.progress.bytesPerSecond(),
    });
    this.#deps.events.emit('jobProgress', { job, items });
    if (ids.length) this.#deps.events.emit('libraryChanged', { recordingIds: ids });
  }

  #emit(jobId: number): void {
    this.#deps.events.emit('jobProgress', { job: this.view(jobId), items: [] });
  }

  #view(job: Job): JobView {
    const running = this.#running.get(job.id);
    return jobView(
      this.#deps.db,
      job,
      running ? { throughput: running.progress.bytesPerSecond() } : null,
    );
  }

  #job(jobId: number): Job {
    const job = getJob(this.#deps.db, jobId);
    if (!job) throw new AppError('not_found', `No job ${jobId}.`);
    return job;
  }
}
