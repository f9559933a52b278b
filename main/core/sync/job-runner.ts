import type { AccountService } from '../accounts/account-service.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { downloadToArchive } from '../archive/download.ts';
import { relativePathForRecording } from '../archive/layout.ts';
import { sidecarCompanion } from '../archive/sidecar.ts';
import { AppError } from '../app-error.ts';
import type { Account } from '../db/accounts.ts';
import {
  addJobItems,
  getJob,
  setJobState,
  setJobTotals,
  updateJobItem,
  type JobItemState,
} from '../db/jobs.ts';
import type { Recording } from '../db/recording-row.ts';
import {
  getRecording,
  markArchived,
  markDownloading,
  markFailed,
  markGone,
  markPending,
  nextToDownload,
  retryNow,
  upsertDiscovered,
} from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { ProviderError } from '../providers/errors.ts';
import type { Channel, ProviderClient, RemoteRecording, Selection } from '../providers/types.ts';
import { APP_VERSION } from '../version.ts';
import { classifyItemError, retryDelayMs } from './item-outcome.ts';
import { jobSpecSchema, type JobSpec } from './job-spec.ts';
import { releaseDownload } from './release-download.ts';
import { remoteFromRow } from './remote-from-row.ts';
import {
  isSessionPlaceholder,
  placeholderSelection,
  retireSessionPlaceholder,
} from './session-placeholder.ts';
import type { Semaphore } from './semaphore.ts';

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

class JobStop extends Error {}

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
  const stop = new AbortController();
  const stopped = AbortSignal.any([signal, stop.signal]);
  let stopReason: string | null = null;
  const firstRun = job.startedAt === null;
  setJobState(db, jobId, 'running');
  if (firstRun) {
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
    return finish(deps, jobId, account, { state: 'failed', error: (error as Error).message });
  }

  const discoveryErrors: string[] = [];
  if (!job.totals.discoveryDone) {
    try {
      await discover(deps, jobId, account, client, spec, stopped, discoveryErrors);
    } catch (error) {
      if (signal.aborted) return { state: 'aborted' };
      if (error instanceof ProviderError && error.kind === 'auth') {
        deps.accounts.markAuthFailed(account, error.message);
      }
      return finish(deps, jobId, account, { state: 'failed', error: (error as Error).message });
    }
    if (signal.aborted) return { state: 'aborted' };
    setJobTotals(db, jobId, { discoveryDone: 1 });
  }
  settleFromIndex(deps, jobId);

  const inFlight = new Set<number>();
  // Recordings whose signed URL was asked for ahead (client.prefetch), once a download's bytes
  // flow: the next few in queue order, so each worker's next API round trip overlaps its
  // current transfer. (Not before: a refusal seen early would pause the account's requests.)
  const prefetched = new Set<number>();
  const prefetchNext = (): void => {
    if (client.prefetch === undefined || stopped.aborted) return;
    const upcoming = nextToDownload(db, { jobId }, deps.slots.limit);
    for (const row of upcoming) {
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
        release = await deps.slots.acquire(stopped);
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
        deps.onItem(jobId, claimed.id, 0);
        try {
          await archiveOne(
            deps,
            jobId,
            account,
            client,
            claimed,
            spec.channel,
            stopped,
            prefetchNext,
          );
        } catch (error) {
          if (error instanceof JobStop) {
            stopReason ??= error.message;
            stop.abort(error);
          } else throw error;
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
    await Promise.all(Array.from({ length: deps.slots.limit }, worker));
    if (stopped.aborted) break;
    // A session placeholder expanded into files after some workers had found the queue empty.
    if (nextToDownload(db, { jobId }, 1).length > 0) continue;
    // Recordings the provider is still preparing: wait for them within the job when the
    // retry is due soon, else leave them pending for the next run.
    const wait = nextRetryWithin(db, jobId, deadline);
    if (wait === null) break;
    await delay(wait, stopped);
  }

  if (stopReason !== null) {
    return finish(deps, jobId, account, { state: 'failed', error: stopReason });
  }
  if (signal.aborted) return { state: 'aborted' };
  settleFromIndex(deps, jobId);
  const error = discoveryErrors.length ? discoveryErrors.join('\n') : null;
  return finish(deps, jobId, account, { state: 'done', error });
}

/** Selections listed at once (each still paced by the account's rate limiter). */
const DISCOVERY_PARALLEL = 4;

/**
 * Lists every selection, up to DISCOVERY_PARALLEL at once: a job of many sessions waits for
 * one API round trip per few sessions instead of one per session. Every recording is still in
 * the index before any download starts. An auth or payment failure stops the others and is
 * thrown; any other failure of a selection is collected in `errors` (in selection order).
 */
async function discover(
  deps: JobRunnerDeps,
  jobId: number,
  account: Account,
  client: ProviderClient,
  spec: JobSpec,
  signal: AbortSignal,
  errors: string[],
): Promise<void> {
  const fatal = new AbortController();
  const listing = AbortSignal.any([signal, fatal.signal]);
  const failures: Array<string | null> = spec.selections.map(() => null);
  let fatalError: unknown = null;
  let next = 0;
  const lister = async (): Promise<void> => {
    while (next < spec.selections.length && !listing.aborted) {
      const index = next++;
      try {
        for await (const remote of client.discover(spec.selections[index]!, {
          ...(spec.channel ? { channel: spec.channel } : {}),
          signal: listing,
        })) {
          if (listing.aborted) break;
          recordDiscovered(deps, jobId, account, remote, spec.channel);
        }
      } catch (error) {
        if (signal.aborted || fatal.signal.aborted) return;
        if (
          error instanceof ProviderError &&
          (error.kind === 'auth' || error.kind === 'payment_required')
        ) {
          fatalError = error;
          fatal.abort(error);
          return;
        }
        failures[index] = error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(DISCOVERY_PARALLEL, spec.selections.length) }, lister),
  );
  signal.throwIfAborted();
  if (fatalError !== null) throw fatalError;
  for (const failure of failures) if (failure !== null) errors.push(failure);
  deps.accounts.markAuthOk(account);
}

/**
 * Records one discovered recording in the index and the job. A Kore.ai session placeholder
 * stands for the whole session, so the channel filter never hides it; a real file of that
 * session retires the placeholder, whatever its channel.
 */
function recordDiscovered(
  deps: JobRunnerDeps,
  jobId: number,
  account: Account,
  remote: RemoteRecording,
  channel: Channel | null,
): void {
  const { db } = deps;
  const placeholder = isSessionPlaceholder(remote);
  if (!placeholder && remote.provider === 'koreai' && remote.sessionId) {
    retireSessionPlaceholder(db, account.id, remote.sessionId);
  }
  if (!placeholder && channel && remote.channel !== channel) return;
  let { recording } = upsertDiscovered(db, account.id, remote);
  // Asked for again: a recording waiting for its retry is tried in this run, not after its
  // earlier backoff (the provider may well have it ready by now).
  if (recording.state === 'pending') recording = retryNow(db, recording.id);
  // Found already deleted or failed at the provider: keep the reason on the row itself.
  if (recording.lastError === null && recording.state === 'gone') {
    recording = markGone(db, recording.id, settledReason(recording));
  } else if (recording.lastError === null && recording.state === 'failed') {
    recording = markFailed(db, recording.id, settledReason(recording));
  }
  addJobItems(db, jobId, [recording.id]);
  updateJobItem(db, jobId, recording.id, itemStateFor(recording));
  deps.onItem(jobId, recording.id, 0);
}

/**
 * A placeholder whose session is now ready: lists the session's files into the index and the
 * job (the workers download them) and retires the placeholder, so no file is archived under
 * the placeholder's id and none of the session's other files is forgotten.
 */
async function expandPlaceholder(
  deps: JobRunnerDeps,
  jobId: number,
  account: Account,
  client: ProviderClient,
  placeholder: RemoteRecording,
  selection: Selection,
  channel: Channel | null,
  signal: AbortSignal,
): Promise<void> {
  let files = 0;
  for await (const remote of client.discover(selection, {
    ...(channel ? { channel } : {}),
    signal,
  })) {
    if (isSessionPlaceholder(remote)) continue;
    files++;
    recordDiscovered(deps, jobId, account, remote, channel);
  }
  if (files === 0) {
    // The session went back to listing nothing: wait for it like any recording not ready.
    throw new ProviderError({
      provider: placeholder.provider,
      kind: 'not_ready',
      endpoint: 'describe',
      message: 'The session lists no files yet.',
    });
  }
  retireSessionPlaceholder(deps.db, account.id, placeholder.sessionId!);
}

/**
 * Items whose recording another job (or an earlier run) already settled: archived, gone,
 * failed or excluded. Workers only take recordings still to fetch, so without this a job
 * resumed after a crash would keep such items queued and never report them.
 */
function settleFromIndex(deps: JobRunnerDeps, jobId: number): void {
  const { db } = deps;
  const rows = db
    .prepare(
      `SELECT ji.recording_id AS id FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
       WHERE ji.job_id = ? AND ji.state NOT IN ('done', 'skipped', 'failed')
         AND r.state IN ('archived', 'gone', 'failed', 'skipped')`,
    )
    .all(jobId) as { id: number }[];
  for (const { id } of rows) {
    const recording = getRecording(db, id);
    if (!recording) continue;
    updateJobItem(db, jobId, id, itemStateFor(recording));
    deps.onItem(jobId, id, 0);
  }
}

/** Why a recording discovery found deleted or failed will not be downloaded. */
function settledReason(recording: Recording): string {
  if (recording.state === 'gone') {
    const when = recording.expiresAt ? ` (it expired ${recording.expiresAt})` : '';
    return `Deleted by the provider's retention${when}; nothing left to download.`;
  }
  return `The provider failed to produce this recording (status ${recording.providerStatus}).`;
}

/** The job item's state for a recording as discovery left it. */
function itemStateFor(recording: Recording): {
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
    case 'skipped':
      return { state: 'skipped', error: 'Excluded by the user.' };
    default:
      return { state: 'queued', bytesTotal: recording.size };
  }
}

async function archiveOne(
  deps: JobRunnerDeps,
  jobId: number,
  account: Account,
  client: ProviderClient,
  recording: Recording,
  channel: Channel | null,
  signal: AbortSignal,
  onOpened: () => void = () => {},
): Promise<void> {
  const { db } = deps;
  let remote: RemoteRecording = remoteFromRow(recording);
  try {
    if (remote.status !== 'ready') {
      const described = await client.describe(remote, signal);
      const selection = placeholderSelection(remote);
      if (selection && described.remoteId !== remote.remoteId) {
        await expandPlaceholder(deps, jobId, account, client, remote, selection, channel, signal);
        return;
      }
      remote = described;
      upsertDiscovered(db, account.id, remote);
      if (remote.status === 'gone')
        throw new ProviderError({
          provider: remote.provider,
          kind: 'gone',
          endpoint: 'describe',
          message: `${remote.remoteId} was deleted by the provider's retention.`,
        });
      if (remote.status === 'failed')
        throw new ProviderError({
          provider: remote.provider,
          kind: 'failed',
          endpoint: 'describe',
          message: `The provider failed to produce ${remote.remoteId} (${remote.providerStatus}).`,
        });
      if (remote.status === 'pending')
        throw new ProviderError({
          provider: remote.provider,
          kind: 'not_ready',
          endpoint: 'describe',
          message: `Not ready yet at the provider (${remote.providerStatus}).`,
        });
    }
    const relativePath = relativePathForRecording(remote, String(account.id));
    let reported = 0;
    let archivedAt = '';
    const file = await downloadToArchive({
      open: async (options) => {
        const stream = await client.open(remote, options);
        // The body can fail (a dropped connection) while the download is still preparing its
        // `.part` file, before it reads: without a listener that error would crash the process.
        // The download still sees it, as the stream's `errored` state.
        stream.body.on('error', () => {});
        // The bytes flow: ask for the next recordings' links while this one transfers.
        onOpened();
        return stream;
      },
      expectedSize: remote.size,
      archiveRoot: deps.archiveRoot(),
      relativePath,
      signal,
      onProgress: (done, total) => {
        updateJobItem(db, jobId, recording.id, { bytesDone: done, bytesTotal: total });
        deps.onItem(jobId, recording.id, Math.max(0, done - reported));
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
    db.transaction(() => {
      markArchived(db, recording.id, {
        localPath: file.relativePath,
        localSize: file.size,
        sha256: file.sha256,
        archivedAt,
      });
      appendAudit(db, {
        actor: deps.actor,
        action: 'recording.archived',
        subject: `recording:${recording.id}`,
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
      updateJobItem(db, jobId, recording.id, {
        state: 'done',
        bytesDone: file.size,
        bytesTotal: file.size,
        error: null,
      });
    })();
    deps.onItem(jobId, recording.id, 0);
  } catch (error) {
    const current = getRecording(db, recording.id) ?? recording;
    const outcome = classifyItemError(error, current.attempts);
    switch (outcome.kind) {
      case 'aborted':
        updateJobItem(db, jobId, recording.id, { state: 'queued' });
        break;
      case 'retry':
        markPending(db, recording.id, outcome.reason, outcome.retryAt);
        updateJobItem(db, jobId, recording.id, { state: 'pending', error: outcome.reason });
        break;
      case 'gone':
        db.transaction(() => {
          markGone(db, recording.id, outcome.reason);
          appendAudit(db, {
            actor: deps.actor,
            action: 'recording.gone',
            subject: `recording:${recording.id}`,
            details: { remoteId: remote.remoteId, reason: outcome.reason },
          });
          updateJobItem(db, jobId, recording.id, { state: 'failed', error: outcome.reason });
        })();
        break;
      case 'failed':
        db.transaction(() => {
          markFailed(db, recording.id, outcome.reason);
          appendAudit(db, {
            actor: deps.actor,
            action: 'recording.failed',
            subject: `recording:${recording.id}`,
            details: { remoteId: remote.remoteId, reason: outcome.reason },
          });
          updateJobItem(db, jobId, recording.id, { state: 'failed', error: outcome.reason });
        })();
        break;
      case 'stop-job':
        if (outcome.authFailed) deps.accounts.markAuthFailed(account, outcome.reason);
        updateJobItem(db, jobId, recording.id, { state: 'queued', error: outcome.reason });
        deps.onItem(jobId, recording.id, 0);
        throw new JobStop(outcome.reason);
    }
    deps.onItem(jobId, recording.id, 0);
  }
}

function finish(
  deps: JobRunnerDeps,
  jobId: number,
  account: Account,
  end: { state: 'done' | 'failed'; error: string | null },
): JobEnd {
  const { db } = deps;
  db.transaction(() => {
    setJobState(db, jobId, end.state, { error: end.error });
    const job = getJob(db, jobId)!;
    appendAudit(db, {
      actor: deps.actor,
      action: 'sync.finished',
      subject: `job:${jobId}`,
      details: {
        account: account.name,
        state: end.state,
        items: job.items.total,
        archived: job.items.byState.done,
        alreadyArchived: job.items.byState.skipped,
        pending: job.items.byState.pending,
        failed: job.items.byState.failed,
        ...(end.error ? { error: end.error } : {}),
      },
    });
  })();
  return end;
}

/** Milliseconds until the next pending item of the job may be retried, if before `deadline`. */
function nextRetryWithin(db: Db, jobId: number, deadline: number): number | null {
  const row = db
    .prepare(
      `SELECT min(r.next_attempt_at) AS at FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
       WHERE ji.job_id = ? AND r.state = 'pending'`,
    )
    .get(jobId) as { at: string | null };
  if (!row.at) return null;
  const at = Date.parse(row.at);
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

export { retryDelayMs };
