import type { RemoteStatus } from '../providers/types.ts';
import type { RecordingState } from './recording-row.ts';

/**
 * The archive state after (re)discovering a recording whose provider status is `remote`.
 * Discovery never undoes work: archived, downloading and skipped rows keep their state.
 * Otherwise the provider's terminal answers win (gone, failed, none = no recording), and a fresh "ready" or
 * "pending" revives a row that had failed or was thought gone, since the provider evidently
 * still has it. A row waiting for its retry keeps waiting (its backoff may be a rate limit).
 */
export function stateAfterDiscovery(
  current: RecordingState | null,
  remote: RemoteStatus,
): RecordingState {
  if (current === 'archived' || current === 'downloading' || current === 'skipped') return current;
  if (remote === 'gone') return 'gone';
  if (remote === 'failed') return 'failed';
  if (remote === 'none') return 'no_recording';
  if (current === 'pending') return 'pending';
  return 'discovered';
}
