import type { RecordingRow } from '../../../main/core/contract/types.ts';

/** A library row with sensible defaults. */
export function row(id: number, overrides: Partial<RecordingRow> = {}): RecordingRow {
  return {
    id,
    accountId: 1,
    accountName: 'Support',
    provider: 'kallglot',
    remoteId: `rec_${id}`,
    sessionId: `sess_${id}`,
    callId: null,
    channel: 'mixed',
    durationSec: 65,
    format: 'mp3',
    contentType: 'audio/mpeg',
    size: 1024 * 100,
    state: 'archived',
    recordedAt: '2025-01-02T10:00:00Z',
    expiresAt: null,
    archivedAt: '2025-01-02T11:00:00Z',
    lastError: null,
    tags: [],
    ...overrides,
  };
}
