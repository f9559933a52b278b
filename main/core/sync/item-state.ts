import { updateJobItem, type JobItemState } from '../db/jobs.ts';
import { settledOpenItemIds } from '../db/job-recordings.ts';
import type { Recording } from '../db/recording-row.ts';
import { getRecording } from '../db/recordings.ts';
import type { SyncContext } from './sync-context.ts';

/** Why a recording discovery found deleted or failed will not be downloaded. */
export function settledReason(recording: Recording): string {
  if (recording.state === 'gone') {
    const when = recording.expiresAt ? ` (it expired ${recording.expiresAt})` : '';
    return `Deleted by the provider's retention${when}; nothing left to download.`;
  }
  return `The provider failed to produce this recording (status ${recording.providerStatus}).`;
}

/** What the item list says of a call or session the provider has no media for. */
export function noRecordingReason(providerStatus: string): string {
  return `No recording: the provider has no media for this call or session (${providerStatus}).`;
}

/** The job item's state for a recording as discovery left it. */
export function itemStateFor(recording: Recording): {
  state: JobItemState;
  error?: string | null;
  bytesTotal?: number | null;
} {
  switch (recording.state) {
    case 'archived':
      return { state: 'skipped', error: null, bytesTotal: recording.localSize };
    case 'gone':
    case 'failed':
      return { state: 'failed', error: recording.lastError ?? settledReason(recording) };
    case 'pending':
      return { state: 'pending', error: recording.lastError };
    case 'no_recording':
      // Settled, not failed: the item is done with, like an excluded one.
      return {
        state: 'skipped',
        error: recording.lastError ?? noRecordingReason(recording.providerStatus),
      };
    case 'skipped':
      return { state: 'skipped', error: 'Excluded by the user.' };
    default:
      return { state: 'queued', bytesTotal: recording.size };
  }
}

/**
 * Items whose recording another job (or an earlier run) already settled: archived, gone,
 * failed or excluded. Workers only take recordings still to fetch, so without this a job
 * resumed after a crash would keep such items queued and never report them.
 */
export function settleFromIndex(ctx: SyncContext): void {
  const { db, jobId } = ctx;
  for (const id of settledOpenItemIds(db, jobId)) {
    const recording = getRecording(db, id);
    if (!recording) continue;
    updateJobItem(db, jobId, id, itemStateFor(recording));
    ctx.itemChanged(id);
  }
}
