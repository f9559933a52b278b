import { AppError } from '../app-error.ts';
import type { JobView } from '../contract/types.ts';
import type { Recording } from '../db/recording-row.ts';
import { getRecording } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import type { SyncRequest } from './job-spec.ts';

/** States a retry leaves alone: safe already, being fetched, or excluded by the user. */
const NOT_RETRIED = new Set<Recording['state']>(['archived', 'downloading', 'skipped']);

/**
 * The library's "Retry" on a selection: the recordings that are not archived are asked for
 * again by their provider ids, as one ordinary sync per account (the sync screen shows each,
 * and its own retries and failures apply).
 */
export function retryRecordings(
  deps: { db: Db; start: (accountId: number, request: SyncRequest) => JobView },
  recordingIds: readonly number[],
): { jobs: JobView[]; queued: number; alreadyArchived: number } {
  const byAccount = new Map<number, Recording[]>();
  let alreadyArchived = 0;
  const unknown: number[] = [];
  for (const id of new Set(recordingIds)) {
    const recording = getRecording(deps.db, id);
    if (!recording) unknown.push(id);
    else if (recording.state === 'archived') alreadyArchived += 1;
    else if (!NOT_RETRIED.has(recording.state)) {
      byAccount.set(recording.accountId, [
        ...(byAccount.get(recording.accountId) ?? []),
        recording,
      ]);
    }
  }
  if (unknown.length > 0) {
    throw new AppError('not_found', `No recording with id ${unknown.slice(0, 5).join(', ')}.`);
  }
  if (byAccount.size === 0) {
    throw new AppError(
      'invalid_arguments',
      alreadyArchived > 0
        ? 'Nothing to retry: the recordings selected are archived already.'
        : 'Nothing to retry: the recordings selected are being downloaded or were excluded.',
    );
  }
  const jobs: JobView[] = [];
  let queued = 0;
  for (const [accountId, recordings] of byAccount) {
    jobs.push(deps.start(accountId, retryRequest(recordings)));
    queued += recordings.length;
  }
  return { jobs, queued, alreadyArchived };
}

/** The provider ids that find these recordings again (contract/providers.ts: idKinds). */
export function retryRequest(recordings: readonly Recording[]): SyncRequest {
  const request: SyncRequest = { sessions: [], recordingIds: [], callIds: [] };
  const seenSessions = new Set<string>();
  for (const recording of recordings) {
    switch (recording.provider) {
      case 'kallglot':
        request.recordingIds.push(recording.remoteId);
        break;
      case 'koreai': {
        // A Kore.ai recording is found through its session and the user it belongs to.
        const sessionId = recording.sessionId ?? recording.remoteId;
        if (seenSessions.has(sessionId)) break;
        seenSessions.add(sessionId);
        request.sessions.push({ id: sessionId, userId: recording.userId });
        break;
      }
      case 'envoy':
        request.callIds.push(recording.callId ?? recording.remoteId);
        break;
    }
  }
  return request;
}
