import type { RecordingRow, RecordingState } from '../../../../main/core/contract/types.ts';
import type { BadgeLook } from '../../components/badge-look.ts';

const STATE_BADGES: Record<RecordingState, BadgeLook> = {
  archived: { tone: 'ok', icon: '✓', label: 'Archived' },
  discovered: { tone: 'neutral', icon: '○', label: 'Discovered' },
  downloading: { tone: 'busy', icon: '↓', label: 'Downloading' },
  pending: { tone: 'warn', icon: '↻', label: 'Pending' },
  failed: { tone: 'danger', icon: '✗', label: 'Failed' },
  gone: { tone: 'danger', icon: '⚠', label: 'Gone' },
  skipped: { tone: 'neutral', icon: '–', label: 'Skipped' },
  no_recording: { tone: 'neutral', icon: '∅', label: 'No recording' },
};

const INTEGRITY_FAILED: BadgeLook = { tone: 'danger', icon: '✗', label: 'Integrity failed' };
// Disposed of under retention: "skipped" in the index, with a tombstone.
const DISPOSED: BadgeLook = { tone: 'neutral', icon: '⊘', label: 'Disposed' };

/** What a row's state badge says: integrity and disposal first, they override the state. */
export function stateBadge(row: Pick<RecordingRow, 'state' | 'integrityFailed' | 'disposedAt'>) {
  if (row.integrityFailed) return INTEGRITY_FAILED;
  if (row.disposedAt) return DISPOSED;
  return STATE_BADGES[row.state];
}
