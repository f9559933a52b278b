import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { JobItemView, JobProgress, JobView } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { attempt, loadInto, upsertById } from './engine-calls.ts';
import { jobFraction } from './job-outcome.ts';
import type { ApiOf } from './types.ts';

export { jobFraction };

type JobsApi = ApiOf<
  | 'jobsList'
  | 'jobItems'
  | 'syncStart'
  | 'jobPause'
  | 'jobResume'
  | 'jobCancel'
  | 'jobRetryFailed'
  | 'onJobProgress'
>;

export type JobAction = 'pause' | 'resume' | 'cancel' | 'retry';

const ACTIVE = new Set<JobView['state']>(['queued', 'running', 'paused']);

export function isActive(job: JobView): boolean {
  return ACTIVE.has(job.state);
}

/** The sync queue: every job from `jobsList`, kept live by `jobProgress`, with item details. */
export class JobsState {
  jobs = $state.raw<JobView[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Items per job id, once asked for (and merged with progress events after that). */
  items = $state.raw<Record<number, JobItemView[]>>({});
  itemErrors = $state.raw<Record<number, string>>({});
  /** The last action failure per job id. */
  actionErrors = $state.raw<Record<number, string>>({});

  /** Jobs still to finish, and the queue's overall progress over them. */
  active = $derived(this.jobs.filter(isActive));
  overall = $derived(overallProgress(this.active));

  constructor(private readonly api: JobsApi) {}

  connect(): () => void {
    return this.api.onJobProgress((progress) => this.applyProgress(progress));
  }

  load(): Promise<void> {
    return loadInto(
      this,
      () => this.api.jobsList({}),
      (jobs) => (this.jobs = jobs),
    );
  }

  start(args: RequestArgs<'syncStart'>): Promise<string | null> {
    return attempt(
      () => this.api.syncStart(args),
      (job) => this.upsert(job),
    );
  }

  async loadItems(jobId: number): Promise<void> {
    const result = await call(() => this.api.jobItems({ jobId, limit: 1000 }));
    if (result.ok) {
      this.items = { ...this.items, [jobId]: result.value };
      this.itemErrors = withoutKey(this.itemErrors, jobId);
    } else {
      this.itemErrors = { ...this.itemErrors, [jobId]: describeFailure(result) };
    }
  }

  async act(jobId: number, action: JobAction): Promise<void> {
    const request = {
      pause: () => this.api.jobPause({ jobId }),
      resume: () => this.api.jobResume({ jobId }),
      cancel: () => this.api.jobCancel({ jobId }),
      retry: () => this.api.jobRetryFailed({ jobId }),
    }[action];
    const result = await call(request);
    if (result.ok) {
      this.upsert(result.value);
      this.actionErrors = withoutKey(this.actionErrors, jobId);
    } else {
      this.actionErrors = { ...this.actionErrors, [jobId]: describeFailure(result) };
    }
  }

  applyProgress({ job, items }: JobProgress): void {
    this.upsert(job);
    const known = this.items[job.id];
    if (!known || items.length === 0) return;
    // Only the changed items arrive: merge them by recording id, new ones at the end.
    // A local lookup, not state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const changed = new Map(items.map((item) => [item.recordingId, item]));
    const merged = known.map((item) => {
      const update = changed.get(item.recordingId);
      changed.delete(item.recordingId);
      return update ?? item;
    });
    this.items = { ...this.items, [job.id]: [...merged, ...changed.values()] };
  }

  private upsert(job: JobView): void {
    // Newest first, as jobsList lists them.
    this.jobs = upsertById(this.jobs, job, 'first');
  }
}

export function overallProgress(jobs: JobView[]): { fraction: number; bytesPerSecond: number } {
  if (jobs.length === 0) return { fraction: 0, bytesPerSecond: 0 };
  const fraction = jobs.reduce((sum, job) => sum + jobFraction(job), 0) / jobs.length;
  const bytesPerSecond = jobs.reduce((sum, job) => sum + job.totals.throughput, 0);
  return { fraction, bytesPerSecond };
}

function withoutKey<T>(record: Record<number, T>, key: number): Record<number, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}
