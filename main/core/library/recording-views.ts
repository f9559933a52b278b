import type { AuditEntryView, RecordingDetail, RecordingRow } from '../contract/types.ts';
import type { Recording } from '../db/recording-row.ts';

export function recordingRowView(recording: Recording, accountName: string): RecordingRow {
  return {
    id: recording.id,
    accountId: recording.accountId,
    accountName,
    provider: recording.provider,
    remoteId: recording.remoteId,
    sessionId: recording.sessionId,
    callId: recording.callId,
    channel: recording.channel,
    durationSec: recording.durationSec,
    format: recording.format,
    contentType: recording.contentType,
    size: recording.localSize ?? recording.size,
    state: recording.state,
    recordedAt: recording.recordedAt ?? recording.createdAt,
    expiresAt: recording.expiresAt,
    archivedAt: recording.archivedAt,
    lastError: recording.lastError,
    tags: recording.tags,
  };
}

export function isVideo(recording: Pick<Recording, 'contentType' | 'format'>): boolean {
  return (recording.contentType ?? '').startsWith('video/') || recording.format === 'mp4';
}

export function recordingDetailView(
  recording: Recording,
  accountName: string,
  audit: AuditEntryView[],
): RecordingDetail {
  return {
    ...recordingRowView(recording, accountName),
    userId: recording.userId,
    providerStatus: recording.providerStatus,
    sampleRate: recording.sampleRate,
    bitDepth: recording.bitDepth,
    phoneNumbers: recording.phoneNumbers,
    providerFileName: recording.providerFileName,
    sha256: recording.sha256,
    localSize: recording.localSize,
    notes: recording.notes,
    tags: recording.tags,
    isVideo: isVideo(recording),
    audit,
  };
}
