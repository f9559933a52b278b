import type { Channel, ProviderKind, RecordingMetadata, RemoteStatus } from '../providers/types.ts';

import type { RecordingState } from '../contract/vocabulary.ts';

export { RECORDING_STATES, type RecordingState } from '../contract/vocabulary.ts';

/** A recording in the index: the provider's description of it, and what the archive knows. */
export interface Recording extends RecordingMetadata {
  id: number;
  accountId: number;
  remoteStatus: RemoteStatus;
  /** Relative to the archive root, with forward slashes. */
  localPath: string | null;
  localSize: number | null;
  sha256: string | null;
  archivedAt: string | null;
  state: RecordingState;
  lastError: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  notes: string;
  tags: string[];
  discoveredAt: string;
  updatedAt: string;
}

export interface RecordingRow {
  id: number;
  account_id: number;
  provider: ProviderKind;
  remote_id: string;
  session_id: string | null;
  call_id: string | null;
  user_id: string | null;
  channel: Channel;
  provider_status: string;
  remote_status: RemoteStatus;
  format: string | null;
  content_type: string | null;
  size: number | null;
  duration_sec: number | null;
  sample_rate: number | null;
  bit_depth: number | null;
  recorded_at: string | null;
  created_at: string | null;
  expires_at: string | null;
  phone_numbers: string;
  provider_file_name: string | null;
  raw_json: string;
  local_path: string | null;
  local_size: number | null;
  sha256: string | null;
  archived_at: string | null;
  state: RecordingState;
  last_error: string | null;
  attempts: number;
  next_attempt_at: string | null;
  notes: string;
  tags: string;
  discovered_at: string;
  updated_at: string;
}

/** The stored columns (not the generated sort keys), for SELECT lists. */
export const RECORDING_COLUMNS = [
  'id',
  'account_id',
  'provider',
  'remote_id',
  'session_id',
  'call_id',
  'user_id',
  'channel',
  'provider_status',
  'remote_status',
  'format',
  'content_type',
  'size',
  'duration_sec',
  'sample_rate',
  'bit_depth',
  'recorded_at',
  'created_at',
  'expires_at',
  'phone_numbers',
  'provider_file_name',
  'raw_json',
  'local_path',
  'local_size',
  'sha256',
  'archived_at',
  'state',
  'last_error',
  'attempts',
  'next_attempt_at',
  'notes',
  'tags',
  'discovered_at',
  'updated_at',
] as const;

/** `r.id, r.account_id, …` for a query that aliases recordings as `alias`. */
export function recordingColumns(alias = 'recordings'): string {
  return RECORDING_COLUMNS.map((column) => `${alias}.${column}`).join(', ');
}

export function toRecording(row: RecordingRow): Recording {
  return {
    id: row.id,
    accountId: row.account_id,
    provider: row.provider,
    remoteId: row.remote_id,
    sessionId: row.session_id,
    callId: row.call_id,
    userId: row.user_id,
    channel: row.channel,
    providerStatus: row.provider_status,
    remoteStatus: row.remote_status,
    format: row.format,
    contentType: row.content_type,
    size: row.size,
    durationSec: row.duration_sec,
    sampleRate: row.sample_rate,
    bitDepth: row.bit_depth,
    recordedAt: row.recorded_at,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    phoneNumbers: JSON.parse(row.phone_numbers) as string[],
    providerFileName: row.provider_file_name,
    raw: JSON.parse(row.raw_json) as Record<string, unknown>,
    localPath: row.local_path,
    localSize: row.local_size,
    sha256: row.sha256,
    archivedAt: row.archived_at,
    state: row.state,
    lastError: row.last_error,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    discoveredAt: row.discovered_at,
    updatedAt: row.updated_at,
  };
}
