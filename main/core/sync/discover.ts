import { addJobItems, updateJobItem } from '../db/jobs.ts';
import { splitDetails } from '../contract/failure-details.ts';
import { isDisposed, undisposeForDownload } from '../db/disposals.ts';
import {
  getRecording,
  markFailed,
  markGone,
  retryNow,
  upsertDiscovered,
} from '../db/recordings.ts';
import { ProviderError } from '../providers/errors.ts';
import type { RemoteRecording, Selection } from '../providers/types.ts';
import { inTransaction } from '../db/transaction.ts';
import { inTurns } from './in-turns.ts';
import { itemStateFor, settledReason } from './item-state.ts';
import { isSessionPlaceholder, retireSessionPlaceholder } from './session-placeholder.ts';
import type { SyncContext } from './sync-context.ts';

/** Selections listed at once (each still paced by the account's rate limiter). */
const DISCOVERY_PARALLEL = 4;

/**
 * Lists every selection, up to DISCOVERY_PARALLEL at once: a job of many sessions waits for
 * one API round trip per few sessions instead of one per session. Every recording is still in
 * the index before any download starts. An auth or payment failure stops the others and is
 * thrown; any other failure of a selection is returned (in selection order).
 */
export async function discoverAll(
  ctx: SyncContext,
  selections: readonly Selection[],
  signal: AbortSignal,
): Promise<string[]> {
  const fatal = new AbortController();
  const listing = AbortSignal.any([signal, fatal.signal]);
  const failures: Array<string | null> = selections.map(() => null);
  let fatalError: unknown = null;
  let next = 0;
  const lister = async (): Promise<void> => {
    while (next < selections.length && !listing.aborted) {
      const index = next++;
      try {
        // What one listing page brought is written in one transaction (a commit per recording
        // was most of discovery's time: bench/discovery.ts).
        for await (const page of inTurns(listSelection(ctx, selections[index]!, listing))) {
          if (listing.aborted) break;
          recordPage(ctx, page);
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
        const reason = error instanceof Error ? error.message : String(error);
        failures[index] = namedFailure(selections[index]!, reason);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(DISCOVERY_PARALLEL, selections.length) }, lister),
  );
  signal.throwIfAborted();
  if (fatalError !== null) throw fatalError;
  ctx.accounts.markAuthOk(ctx.account);
  return failures.filter((failure) => failure !== null);
}

/**
 * A placeholder whose session is now ready: lists the session's files into the index and the
 * job (the workers download them) and retires the placeholder, so no file is archived under
 * the placeholder's id and none of the session's other files is forgotten.
 */
export async function expandPlaceholder(
  ctx: SyncContext,
  placeholder: RemoteRecording,
  selection: Selection,
  signal: AbortSignal,
): Promise<void> {
  let files = 0;
  for await (const page of inTurns(listSelection(ctx, selection, signal))) {
    const found = page.filter((remote) => !isSessionPlaceholder(remote));
    files += found.length;
    recordPage(ctx, found);
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
  retireSessionPlaceholder(ctx.db, ctx.account.id, placeholder.sessionId!);
}

/** The failure, led by the selection's name unless its sentence already names the id. */
function namedFailure(selection: Selection, reason: string): string {
  const name = selectionName(selection);
  const id = name.slice(name.indexOf(' ') + 1);
  return splitDetails(reason).text.includes(id) ? reason : `${name}: ${reason}`;
}

/** What a selection was, in the words of the sync form: names the id a failure is about. */
export function selectionName(selection: Selection): string {
  switch (selection.kind) {
    case 'kallglot-session':
    case 'koreai-session':
      return `Session ${selection.sessionId}`;
    case 'kallglot-recording':
      return `Recording ${selection.recordingId}`;
    case 'envoy-call':
      return `Call ${selection.callId}`;
    case 'koreai-range':
    case 'envoy-range':
      return `${selection.from} to ${selection.to}`;
  }
}

function listSelection(
  ctx: SyncContext,
  selection: Selection,
  signal: AbortSignal,
): AsyncIterable<RemoteRecording> {
  return ctx.client.discover(selection, {
    ...(ctx.channel ? { channel: ctx.channel } : {}),
    signal,
  });
}

/** Records the recordings of one listing page in one transaction. */
function recordPage(ctx: SyncContext, page: readonly RemoteRecording[]): void {
  inTransaction(ctx.db, () => {
    for (const remote of page) recordDiscovered(ctx, remote);
  });
}

/**
 * Records one discovered recording in the index and the job. A Kore.ai session placeholder
 * stands for the whole session, so the channel filter never hides it; a real file of that
 * session retires the placeholder, whatever its channel.
 */
function recordDiscovered(ctx: SyncContext, remote: RemoteRecording): void {
  const { db, account, jobId, channel } = ctx;
  const placeholder = isSessionPlaceholder(remote);
  if (!placeholder && remote.provider === 'koreai' && remote.sessionId) {
    retireSessionPlaceholder(db, account.id, remote.sessionId);
  }
  if (!placeholder && channel && remote.channel !== channel) return;
  let { recording } = upsertDiscovered(db, account.id, remote);
  // Asked for again: a recording waiting for its retry is tried in this run, not after its
  // earlier backoff (the provider may well have it ready by now).
  if (recording.state === 'pending') recording = retryNow(db, recording.id);
  // Disposed of under retention: it stays skipped (never fetched again) unless asked for.
  if (ctx.includeDisposed && recording.state === 'skipped' && isDisposed(db, recording.id)) {
    undisposeForDownload(db, recording.id);
    recording = getRecording(db, recording.id)!;
  }
  // Found already deleted or failed at the provider: keep the reason on the row itself.
  if (recording.lastError === null && recording.state === 'gone') {
    recording = markGone(db, recording.id, settledReason(recording));
  } else if (recording.lastError === null && recording.state === 'failed') {
    recording = markFailed(db, recording.id, settledReason(recording));
  }
  addJobItems(db, jobId, [recording.id]);
  updateJobItem(db, jobId, recording.id, itemStateFor(recording));
  ctx.itemChanged(recording.id);
}
