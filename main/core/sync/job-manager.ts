import type { AccountService } from '../accounts/account-service.ts';
import type { EventBus } from '../api/event-bus.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { discardPartial } from '../archive/download.ts';
import { relativePathForRecording } from '../archive/layout.ts';
import { AppError } from '../app-error.ts';
import type { JobItemView, JobView } from '../contract/types.ts';
import {
  createJob,
  getJob,
  listJobs,
  pauseInterruptedJobs,
  setJobState,
  setJobTotals,
  type Job,
} from '../db/jobs.ts';
import { resetInterruptedDownloads, retryNow } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { buildJobSpec, type SyncRequest } from './job-spec.ts';
import { runSyncJob, type JobEnd } from './job-runner.ts';
import { jobItemViews, jobView } from './job-view.ts';
import { remoteFromRow } from './remote-from-row.ts';
import type { ArchiverLock } from './archiver-lock.ts';
import { Semaphore } from './semaphore.ts';
import { ThroughputMeter } from './throughput.ts';
import { getRecording } from '../db/recordings.ts';

/** At most this many progress events a second per job. */
const PROGRESS_INTERVAL_MS = 100;

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
}

/** Bounds for re-running a job with waiting recordings: not hammering, not forgetting. */
const RETRY_LATER_MIN_MS = 5_000;
const RETRY_LATER_MAX_MS = 3_600_000;

interface RunningJob {
  controller: AbortController;
  done: Promise<JobEnd>;
  meter: ThroughputMeter;
  dirty: Set<number>;
  timer: NodeJS.Timeout | null;
}

/** Starts, pauses, resumes and cancels sync jobs, and reports their progress. */
export class JobManager {
  readonly #deps: JobManagerDeps;
  readonly #slots: Semaphore;
  readonly #running = new Map<number, RunningJob>();
  readonly #retryTimers = new Map<number, NodeJS.Timeout>();

  constructor(deps: JobManagerDeps) {
    this.#deps = deps;
    this.#slots = new Semaphore(deps.concurrency);
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
    this.#job(jobId);
    this.#cancelRetry(jobId);
    const running = this.#running.get(jobId);
    if (running) {
      running.controller.abort(new AppError('cancelled', 'Cancelled'));
      await running.done;
    }
    const { db } = this.#deps;
    await this.#discardPartials(jobId);
    db.transaction(() => {
      setJobState(db, jobId, 'cancelled');
      appendAudit(db, {
        actor: this.#deps.actor,
        action: 'sync.cancelled',
        subject: `job:${jobId}`,
      });
    })();
    this.#emit(jobId);
    return this.view(jobId);
  }

  /** Puts the job's failed and waiting recordings back in the queue and runs it again. */
  retryFailed(jobId: number): JobView {
    this.#job(jobId);
    const { db } = this.#deps;
    db.transaction(() => {
      db.prepare(
        `UPDATE recordings SET state = 'discovered', next_attempt_at = NULL, updated_at = ?
         WHERE id IN (SELECT recording_id FROM job_items WHERE job_id = ?)
           AND (state = 'failed' OR state = 'pending')`,
      ).run(new Date().toISOString(), jobId);
      db.prepare(
        `UPDATE job_items SET state = 'queued', error = NULL WHERE job_id = ? AND state IN ('failed', 'pending')`,
      ).run(jobId);
    })();
    if (this.#running.has(jobId)) return this.view(jobId);
    this.#launch(jobId);
    return this.view(jobId);
  }

  /** Pauses every running job on the way out; they resume at the next start of the app. */
  async suspendAll(): Promise<void> {
    for (const jobId of [...this.#retryTimers.keys()]) this.#cancelRetry(jobId);
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
      meter: new ThroughputMeter(),
      dirty: new Set(),
      timer: null,
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
        onItem: (id, recordingId, bytes) => this.#onItem(id, recordingId, bytes),
      },
      jobId,
      controller.signal,
    )
      .catch((error: unknown): JobEnd => {
        const message = error instanceof Error ? error.message : String(error);
        setJobState(this.#deps.db, jobId, 'failed', { error: message });
        return { state: 'failed', error: message };
      })
      .finally(() => {
        if (entry.timer) clearTimeout(entry.timer);
        this.#running.delete(jobId);
        if (this.#running.size === 0) this.#deps.lock.release();
        this.#flush(jobId, entry);
        this.#scheduleRetry(jobId);
      });
    this.#emit(jobId);
  }

  /** A finished job whose recordings are not ready yet runs again when the first comes due. */
  #scheduleRetry(jobId: number): void {
    if (!this.#deps.retryPendingLater) return;
    const job = getJob(this.#deps.db, jobId);
    if (!job || job.state !== 'done') return;
    const due = this.#deps.db
      .prepare(
        `SELECT min(r.next_attempt_at) AS at FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
         WHERE ji.job_id = ? AND r.state = 'pending'`,
      )
      .get(jobId) as { at: string | null };
    if (!due.at) return;
    const wait = Math.min(
      this.#deps.retryLaterMaxMs ?? RETRY_LATER_MAX_MS,
      Math.max(RETRY_LATER_MIN_MS, Date.parse(due.at) - Date.now()),
    );
    clearTimeout(this.#retryTimers.get(jobId));
    const timer = setTimeout(() => {
      this.#retryTimers.delete(jobId);
      const current = getJob(this.#deps.db, jobId);
      if (current?.state !== 'done' || this.#running.has(jobId)) return;
      const { db } = this.#deps;
      const waiting = db
        .prepare(
          `SELECT r.id FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
           WHERE ji.job_id = ? AND r.state = 'pending'`,
        )
        .all(jobId) as { id: number }[];
      db.transaction(() => {
        for (const { id } of waiting) retryNow(db, id);
      })();
      this.#launch(jobId);
    }, wait);
    timer.unref();
    this.#retryTimers.set(jobId, timer);
  }

  #cancelRetry(jobId: number): void {
    clearTimeout(this.#retryTimers.get(jobId));
    this.#retryTimers.delete(jobId);
  }

  #onItem(jobId: number, recordingId: number, bytes: number): void {
    const entry = this.#running.get(jobId);
    if (!entry) return;
    entry.meter.add(bytes);
    entry.dirty.add(recordingId);
    entry.timer ??= setTimeout(() => {
      entry.timer = null;
      this.#flush(jobId, entry);
    }, PROGRESS_INTERVAL_MS);
  }

  #flush(jobId: number, entry: RunningJob): void {
    const ids = [...entry.dirty];
    entry.dirty.clear();
    const items = ids.length ? jobItemViews(this.#deps.db, jobId, ids.length, ids) : [];
    const job = jobView(this.#deps.db, this.#job(jobId), {
      throughput: entry.meter.bytesPerSecond(),
    });
    this.#deps.events.emit('jobProgress', { job, items });
    const archived = items
      .filter((item) => item.state === 'archived')
      .map((item) => item.recordingId);
    if (ids.length) this.#deps.events.emit('libraryChanged', { recordingIds: ids });
    void archived;
  }

  #emit(jobId: number): void {
    this.#deps.events.emit('jobProgress', { job: this.view(jobId), items: [] });
  }

  async #discardPartials(jobId: number): Promise<void> {
    const { db } = this.#deps;
    const job = this.#job(jobId);
    const ids = db
      .prepare(
        `SELECT ji.recording_id AS id FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
         WHERE ji.job_id = ? AND r.state != 'archived'`,
      )
      .all(jobId) as { id: number }[];
    for (const { id } of ids) {
      const recording = getRecording(db, id);
      if (!recording) continue;
      const path = relativePathForRecording(remoteFromRow(recording), String(job.accountId));
      await discardPartial(this.#deps.archiveRoot(), path).catch(() => {});
    }
  }

  #view(job: Job): JobView {
    const running = this.#running.get(job.id);
    return jobView(
      this.#deps.db,
      job,
      running ? { throughput: running.meter.bytesPerSecond() } : null,
    );
  }

  #job(jobId: number): Job {
    const job = getJob(this.#deps.db, jobId);
    if (!job) throw new AppError('not_found', `No job ${jobId}.`);
    return job;
  }
}
