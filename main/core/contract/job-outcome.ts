// What a job's state means to the user: "Done" only when every recording it found is in the
// archive; a finished job with failures or failed selections is "Done with problems", one with
// recordings the provider is still preparing is "Waiting for the provider". The engine's own
// `done` only says the run ended.
import type { JobView } from './types.ts';
import type { RecordingState } from './vocabulary.ts';

export type JobOutcome =
  'queued' | 'running' | 'paused' | 'cancelled' | 'failed' | 'waiting' | 'problems' | 'done';

export const OUTCOME_WORDS: Record<JobOutcome, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  cancelled: 'Cancelled',
  failed: 'Failed',
  waiting: 'Waiting for the provider',
  problems: 'Done with problems',
  done: 'Done',
};

/** Selections (sessions, calls, ranges) that could not be listed, one reason a line. */
export function failedSelections(job: JobView): string[] {
  if (job.state !== 'done' || !job.error) return [];
  return job.error.split('\n').filter((line) => line.trim() !== '');
}

export function jobOutcome(job: JobView): JobOutcome {
  if (job.state !== 'done') return job.state;
  const t = job.totals;
  if (t.pending > 0) return 'waiting';
  if (t.failed > 0 || t.gone > 0 || failedSelections(job).length > 0) return 'problems';
  return 'done';
}

/**
 * Recordings in the archive (newly or from before), and calls with no recording to archive,
 * over those found: never more than true.
 */
export function jobFraction(job: JobView): number {
  const t = job.totals;
  if (t.discovered === 0) return jobOutcome(job) === 'done' ? 1 : 0;
  return Math.min(1, (t.archived + t.skipped + t.noRecording) / t.discovered);
}

/** A recording's state as a job's item list says it (in a job, `skipped` was already archived). */
export const ITEM_STATE_WORDS: Record<RecordingState, string> = {
  discovered: 'Found',
  downloading: 'Downloading',
  archived: 'Archived',
  pending: 'Waiting for the provider',
  failed: 'Failed',
  gone: 'Deleted by the provider',
  skipped: 'Already archived',
  no_recording: 'No recording',
};
