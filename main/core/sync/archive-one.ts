import { appendAudit } from '../audit/append-audit.ts';
import { downloadToArchive } from '../archive/download.ts';
import { relativePathForRecording } from '../archive/layout.ts';
import { sidecarCompanion } from '../archive/sidecar.ts';
import { updateJobItem } from '../db/jobs.ts';
import type { Recording } from '../db/recording-row.ts';
import {
  getRecording,
  markArchived,
  markFailed,
  markGone,
  markNoRecording,
  markPending,
  upsertDiscovered,
} from '../db/recordings.ts';
import { inTransaction } from '../db/transaction.ts';
import { ProviderError } from '../providers/errors.ts';
import type { RemoteRecording } from '../providers/types.ts';
import { APP_VERSION } from '../version.ts';
import { expandPlaceholder } from './discover.ts';
import { classifyItemError } from './item-outcome.ts';
import { noRecordingReason } from './item-state.ts';
import { remoteFromRow } from './remote-from-row.ts';
import { placeholderSelection } from './session-placeholder.ts';
import type { SyncContext } from './sync-context.ts';

/** Nothing more can succeed in this job (a refused key, a full disk): stop it. */
export class JobStop extends Error {}

/**
 * Fetches one claimed recording into the archive and settles it: archived (with its sidecar and
 * audit entry), waiting for a retry, gone, failed, or back in the queue. A recording the
 * provider was not ready with is described again first. Throws JobStop when the whole job must
 * stop. `onOpened` runs once its bytes start to flow.
 */
export async function archiveOne(
  ctx: SyncContext,
  recording: Recording,
  signal: AbortSignal,
  onOpened: () => void,
): Promise<void> {
  let remote: RemoteRecording = remoteFromRow(recording);
  try {
    if (remote.status !== 'ready') {
      const described = await ctx.client.describe(remote, signal);
      const selection = placeholderSelection(remote);
      if (selection && described.remoteId !== remote.remoteId) {
        await expandPlaceholder(ctx, remote, selection, signal);
        return;
      }
      remote = described;
      upsertDiscovered(ctx.db, ctx.account.id, remote);
      const notReady = describedStatusError(remote);
      if (notReady) throw notReady;
    }
    await download(ctx, recording.id, remote, signal, onOpened);
  } catch (error) {
    settleFailure(ctx, recording, remote, error);
  }
}

/** Why a described recording cannot be downloaded now, as the provider error it amounts to. */
function describedStatusError(remote: RemoteRecording): ProviderError | null {
  const error = (kind: 'gone' | 'failed' | 'not_ready' | 'no_recording', message: string) =>
    new ProviderError({ provider: remote.provider, kind, endpoint: 'describe', message });
  switch (remote.status) {
    case 'gone':
      return error('gone', `${remote.remoteId} was deleted by the provider's retention.`);
    case 'failed':
      return error(
        'failed',
        `The provider failed to produce ${remote.remoteId} (${remote.providerStatus}).`,
      );
    case 'pending':
      return error('not_ready', `Not ready yet at the provider (${remote.providerStatus}).`);
    case 'none':
      return error('no_recording', noRecordingReason(remote.providerStatus));
    default:
      return null;
  }
}

async function download(
  ctx: SyncContext,
  recordingId: number,
  remote: RemoteRecording,
  signal: AbortSignal,
  onOpened: () => void,
): Promise<void> {
  const { db, account, jobId } = ctx;
  let reported = 0;
  let archivedAt = '';
  const file = await downloadToArchive({
    open: async (options) => {
      const stream = await ctx.client.open(remote, options);
      // The body can fail (a dropped connection) while the download is still preparing its
      // `.part` file, before it reads: without a listener that error would crash the process.
      // The download still sees it, as the stream's `errored` state.
      stream.body.on('error', () => {});
      // The bytes flow: ask for the next recordings' links while this one transfers.
      onOpened();
      return stream;
    },
    expectedSize: remote.size,
    archiveRoot: ctx.archiveRoot(),
    relativePath: relativePathForRecording(remote, String(account.id)),
    signal,
    onProgress: (done, total) => {
      updateJobItem(db, jobId, recordingId, { bytesDone: done, bytesTotal: total });
      ctx.itemChanged(recordingId, Math.max(0, done - reported));
      reported = done;
    },
    // The sidecar is published right after the media file, both flushed before the index row.
    companions: (archived) => {
      archivedAt = new Date().toISOString();
      return [
        sidecarCompanion({
          account: { id: String(account.id), name: account.name },
          recording: remote,
          file: archived,
          archivedAt,
          recorderVersion: APP_VERSION,
        }),
      ];
    },
  });
  inTransaction(db, () => {
    markArchived(db, recordingId, {
      localPath: file.relativePath,
      localSize: file.size,
      sha256: file.sha256,
      archivedAt,
    });
    appendAudit(db, {
      actor: ctx.actor,
      action: 'recording.archived',
      subject: `recording:${recordingId}`,
      details: {
        account: account.name,
        provider: remote.provider,
        remoteId: remote.remoteId,
        path: file.relativePath,
        size: file.size,
        sha256: file.sha256,
        job: jobId,
      },
    });
    updateJobItem(db, jobId, recordingId, {
      state: 'done',
      bytesDone: file.size,
      bytesTotal: file.size,
      error: null,
    });
  });
  ctx.itemChanged(recordingId);
}

/** Records what a failed attempt means for the recording and its item (see classifyItemError). */
function settleFailure(
  ctx: SyncContext,
  recording: Recording,
  remote: RemoteRecording,
  error: unknown,
): void {
  const { db, jobId } = ctx;
  const id = recording.id;
  const current = getRecording(db, id) ?? recording;
  const outcome = classifyItemError(error, current.attempts);
  switch (outcome.kind) {
    case 'aborted':
      updateJobItem(db, jobId, id, { state: 'queued' });
      break;
    case 'retry':
      markPending(db, id, outcome.reason, outcome.retryAt);
      updateJobItem(db, jobId, id, { state: 'pending', error: outcome.reason });
      break;
    case 'gone':
    case 'failed':
      inTransaction(db, () => {
        (outcome.kind === 'gone' ? markGone : markFailed)(db, id, outcome.reason);
        appendAudit(db, {
          actor: ctx.actor,
          action: `recording.${outcome.kind}`,
          subject: `recording:${id}`,
          details: { remoteId: remote.remoteId, reason: outcome.reason },
        });
        updateJobItem(db, jobId, id, { state: 'failed', error: outcome.reason });
      });
      break;
    case 'no_recording':
      inTransaction(db, () => {
        markNoRecording(db, id, outcome.reason);
        appendAudit(db, {
          actor: ctx.actor,
          action: 'recording.no_recording',
          subject: `recording:${id}`,
          details: { remoteId: remote.remoteId, reason: outcome.reason },
        });
        updateJobItem(db, jobId, id, { state: 'skipped', error: outcome.reason });
      });
      break;
    case 'stop-job':
      if (outcome.authFailed) ctx.accounts.markAuthFailed(ctx.account, outcome.reason);
      updateJobItem(db, jobId, id, { state: 'queued', error: outcome.reason });
      ctx.itemChanged(id);
      throw new JobStop(outcome.reason);
  }
  ctx.itemChanged(id);
}
