import { ArchiveError } from '../archive/errors.ts';
import { ProviderError } from '../providers/errors.ts';

/** What one failed download means for the recording and for the job. */
export type ItemOutcome =
  /** Try again at `retryAt` (not ready, rate limited, network trouble, a short body). */
  | { kind: 'retry'; reason: string; retryAt: Date }
  /** The provider will never give it: deleted under retention. */
  | { kind: 'gone'; reason: string }
  /** The call or session exists but has no media: settled, and not a failure. */
  | { kind: 'no_recording'; reason: string }
  /** A permanent failure for this recording; a later run tries again. */
  | { kind: 'failed'; reason: string }
  /** Nothing more can succeed in this job: stop it, keep every archived file. */
  | { kind: 'stop-job'; reason: string; authFailed: boolean }
  /** Paused or cancelled: the item goes back to the queue, its `.part` kept. */
  | { kind: 'aborted' };

/** How long to wait before retrying after `attempts` tries: 30 s, 1 min, 2 min… capped at 1 h. */
function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export function classifyItemError(error: unknown, attempts: number, now = Date.now()): ItemOutcome {
  const later = (ms: number) => new Date(now + ms);
  if (error instanceof ProviderError) {
    switch (error.kind) {
      case 'auth':
        return { kind: 'stop-job', reason: error.message, authFailed: true };
      case 'payment_required':
        return { kind: 'stop-job', reason: error.message, authFailed: false };
      case 'gone':
        return { kind: 'gone', reason: error.message };
      case 'no_recording':
        return { kind: 'no_recording', reason: error.message };
      case 'not_ready':
        return { kind: 'retry', reason: error.message, retryAt: later(retryDelayMs(attempts)) };
      case 'rate_limited':
        return {
          kind: 'retry',
          reason: error.message,
          retryAt: later(Math.max(error.retryAfterMs ?? 0, 1000)),
        };
      case 'transient':
        return { kind: 'retry', reason: error.message, retryAt: later(retryDelayMs(attempts)) };
      default:
        return { kind: 'failed', reason: error.message };
    }
  }
  if (error instanceof ArchiveError) {
    switch (error.kind) {
      case 'aborted':
        return { kind: 'aborted' };
      case 'disk_full':
      case 'permission':
      case 'archive_missing':
      case 'unsafe_path':
        return { kind: 'stop-job', reason: error.message, authFailed: false };
      case 'size_mismatch':
      case 'interrupted':
        return { kind: 'retry', reason: error.message, retryAt: later(retryDelayMs(attempts)) };
      default:
        return { kind: 'failed', reason: error.message };
    }
  }
  if (error instanceof Error && error.name === 'AbortError') return { kind: 'aborted' };
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
}
