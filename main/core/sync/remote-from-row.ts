import type { Recording } from '../db/recording-row.ts';
import type { RemoteRecording } from '../providers/types.ts';

/** The provider's view of an indexed recording, as the clients and the sidecar expect it. */
export function remoteFromRow(row: Recording): RemoteRecording {
  return {
    provider: row.provider,
    remoteId: row.remoteId,
    sessionId: row.sessionId,
    callId: row.callId,
    userId: row.userId,
    channel: row.channel,
    status: row.remoteStatus,
    providerStatus: row.providerStatus,
    format: row.format,
    contentType: row.contentType,
    size: row.size,
    durationSec: row.durationSec,
    sampleRate: row.sampleRate,
    bitDepth: row.bitDepth,
    recordedAt: row.recordedAt,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    phoneNumbers: row.phoneNumbers,
    providerFileName: row.providerFileName,
    raw: row.raw,
  };
}
