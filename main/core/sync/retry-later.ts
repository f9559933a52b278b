import { getJob } from '../db/jobs.ts';
import { nextRetryAt, pendingRecordingIds } from '../db/job-recordings.ts';
import { retryNow } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';

/** Bounds for re-running a job with waiting recordings: not hammering, not forgetting. */
const RETRY_LATER_MIN_MS = 5_000;
const RETRY_LATER_MAX_MS = 3_600_000;

export interface RetryLaterDeps {
  db: Db;
  /** Longest wait before a re-run (tests shorten it). */
  maxMs?: number;
  isRunning: (jobId: number) => boolean;
  launch: (jobId: number) => void;
}

/** Runs a finished job again when the first of its waiting recordings comes due. */
export class RetryLater {
  readonly #deps: RetryLaterDeps;
  readonly #timers = new Map<number, NodeJS.Timeout>();

  constructor(deps: RetryLaterDeps) {
    this.#deps = deps;
  }

  schedule(jobId: number): void {
    const { db } = this.#deps;
    const job = getJob(db, jobId);
    if (!job || job.state !== 'done') return;
    const due = nextRetryAt(db, jobId);
    if (!due) return;
    const wait = Math.min(
      this.#deps.maxMs ?? RETRY_LATER_MAX_MS,
      Math.max(RETRY_LATER_MIN_MS, Date.parse(due) - Date.now()),
    );
    clearTimeout(this.#timers.get(jobId));
    const timer = setTimeout(() => {
      this.#timers.delete(jobId);
      const current = getJob(db, jobId);
      if (current?.state !== 'done' || this.#deps.isRunning(jobId)) return;
      inTransaction(db, () => {
        for (const id of pendingRecordingIds(db, jobId)) retryNow(db, id);
      });
      this.#deps.launch(jobId);
    }, wait);
    timer.unref();
    this.#timers.set(jobId, timer);
  }

  cancel(jobId: number): void {
    clearTimeout(this.#timers.get(jobId));
    this.#timers.delete(jobId);
  }

  cancelAll(): void {
    for (const jobId of [...this.#timers.keys()]) this.cancel(jobId);
  }
}
